import { parseRigUrl, rigAddSchema, type RigAdd } from '../../../electron/api/schemas/rigs';

/**
 * The "Add rig" form as typed, turned into what `rigs.add` takes, checked with the contract's own
 * schema, and the API's issues put back on the fields they name.
 */

export interface AddRigForm {
  name: string;
  url: string;
  /** The SSH private key's text (picked file or paste); '' means the user's SSH agent. */
  privateKey: string;
  /** The picked key file's name, to say which one is loaded (its text is never shown). */
  keyFile: string;
  passphrase: string;
  hostKey: string;
  address: string;
  gpus: 'all' | 'none' | 'list';
  /** Card names when gpus is 'list': `card0, card1`. */
  cards: string;
  sysfs: string;
  tlsCa: string;
  tlsCert: string;
  tlsKey: string;
  /** File names of the picked TLS files. */
  tlsFiles: { ca: string; cert: string; key: string };
}

export type AddField = 'name' | 'url' | 'privateKey' | 'passphrase' | 'hostKey' | 'address' | 'gpus' | 'sysfs' | 'tlsCa' | 'tlsCert' | 'tlsKey' | 'form';
export type AddMessages = Partial<Record<AddField, string>>;

/** The fields in the form's order: the first with a message gets the keyboard focus. */
export const ADD_FIELD_ORDER: readonly AddField[] = ['name', 'url', 'privateKey', 'passphrase', 'hostKey', 'tlsCa', 'tlsCert', 'tlsKey', 'address', 'gpus', 'sysfs'];

export function emptyAddForm(): AddRigForm {
  return { name: '', url: '', privateKey: '', keyFile: '', passphrase: '', hostKey: '', address: '', gpus: 'all', cards: '', sysfs: '', tlsCa: '', tlsCert: '', tlsKey: '', tlsFiles: { ca: '', cert: '', key: '' } };
}

/** The form without any secret in it: what stays after a submit, whatever its outcome. */
export function withoutSecrets(form: AddRigForm): AddRigForm {
  return { ...form, privateKey: '', keyFile: '', passphrase: '', tlsKey: '', tlsFiles: { ...form.tlsFiles, key: '' } };
}

/** Which kind of rig the URL names so far: SSH fields or TLS fields are shown for it. */
export function urlKind(url: string): 'ssh' | 'tcp' | null {
  const m = /^\s*(ssh|tcp):\/\//i.exec(url);
  return m ? (m[1]!.toLowerCase() as 'ssh' | 'tcp') : null;
}

const opt = (text: string) => {
  const t = text.trim();
  return t === '' ? undefined : t;
};

/** What `rigs.add` is sent: empty optional fields left out; SSH fields for ssh://, TLS for tcp://. */
export function addInputOf(form: AddRigForm): RigAdd {
  const kind = urlKind(form.url);
  const input: RigAdd = { name: form.name.trim(), url: form.url.trim() };
  // A key is sent as it is (its trailing newline matters to some parsers); only whitespace is "none".
  if (kind !== 'tcp' && form.privateKey.trim()) input.privateKey = form.privateKey;
  if (kind !== 'tcp' && form.passphrase) input.passphrase = form.passphrase;
  if (kind !== 'tcp' && opt(form.hostKey)) input.hostKey = opt(form.hostKey);
  if (kind === 'tcp' && (form.tlsCa.trim() || form.tlsCert.trim() || form.tlsKey.trim())) input.tls = { ca: form.tlsCa, cert: form.tlsCert, key: form.tlsKey };
  if (opt(form.address)) input.address = opt(form.address);
  input.gpus = form.gpus === 'list' ? form.cards : form.gpus;
  if (opt(form.sysfs)) input.sysfs = opt(form.sysfs);
  return input;
}

/** The form field an issue's path names: `0.url` → url, `0.tls.ca` → tlsCa, `name` (a 409) → name. */
export function fieldOfPath(path: string): AddField {
  const keys = path.split('.').filter(Boolean);
  if (keys[0] === '0') keys.shift();
  const [head, sub] = keys;
  switch (head) {
    case 'name':
    case 'url':
    case 'privateKey':
    case 'passphrase':
    case 'hostKey':
    case 'address':
    case 'gpus':
    case 'sysfs':
      return head;
    case 'tls':
      return sub === 'cert' ? 'tlsCert' : sub === 'key' ? 'tlsKey' : 'tlsCa';
    default:
      return 'form';
  }
}

/** Messages by field from the API's (or the schema's) issues; the first message of a field wins. */
export function addMessages(issues: readonly { path: string; message: string }[] | undefined): AddMessages {
  const out: AddMessages = {};
  for (const { path, message } of issues ?? []) out[fieldOfPath(path)] ??= message;
  return out;
}

/** The first field (in the form's order) with a message, for the focus; 'form' when only the form has one. */
export function firstInvalid(messages: AddMessages): AddField | null {
  return ADD_FIELD_ORDER.find((f) => messages[f]) ?? (messages.form ? 'form' : null);
}

/**
 * The form checked as `rigs.add` will check it (the contract's schema: the same messages), plus
 * what only a form can get wrong: a TLS file missing, a card list left empty.
 */
export function checkAddForm(form: AddRigForm): { input: RigAdd; errors?: undefined } | { errors: AddMessages } {
  const input = addInputOf(form);
  const errors: AddMessages = {};
  if (!input.name) errors.name = 'give the rig a name, such as rig-a';
  if (!form.url.trim()) errors.url = 'write ssh://user@host or tcp://host:2376';
  else {
    const parsed = parseRigUrl(form.url);
    if (!parsed.ok) errors.url = parsed.message;
  }
  if (urlKind(form.url) === 'tcp') {
    if (!form.tlsCa.trim()) errors.tlsCa = "choose the engine's CA certificate";
    if (!form.tlsCert.trim()) errors.tlsCert = "choose this client's certificate";
    if (!form.tlsKey.trim()) errors.tlsKey = "choose this client's key";
  }
  if (form.gpus === 'list' && !form.cards.trim()) errors.gpus = 'list card names such as card0, card1, or choose all or none';
  const parsed = rigAddSchema.safeParse(input);
  const schema = parsed.success ? {} : addMessages(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  const all = { ...schema, ...errors };
  return Object.keys(all).length > 0 ? { errors: all } : { input };
}
