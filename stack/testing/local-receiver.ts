import type Docker from 'dockerode';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostGatewayAddress } from '../engine/host-gateway';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * A local HTTP receiver standing in for Slack or Discord: records every request and answers
 * like them (200 for Slack's "ok", 204 for Discord). It listens on the Docker host-gateway
 * address only, which the stack's containers reach as the host; nothing leaves the machine.
 */
export class LocalReceiver {
  readonly requests: ReceivedRequest[] = [];
  private constructor(
    private readonly server: Server,
    readonly host: string,
    /** What it answers; a test may change it to play a refusing service. */
    public status: number,
  ) {}

  static async start(docker: Docker, status = 200): Promise<LocalReceiver> {
    const host = await hostGatewayAddress(docker);
    if (!host) throw new Error('The Docker engine has no default bridge: no host-gateway address to listen on.');
    const server = createServer();
    const receiver = new LocalReceiver(server, host, status);
    server.on('request', (req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        let body: unknown = raw;
        try {
          body = JSON.parse(raw);
        } catch {
          // not JSON: recorded as text
        }
        receiver.requests.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(receiver.status, { 'content-type': 'text/plain' }).end(receiver.status === 200 ? 'ok' : '');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, resolve);
    });
    return receiver;
  }

  url(path: string): string {
    return `http://${this.host}:${(this.server.address() as AddressInfo).port}${path}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
