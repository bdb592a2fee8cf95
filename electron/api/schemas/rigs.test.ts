import { describe, expect, it } from 'vitest';
import { parseRigUrl, rigAddSchema, rigUrlOf } from './rigs';

describe('rig URLs', () => {
  it.each([
    ['ssh://ops@10.0.0.5', { protocol: 'ssh', host: '10.0.0.5', port: 22, username: 'ops' }],
    ['ssh://ops@rig-b.lan:2222', { protocol: 'ssh', host: 'rig-b.lan', port: 2222, username: 'ops' }],
    ['ssh://ops@[fd00::5]/', { protocol: 'ssh', host: 'fd00::5', port: 22, username: 'ops' }],
    ['tcp://10.0.0.6', { protocol: 'tcp', host: '10.0.0.6', port: 2376 }],
  ])('reads %s', (text, endpoint) => {
    expect(parseRigUrl(text)).toEqual({ ok: true, endpoint });
  });

  it.each([
    ['ssh://ops@10.0.0.5/var/run/docker.sock', /no path \("\/var\/run\/docker.sock"\): write ssh:\/\/ops@10.0.0.5/],
    ['ssh://ops@10.0.0.5?socket=x', /no query/],
    ['ssh://ops@10.0.0.5#x', /no fragment/],
    ['ssh://ops:hunter2@10.0.0.5', /no password in the URL/],
    ['ssh://10.0.0.5', /name the SSH user/],
    ['http://10.0.0.5:2375', /scheme "http" is not supported/],
    ['tcp://root@10.0.0.6', /TLS client certificates, not a user name/],
    ['10.0.0.5', /scheme|not a URL/],
    ['', /not a URL/],
  ])('refuses %s', (text, message) => {
    const parsed = parseRigUrl(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toMatch(message);
  });

  it('shows a stored endpoint as a URL that reads back the same', () => {
    for (const text of ['ssh://ops@10.0.0.5:22', 'ssh://ops@[fd00::5]:22', 'tcp://10.0.0.6:2376']) {
      const parsed = parseRigUrl(text);
      expect(parsed.ok && rigUrlOf(parsed.endpoint)).toBe(text);
    }
  });
});

describe('adding a rig', () => {
  const issues = (input: unknown) => {
    const r = rigAddSchema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('takes an SSH rig with the agent, and defaults its GPUs to all', () => {
    expect(rigAddSchema.parse({ name: 'rig-b', url: 'ssh://ops@10.0.0.5' })).toMatchObject({ name: 'rig-b', gpus: 'all', url: { protocol: 'ssh' } });
  });

  it('gives each bad field its reason', () => {
    expect(issues({ name: 'local', url: 'ssh://ops@h' })).toEqual(['name: "local" is this machine\'s own rig']);
    expect(issues({ name: 'Rig B', url: 'ssh://ops@h' })[0]).toMatch(/^name: lowercase letters/);
    expect(issues({ name: 'b', url: 'ssh://ops@h/x' })[0]).toMatch(/^url: a rig URL has no path/);
    expect(issues({ name: 'b', url: 'tcp://h' })).toEqual(['tls: a tcp:// rig needs its CA, client certificate and key']);
    expect(issues({ name: 'b', url: 'ssh://ops@h', passphrase: 'x' })).toEqual(['passphrase: a passphrase goes with a private key']);
    expect(issues({ name: 'b', url: 'ssh://ops@h', gpus: 'card0,card0' })[0]).toMatch(/^gpus: card0 listed more than once/);
  });
});
