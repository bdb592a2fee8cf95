import { createHash } from 'node:crypto';
import { Agent, type ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import type { RigEndpoint } from '../../electron/api/schemas/rigs';
import { RigConnectionError, classifySshError } from './rig-errors';

/** A host key as OpenSSH prints its fingerprint: `SHA256:` and unpadded base64. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Gives an SSH channel the few socket methods Node's http client calls on its connection:
 * an idle timeout (dockerode's request timeout arms it), and no-ops for what a channel has no
 * use for (Nagle, TCP keepalive: the SSH connection has its own).
 */
function asSocket(channel: ClientChannel): ClientChannel {
  let timer: NodeJS.Timeout | null = null;
  let idleMs = 0;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = idleMs > 0 ? setTimeout(() => channel.emit('timeout'), idleMs).unref() : null;
  };
  channel.on('data', arm);
  // A long upload (an image being loaded) is not idle while it writes.
  const write = channel.write.bind(channel);
  channel.write = ((...args: Parameters<typeof write>) => {
    arm();
    return write(...args);
  }) as typeof channel.write;
  channel.once('close', () => timer && clearTimeout(timer));
  return Object.assign(channel, {
    setTimeout(ms: number, onTimeout?: () => void) {
      idleMs = ms;
      if (onTimeout) channel.once('timeout', onTimeout);
      arm();
      return channel;
    },
    setNoDelay: () => channel,
    setKeepAlive: () => channel,
    ref: () => channel,
    unref: () => channel,
  });
}

export interface SshCredentials {
  privateKey?: string;
  passphrase?: string;
  /** The SSH agent's socket; used when no key is given. */
  agentSocket?: string;
}

export interface SshEngineOptions {
  endpoint: Extract<RigEndpoint, { protocol: 'ssh' }>;
  credentials: SshCredentials;
  /** The pinned host key; null trusts the first one seen and reports it through onHostKey. */
  pinnedHostKey: string | null;
  onHostKey?: (fingerprint: string) => void;
  /** How long a connection may take to be ready, and how often a quiet one is probed. */
  readyTimeoutMs?: number;
  keepaliveMs?: number;
}

/**
 * An http.Agent that reaches a rig's Docker engine over one SSH connection, each request a
 * channel running `docker system dial-stdio` (as the docker CLI does for ssh:// hosts).
 * docker-modem's own ssh transport opens a new SSH connection for every request; one kept
 * connection makes a status refresh of many rigs cheap, and lets the host key be pinned and the
 * remote command's complaint (no permission on the socket) be told apart from a dropped link.
 */
export class SshEngineAgent extends Agent {
  private client: Promise<Client> | null = null;

  constructor(private readonly options: SshEngineOptions) {
    super({ keepAlive: false });
  }

  override createConnection(_options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | undefined {
    this.channel().then(
      (channel) => callback?.(null, channel),
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    );
    return undefined;
  }

  /** Opens a dial-stdio channel, connecting first when no connection is up. */
  async channel(): Promise<ClientChannel> {
    const client = await this.connect();
    return new Promise((resolve, reject) => {
      client.exec('docker system dial-stdio', (err, channel) => {
        if (err) {
          this.drop();
          reject(classifySshError(err, this.options.endpoint));
          return;
        }
        let stderr = '';
        channel.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
        channel.on('exit', (code: number | null) => {
          // The command said why it failed (no permission on the socket): that is the reason,
          // not "socket hang up". A quiet non-zero exit is the end of a finished request.
          if (code && stderr.trim()) channel.emit('error', RigConnectionError.fromDialStdio(stderr, code));
        });
        resolve(asSocket(channel));
      });
    });
  }

  /** A TCP connection to a port on the rig's loopback, through the SSH connection (as `ssh -L` makes). */
  async forward(port: number): Promise<ClientChannel> {
    const client = await this.connect();
    return new Promise((resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, '127.0.0.1', port, (err, channel) => (err ? reject(new RigConnectionError('refused', `The rig refused a connection to its port ${port} through SSH: ${err.message}. Its sshd must allow TCP forwarding (AllowTcpForwarding yes or local).`)) : resolve(channel)));
    });
  }

  /** Runs a shell command on the rig (reading its sysfs, its listening ports), never a Docker call. */
  async exec(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const client = await this.connect();
    return new Promise((resolve, reject) => {
      client.exec(command, (err, channel) => {
        if (err) return reject(classifySshError(err, this.options.endpoint));
        let stdout = '';
        let stderr = '';
        channel.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
        channel.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
        channel.on('close', (code: number | null) => resolve({ code: code ?? 0, stdout, stderr }));
      });
    });
  }

  private connect(): Promise<Client> {
    this.client ??= new Promise<Client>((resolve, reject) => {
      const { endpoint, credentials, pinnedHostKey } = this.options;
      const client = new Client();
      let seenKey: string | null = null;
      const config: ConnectConfig = {
        host: endpoint.host,
        port: endpoint.port,
        username: endpoint.username,
        readyTimeout: this.options.readyTimeoutMs ?? 10_000,
        keepaliveInterval: this.options.keepaliveMs ?? 5_000,
        keepaliveCountMax: 2,
        hostVerifier: (key: Buffer) => {
          seenKey = hostKeyFingerprint(key);
          return pinnedHostKey === null || pinnedHostKey === seenKey;
        },
        ...(credentials.privateKey ? { privateKey: credentials.privateKey, passphrase: credentials.passphrase } : { agent: credentials.agentSocket }),
      };
      client.once('ready', () => {
        if (pinnedHostKey === null && seenKey) this.options.onHostKey?.(seenKey);
        resolve(client);
      });
      client.on('error', (err) => {
        this.drop();
        reject(seenKey && pinnedHostKey && seenKey !== pinnedHostKey ? RigConnectionError.hostKeyChanged(endpoint.host, pinnedHostKey, seenKey) : classifySshError(err, endpoint));
      });
      // A connection that ends (link down, sshd restarted) is made anew by the next request.
      client.once('close', () => this.drop());
      client.connect(config);
    });
    return this.client;
  }

  private drop(): void {
    const current = this.client;
    this.client = null;
    current?.then((c) => c.end(), () => undefined);
  }

  override destroy(): void {
    this.drop();
    super.destroy();
  }
}
