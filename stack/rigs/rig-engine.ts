import Docker from 'dockerode';
import type { StoredRig } from '../../electron/api/schemas/rigs';
import { SshEngineAgent, type SshCredentials } from './ssh-engine-agent';

/** A rig's credentials, from the secret store: never in rigs.json, never logged. */
export interface RigSecrets {
  privateKey?: string;
  passphrase?: string;
  tls?: { ca: string; cert: string; key: string };
}

export interface RigEngine {
  docker: Docker;
  /** The SSH connection, for the few reads Docker does not offer (sysfs, listening ports); null over tcp://. */
  ssh: SshEngineAgent | null;
  close(): void;
}

export interface OpenRigOptions {
  /** The user's SSH agent, when the rig has no key of its own. */
  agentSocket?: string;
  /** Told the host key seen on a first connection, to pin it. */
  onHostKey?: (fingerprint: string) => void;
  readyTimeoutMs?: number;
  keepaliveMs?: number;
}

/** Requests to a rig fail after this long rather than hang a status refresh. */
const REQUEST_TIMEOUT_MS = 20_000;

/** A dockerode client for one rig: over one kept SSH connection, or TLS with client certificates. */
export function openRigEngine(rig: StoredRig, secrets: RigSecrets, options: OpenRigOptions = {}): RigEngine {
  const { endpoint } = rig;
  if (endpoint.protocol === 'tcp') {
    if (!secrets.tls) throw new Error(`rig ${rig.name} has no TLS certificates in the secret store`);
    const docker = new Docker({ protocol: 'https', host: endpoint.host, port: endpoint.port, ...secrets.tls, timeout: REQUEST_TIMEOUT_MS });
    return { docker, ssh: null, close: () => undefined };
  }
  const credentials: SshCredentials = secrets.privateKey ? { privateKey: secrets.privateKey, passphrase: secrets.passphrase } : { agentSocket: options.agentSocket };
  const ssh = new SshEngineAgent({
    endpoint,
    credentials,
    pinnedHostKey: rig.hostKey,
    onHostKey: options.onHostKey,
    readyTimeoutMs: options.readyTimeoutMs,
    keepaliveMs: options.keepaliveMs,
  });
  // The host name only labels requests: every connection comes from the agent. No request
  // timeout: an image load is silent for as long as the engine unpacks it, and a dead link is
  // found by the SSH keepalive, which fails every request on it.
  const docker = new Docker({ protocol: 'http', host: `rig-${rig.name}`, port: 2375, agent: ssh } as Docker.DockerOptions);
  return { docker, ssh, close: () => ssh.destroy() };
}
