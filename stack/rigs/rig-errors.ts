import { ConsoleError } from '../console-error';
import type { RigEndpoint, RigFailure } from '../../electron/api/schemas/rigs';

/** A rig that cannot be reached or used, with what failed in one word and a sentence for the user. */
export class RigConnectionError extends ConsoleError {
  override name = 'RigConnectionError';
  constructor(
    readonly failure: RigFailure,
    message: string,
  ) {
    super(`RIG_${failure.toUpperCase().replace(/-/g, '_')}`, message, 502);
  }

  static hostKeyChanged(host: string, pinned: string, seen: string): RigConnectionError {
    return new RigConnectionError(
      'host-key',
      `${host} showed host key ${seen}, not the pinned ${pinned}: the machine changed or someone is in between. If the rig was reinstalled, remove it and add it again.`,
    );
  }

  /** The remote `docker system dial-stdio` failed before the engine answered: its own words say why. */
  static fromDialStdio(stderr: string, code: number): RigConnectionError {
    const said = stderr.trim().split('\n').pop() ?? '';
    if (/permission denied/i.test(stderr)) {
      return new RigConnectionError('docker-permission', `The SSH user may not use Docker on the rig (${said}): add it to the rig's docker group, or connect as a user who may.`);
    }
    if (/not found/i.test(stderr) && /docker/i.test(stderr)) {
      return new RigConnectionError('engine', `The rig has no docker command for this user (${said}): install Docker there.`);
    }
    return new RigConnectionError('engine', `The rig's Docker engine did not answer (docker system dial-stdio exited with ${code}${said ? `: ${said}` : ''}).`);
  }
}

type SystemError = Error & { code?: string; level?: string };

const hostOf = (e: RigEndpoint) => `${e.host}:${e.port}`;

/** Names what went wrong reaching a rig from what Node's net/dns or ssh2 raised. */
export function classifySshError(err: SystemError, endpoint: RigEndpoint): RigConnectionError {
  if (err instanceof RigConnectionError) return err;
  const where = hostOf(endpoint);
  switch (err.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new RigConnectionError('dns', `The name ${endpoint.host} does not resolve (${err.code}): check the rig's host name.`);
    case 'ECONNREFUSED':
      return new RigConnectionError('refused', `${where} refused the connection: nothing listens there (is sshd running, is the port right?).`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new RigConnectionError('timeout', `${where} cannot be reached (${err.code}): the rig is off or its network is down.`);
  }
  if (/^(ERR_TLS|ERR_SSL)|CERT|SELF_SIGNED/.test(err.code ?? '') || /certificate|self.signed/i.test(err.message)) {
    return new RigConnectionError('tls', `${where} failed the TLS check (${err.message}): give the engine's CA and this client's certificate and key.`);
  }
  // ssh2's keepalive gives up on a silent link with "No response from server".
  if (err.level === 'client-timeout' || /timed out|no response from server/i.test(err.message)) {
    return new RigConnectionError('timeout', `${where} did not answer in time: the rig is off or its network is down.`);
  }
  if (err.level === 'client-authentication' || /authentication methods failed/i.test(err.message)) {
    const who = endpoint.protocol === 'ssh' ? `${endpoint.username}@${endpoint.host}` : endpoint.host;
    return new RigConnectionError('auth', `${who} refused the key: add its public key to the user's authorized_keys, or give the right key.`);
  }
  return new RigConnectionError('engine', `${where}: ${err.message}`);
}
