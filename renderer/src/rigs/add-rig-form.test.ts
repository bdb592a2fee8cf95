import { describe, expect, it } from 'vitest';
import { addInputOf, addMessages, checkAddForm, emptyAddForm, fieldOfPath, firstInvalid, urlKind, withoutSecrets, type AddRigForm } from './add-rig-form';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
const form = (over: Partial<AddRigForm> = {}): AddRigForm => ({ ...emptyAddForm(), name: 'rig-a', url: 'ssh://ops@10.0.0.2', ...over });

describe('add rig form', () => {
  it('sends an SSH rig with its key as given and leaves empty optional fields out', () => {
    expect(addInputOf(form({ privateKey: KEY, keyFile: 'id_ed25519' }))).toEqual({ name: 'rig-a', url: 'ssh://ops@10.0.0.2', privateKey: KEY, gpus: 'all' });
    expect(addInputOf(form({ name: ' rig-b ', url: ' ssh://ops@h:2222 ', gpus: 'none' }))).toEqual({ name: 'rig-b', url: 'ssh://ops@h:2222', gpus: 'none' });
    expect(
      addInputOf(form({ privateKey: KEY, passphrase: 'pw', hostKey: ' SHA256:abc ', address: ' 192.168.1.5 ', gpus: 'list', cards: 'card0, card1', sysfs: ' /fixtures/sys ' })),
    ).toEqual({ name: 'rig-a', url: 'ssh://ops@10.0.0.2', privateKey: KEY, passphrase: 'pw', hostKey: 'SHA256:abc', address: '192.168.1.5', gpus: 'card0, card1', sysfs: '/fixtures/sys' });
    // A key of whitespace is no key: the agent then.
    expect(addInputOf(form({ privateKey: '  \n' })).privateKey).toBeUndefined();
  });

  it('sends TLS files for tcp:// and no SSH field; SSH fields only for ssh://', () => {
    expect(addInputOf(form({ url: 'tcp://h:2376', privateKey: KEY, hostKey: 'SHA256:x', tlsCa: 'CA', tlsCert: 'CERT', tlsKey: 'KEY' }))).toEqual({
      name: 'rig-a',
      url: 'tcp://h:2376',
      tls: { ca: 'CA', cert: 'CERT', key: 'KEY' },
      gpus: 'all',
    });
    expect(addInputOf(form({ tlsCa: 'CA', tlsCert: 'C', tlsKey: 'K' })).tls).toBeUndefined();
    expect(urlKind(' TCP://h')).toBe('tcp');
    expect(urlKind('ssh://u@h')).toBe('ssh');
    expect(urlKind('http://h')).toBeNull();
  });

  it('checks the form with the contract schema: its own messages, on their fields', () => {
    expect(checkAddForm(form({ privateKey: KEY }))).toEqual({ input: { name: 'rig-a', url: 'ssh://ops@10.0.0.2', privateKey: KEY, gpus: 'all' } });
    expect(checkAddForm(form({ name: '', url: '' })).errors).toMatchObject({ name: 'give the rig a name, such as rig-a', url: 'write ssh://user@host or tcp://host:2376' });
    expect(checkAddForm(form({ name: 'Rig A' })).errors?.name).toMatch(/lowercase letters/);
    expect(checkAddForm(form({ name: 'local' })).errors?.name).toMatch(/this machine's own rig/);
    expect(checkAddForm(form({ url: 'ssh://10.0.0.2' })).errors?.url).toBe('name the SSH user: ssh://user@host');
    expect(checkAddForm(form({ url: 'ssh://ops@h/var/run/docker.sock' })).errors?.url).toMatch(/no path/);
    expect(checkAddForm(form({ url: 'http://h' })).errors?.url).toMatch(/scheme "http"/);
    expect(checkAddForm(form({ hostKey: 'SHA256:short' })).errors?.hostKey).toMatch(/43 characters/);
    expect(checkAddForm(form({ passphrase: 'pw' })).errors?.passphrase).toBe('a passphrase goes with a private key');
    expect(checkAddForm(form({ gpus: 'list', cards: 'card0, gpu1' })).errors?.gpus).toMatch(/"gpu1" is not a card name/);
    expect(checkAddForm(form({ gpus: 'list', cards: ' ' })).errors?.gpus).toMatch(/list card names/);
    expect(checkAddForm(form({ sysfs: 'sys' })).errors?.sysfs).toBe('an absolute path');
  });

  it('asks for every TLS file of a tcp:// rig', () => {
    expect(checkAddForm(form({ url: 'tcp://h:2376' })).errors).toEqual({
      tlsCa: "choose the engine's CA certificate",
      tlsCert: "choose this client's certificate",
      tlsKey: "choose this client's key",
    });
    expect(checkAddForm(form({ url: 'tcp://h:2376', tlsCa: 'A', tlsCert: 'B', tlsKey: 'C' })).errors).toBeUndefined();
  });

  it("puts the API's issues on the fields their paths name", () => {
    expect(fieldOfPath('0.url')).toBe('url');
    expect(fieldOfPath('url')).toBe('url');
    expect(fieldOfPath('name')).toBe('name');
    expect(fieldOfPath('0.tls')).toBe('tlsCa');
    expect(fieldOfPath('0.tls.cert')).toBe('tlsCert');
    expect(fieldOfPath('0.tls.key')).toBe('tlsKey');
    expect(fieldOfPath('0.gpus.1')).toBe('gpus');
    expect(fieldOfPath('0')).toBe('form');
    expect(fieldOfPath('')).toBe('form');
    expect(addMessages([{ path: '0.url', message: 'first' }, { path: '0.url', message: 'second' }, { path: 'name', message: 'taken' }, { path: '', message: 'whole' }])).toEqual({
      url: 'first',
      name: 'taken',
      form: 'whole',
    });
    expect(addMessages(undefined)).toEqual({});
  });

  it('sends the keyboard to the first bad field in the form order', () => {
    expect(firstInvalid({ sysfs: 'x', url: 'y' })).toBe('url');
    expect(firstInvalid({ gpus: 'x', tlsKey: 'y' })).toBe('tlsKey');
    expect(firstInvalid({ form: 'x' })).toBe('form');
    expect(firstInvalid({})).toBeNull();
  });

  it('keeps no secret after a submit: key, its file name, passphrase and TLS key go; the rest stays', () => {
    const f = form({ privateKey: KEY, keyFile: 'id', passphrase: 'pw', tlsCa: 'CA', tlsKey: 'K', tlsFiles: { ca: 'ca.pem', cert: '', key: 'key.pem' } });
    expect(withoutSecrets(f)).toEqual({ ...f, privateKey: '', keyFile: '', passphrase: '', tlsKey: '', tlsFiles: { ca: 'ca.pem', cert: '', key: '' } });
  });
});
