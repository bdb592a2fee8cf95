import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { RigView } from '../../../electron/api/schemas/rigs';
import { ApiCallError } from '../api/client';
import { addMessages, checkAddForm, emptyAddForm, firstInvalid, urlKind, withoutSecrets, type AddField, type AddMessages, type AddRigForm as Form } from './add-rig-form';
import { RigField } from './RigField';
import { probeLine } from './rig-view';
import { useAddRig } from './rigs-queries';

/**
 * Adds a rig: the API tests the connection first and stores nothing unless it works. The key is
 * read in the browser from a picked file (or pasted), sent once, and dropped from the page when
 * the form is sent, whatever the answer.
 */
export function AddRigForm({ onAdded }: { onAdded: (rig: RigView) => void }) {
  const add = useAddRig();
  const [form, setForm] = useState<Form>(emptyAddForm);
  const [messages, setMessages] = useState<AddMessages>({});
  const [banner, setBanner] = useState<{ kind: 'ok' | 'error'; text: string; rig?: RigView } | null>(null);
  const [keyDropped, setKeyDropped] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const kind = urlKind(form.url);

  const set = (patch: Partial<Form>, fields: AddField[] = Object.keys(patch) as AddField[]) => {
    setForm((f) => ({ ...f, ...patch }));
    // A field's message goes once it is edited; the others stay until the next submit.
    setMessages((m) => Object.fromEntries(Object.entries(m).filter(([k]) => !fields.includes(k as AddField))));
  };

  const focusField = (field: AddField | null) => {
    if (!field) return;
    formRef.current?.querySelector<HTMLElement>(field === 'form' ? '[name="name"]' : `[name="${field}"]`)?.focus();
  };

  // The API's answer: its issues go on their fields and the keyboard to the first of them.
  useEffect(() => {
    if (!add.error) return;
    const fields = add.error instanceof ApiCallError ? addMessages(add.error.issues) : {};
    setMessages(fields);
    setBanner({ kind: 'error', text: add.error.message });
    focusField(firstInvalid(fields));
  }, [add.error]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (add.isPending) return;
    setBanner(null);
    const checked = checkAddForm(form);
    if (checked.errors) {
      setMessages(checked.errors);
      focusField(firstInvalid(checked.errors));
      return;
    }
    setMessages({});
    // Sent once; the page keeps no key, passphrase or TLS key after this, whatever the answer.
    setKeyDropped(Boolean(form.privateKey || form.passphrase || form.tlsKey));
    setForm(withoutSecrets(form));
    add.add(checked.input);
  };

  useEffect(() => {
    if (!add.data) return;
    setForm(emptyAddForm());
    setKeyDropped(false);
    setBanner({ kind: 'ok', text: `Added rig ${add.data.name}`, rig: add.data });
    onAdded(add.data);
  }, [add.data]);

  const readFile = (e: ChangeEvent<HTMLInputElement>, patch: (text: string, name: string) => Partial<Form>, fields: AddField[]) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    void file.text().then(
      (text) => set(patch(text, file.name), fields),
      (err: Error) => setMessages((m) => ({ ...m, [fields[0]!]: `${file.name} could not be read: ${err.message}` })),
    );
  };

  const probe = banner?.rig ? probeLine(banner.rig.probe) : null;
  return (
    <form ref={formRef} className="card add-rig" noValidate onSubmit={submit} aria-labelledby="add-rig-title" data-testid="add-rig-form">
      <h2 id="add-rig-title">Add rig</h2>
      <p className="muted small">
        A Docker engine reached over SSH (<span className="mono">ssh://user@host</span>, the user in the rig&apos;s <span className="mono">docker</span> group) or over TCP with TLS
        client certificates (<span className="mono">tcp://host:2376</span>). The connection is tested first: nothing is stored unless it works. Keys and certificates go to the
        console&apos;s encrypted secret store and never come back to this page.
      </p>
      <div className="field-grid add-rig-grid">
        <RigField name="name" label="Name" message={messages.name} hint="lowercase letters, digits and dashes, such as rig-a">
          {(p) => <input {...p} value={form.name} onChange={(e) => set({ name: e.target.value })} autoComplete="off" spellCheck={false} />}
        </RigField>
        <RigField name="url" label="URL" message={messages.url} hint="ssh://user@host[:port] or tcp://host:2376">
          {(p) => <input {...p} value={form.url} onChange={(e) => set({ url: e.target.value })} placeholder="ssh://ops@192.168.1.20" autoComplete="off" spellCheck={false} />}
        </RigField>
        {kind !== 'tcp' && (
          <>
            <RigField
              name="privateKey"
              label="SSH private key"
              message={messages.privateKey}
              hint={form.keyFile ? `loaded from ${form.keyFile} (not shown)` : keyDropped ? 'not kept after sending: choose or paste it again' : 'optional: empty uses your SSH agent'}
            >
              {(p) => (
                <div className="key-input">
                  <label className="button">
                    Choose key file…
                    <input
                      type="file"
                      className="visually-hidden"
                      data-testid="rig-key-file"
                      onChange={(e) => readFile(e, (text, name) => ({ privateKey: text, keyFile: name }), ['privateKey'])}
                    />
                  </label>
                  {form.keyFile ? (
                    <button type="button" onClick={() => set({ privateKey: '', keyFile: '' }, ['privateKey'])}>
                      Clear key
                    </button>
                  ) : (
                    <textarea
                      {...p}
                      rows={2}
                      className="secret-text"
                      value={form.privateKey}
                      onChange={(e) => set({ privateKey: e.target.value })}
                      placeholder="or paste it: -----BEGIN OPENSSH PRIVATE KEY-----…"
                      autoComplete="off"
                      spellCheck={false}
                    />
                  )}
                </div>
              )}
            </RigField>
            <RigField name="passphrase" label="Key passphrase" message={messages.passphrase} hint="optional, for an encrypted key">
              {(p) => <input {...p} type="password" value={form.passphrase} onChange={(e) => set({ passphrase: e.target.value })} autoComplete="new-password" />}
            </RigField>
            <RigField name="hostKey" label="Expected host key" message={messages.hostKey} hint="optional: SHA256:… from ssh-keygen -lf; empty pins the key seen on first use">
              {(p) => <input {...p} value={form.hostKey} onChange={(e) => set({ hostKey: e.target.value })} placeholder="SHA256:…" autoComplete="off" spellCheck={false} />}
            </RigField>
          </>
        )}
        {kind === 'tcp' &&
          (['ca', 'cert', 'key'] as const).map((part) => {
            const field = part === 'ca' ? 'tlsCa' : part === 'cert' ? 'tlsCert' : 'tlsKey';
            const label = part === 'ca' ? "Engine's CA certificate" : part === 'cert' ? 'Client certificate' : 'Client key';
            return (
              <RigField key={part} name={field} label={label} message={messages[field]} hint={form.tlsFiles[part] ? `loaded from ${form.tlsFiles[part]}` : 'a PEM file'}>
                {(p) => (
                  <input
                    {...p}
                    type="file"
                    data-testid={`rig-tls-${part}`}
                    onChange={(e) => readFile(e, (text, name) => ({ [field]: text, tlsFiles: { ...form.tlsFiles, [part]: name } }), [field])}
                  />
                )}
              </RigField>
            );
          })}
        <RigField name="address" label="Address" message={messages.address} hint="optional: where workers publish and Prometheus scrapes; default: the URL's host">
          {(p) => <input {...p} value={form.address} onChange={(e) => set({ address: e.target.value })} autoComplete="off" spellCheck={false} />}
        </RigField>
        <RigField name="gpus" label="GPUs" message={messages.gpus} hint={form.gpus === 'list' ? 'card names, such as card0, card1' : 'AMD cards that get a worker'}>
          {(p) => (
            <div className="gpu-choice">
              <select {...p} value={form.gpus} onChange={(e) => set({ gpus: e.target.value as Form['gpus'] }, ['gpus'])}>
                <option value="all">all cards</option>
                <option value="none">none (one CPU worker)</option>
                <option value="list">these cards…</option>
              </select>
              {form.gpus === 'list' && (
                <input aria-label="Card names" value={form.cards} onChange={(e) => set({ cards: e.target.value }, ['gpus'])} placeholder="card0, card1" spellCheck={false} />
              )}
            </div>
          )}
        </RigField>
      </div>
      <details className="advanced" open={Boolean(messages.sysfs) || undefined}>
        <summary>Advanced</summary>
        <RigField name="sysfs" label="sysfs path" message={messages.sysfs} hint="where the rig's AMD cards are read: /sys (the default), or a fixture tree in tests">
          {(p) => <input {...p} value={form.sysfs} onChange={(e) => set({ sysfs: e.target.value })} placeholder="/sys" spellCheck={false} />}
        </RigField>
      </details>
      {messages.form && (
        <p className="field-error" role="alert">
          {messages.form}
        </p>
      )}
      <div className="actions run">
        <button type="submit" className="primary" disabled={add.isPending} data-testid="add-rig-submit">
          {add.isPending ? 'Testing the connection…' : 'Test and add rig'}
        </button>
      </div>
      {add.isPending && (
        <div role="status" data-testid="add-rig-progress">
          <p className="muted small">Testing the connection: SSH, the Docker engine, its AMD cards and ports…</p>
          <div className="progress" aria-label="Testing the connection">
            <div className="progress-fill indeterminate" />
          </div>
        </div>
      )}
      {banner?.kind === 'error' && (
        <p className="error" role="alert" data-testid="add-rig-error">
          {banner.text}
        </p>
      )}
      {banner?.kind === 'ok' && banner.rig && (
        <div className="notice" role="status" data-testid="add-rig-added">
          <strong>{banner.text}.</strong> {probe?.text}
          <br />
          Host key pinned: <span className="mono">{banner.rig.hostKey ?? '(TLS: the engine certificate is checked)'}</span>
        </div>
      )}
    </form>
  );
}
