import { z } from 'zod';
import { gpuSelectionSchema } from './gpu-selection';

/**
 * A rig: a Docker engine the console drives, with the inference workers it runs. The local
 * engine is the first rig and always there; others are reached over SSH (`ssh://user@host[:22]`,
 * keys from the user's agent or a key file) or over TCP with TLS client certificates
 * (`tcp://host:2376`). What identifies a rig here is never a secret: keys, passphrases and client
 * certificates live in the secret store.
 */

export const LOCAL_RIG_NAME = 'local';

/** A rig's name: a label value, a file name and part of a scrape job name, so kept plain. */
export const rigNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'lowercase letters, digits and dashes, starting with a letter or digit, 31 characters at most')
  .refine((n) => n !== LOCAL_RIG_NAME, `"${LOCAL_RIG_NAME}" is this machine's own rig`);

export const rigEndpointSchema = z.discriminatedUnion('protocol', [
  z.object({ protocol: z.literal('ssh'), host: z.string(), port: z.number().int(), username: z.string() }),
  z.object({ protocol: z.literal('tcp'), host: z.string(), port: z.number().int() }),
]);
export type RigEndpoint = z.output<typeof rigEndpointSchema>;

const DEFAULT_PORTS = { ssh: 22, tcp: 2376 } as const;

/**
 * Reads a rig's address. Only the scheme, user, host and port mean something to an engine
 * connection: a path, a query, a fragment or a password would be silently dropped or, worse,
 * a password would land in the rigs file, so each is refused with its own reason.
 */
export function parseRigUrl(text: string): { ok: true; endpoint: RigEndpoint } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, message: 'not a URL: write ssh://user@host or tcp://host:2376' };
  }
  const protocol = url.protocol.replace(/:$/, '');
  if (protocol !== 'ssh' && protocol !== 'tcp') return { ok: false, message: `scheme "${protocol}" is not supported: use ssh:// or tcp:// (with TLS)` };
  if (url.password) return { ok: false, message: 'no password in the URL: use a key (agent or key file); it is kept in the secret store' };
  if (url.pathname && url.pathname !== '/') return { ok: false, message: `a rig URL has no path ("${url.pathname}"): write ${protocol}://${url.username ? `${url.username}@` : ''}${url.host}` };
  if (url.search) return { ok: false, message: `a rig URL has no query ("${url.search}")` };
  if (url.hash) return { ok: false, message: `a rig URL has no fragment ("${url.hash}")` };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) return { ok: false, message: 'the URL names no host' };
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[protocol];
  if (protocol === 'ssh') {
    if (!url.username) return { ok: false, message: 'name the SSH user: ssh://user@host' };
    return { ok: true, endpoint: { protocol, host, port, username: decodeURIComponent(url.username) } };
  }
  if (url.username) return { ok: false, message: 'a tcp:// rig authenticates with TLS client certificates, not a user name' };
  return { ok: true, endpoint: { protocol, host, port } };
}

export const rigUrlSchema = z.string().transform((text, ctx) => {
  const parsed = parseRigUrl(text);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  }
  return parsed.endpoint;
});

/** The URL a stored endpoint is shown as. */
export function rigUrlOf(e: RigEndpoint): string {
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return e.protocol === 'ssh' ? `ssh://${e.username}@${host}:${e.port}` : `tcp://${host}:${e.port}`;
}

/** What a user gives to add a rig. Key material arrives as text and goes to the secret store. */
export const rigAddSchema = z
  .object({
    name: rigNameSchema,
    url: rigUrlSchema,
    /** SSH: a private key (OpenSSH or PEM text); absent: the user's SSH agent (SSH_AUTH_SOCK). */
    privateKey: z.string().min(1).optional(),
    passphrase: z.string().min(1).optional(),
    /** TCP: the engine's CA and this client's certificate and key, PEM. */
    tls: z.object({ ca: z.string().min(1), cert: z.string().min(1), key: z.string().min(1) }).optional(),
    /** The address workers publish on and Prometheus scrapes; default: the URL's host. */
    address: z.string().min(1).optional(),
    /** AMD cards that get a worker: `all`, `none` (one CPU worker) or card names. */
    gpus: gpuSelectionSchema.default('all'),
    /** The host key's fingerprint, when known ahead (`ssh-keygen -lf`); absent: pinned on first use. */
    hostKey: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a fingerprint as ssh-keygen -l prints it: SHA256: and 43 characters').optional(),
    /** Where the rig's sysfs is read for its cards: `/sys`, or a fixture tree in tests. */
    sysfs: z.string().startsWith('/', 'an absolute path').default('/sys'),
  })
  .superRefine((rig, ctx) => {
    if (rig.url.protocol === 'tcp' && !rig.tls) ctx.addIssue({ code: 'custom', path: ['tls'], message: 'a tcp:// rig needs its CA, client certificate and key' });
    if (rig.url.protocol === 'ssh' && rig.tls) ctx.addIssue({ code: 'custom', path: ['tls'], message: 'TLS certificates are for tcp:// rigs; ssh:// uses keys' });
    if (rig.url.protocol === 'tcp' && rig.hostKey) ctx.addIssue({ code: 'custom', path: ['hostKey'], message: 'a host key is for ssh:// rigs; tcp:// checks the engine\'s certificate' });
    if (rig.passphrase && !rig.privateKey) ctx.addIssue({ code: 'custom', path: ['passphrase'], message: 'a passphrase goes with a private key' });
  });
export type RigAdd = z.input<typeof rigAddSchema>;
export type RigAddParsed = z.output<typeof rigAddSchema>;

/** A rig as the console keeps it (rigs.json), with no secret in it. */
export const storedRigSchema = z.object({
  name: rigNameSchema,
  endpoint: rigEndpointSchema,
  address: z.string(),
  gpus: gpuSelectionSchema,
  sysfs: z.string(),
  /** `agent`: the SSH agent; `key`: a key in the secret store; `tls`: certificates there. */
  auth: z.enum(['agent', 'key', 'tls']),
  /** The host key pinned on first use (SHA256:… as OpenSSH prints it); null for tcp://. */
  hostKey: z.string().nullable(),
});
export type StoredRig = z.output<typeof storedRigSchema>;

export const rigFailureSchema = z.enum(['dns', 'refused', 'timeout', 'auth', 'host-key', 'docker-permission', 'tls', 'engine']);
export type RigFailure = z.output<typeof rigFailureSchema>;

/** What testing a rig found: the engine and its cards, or exactly what failed. */
export const rigProbeSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    engineVersion: z.string(),
    engineName: z.string(),
    hostKey: z.string().nullable(),
    cards: z.array(z.string()),
    /** Of the ports the workers would publish, those already taken on the rig. */
    portsTaken: z.array(z.number()),
    latencyMs: z.number(),
  }),
  z.object({ ok: z.literal(false), failure: rigFailureSchema, message: z.string() }),
]);
export type RigProbe = z.output<typeof rigProbeSchema>;

export const rigViewSchema = storedRigSchema.omit({ endpoint: true }).extend({
  url: z.string(),
  local: z.boolean(),
  /** The last test's outcome; null until tested. */
  probe: rigProbeSchema.nullable(),
  checkedAt: z.number().nullable(),
});
export type RigView = z.output<typeof rigViewSchema>;

/** One worker on a rig, as the rig's engine reports it. */
export const rigWorkerStatusSchema = z.object({
  id: z.string(),
  worker: z.string(),
  state: z.string(),
  health: z.string().nullable(),
  url: z.string().nullable(),
});

/** A rig's workers, or why the rig cannot be read (and then none are listed). */
export const rigStatusSchema = z.object({
  name: z.string(),
  address: z.string(),
  reachable: z.boolean(),
  failure: rigFailureSchema.nullable(),
  message: z.string().nullable(),
  /** Why the last start or stop on this rig failed; null once one succeeds. */
  error: z.string().nullable(),
  workers: z.array(rigWorkerStatusSchema),
});
export type RigStatus = z.output<typeof rigStatusSchema>;

export const rigFleetStatusSchema = z.object({ rigs: z.array(rigStatusSchema) });
export type RigFleetStatus = z.output<typeof rigFleetStatusSchema>;
