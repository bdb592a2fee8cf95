import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { StackError } from '../engine/stack-errors';

/** Opens a connection to a port on the far side (a rig's loopback, through SSH). */
export type Forward = (port: number) => Promise<Duplex>;

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Makes ports of a rig answer on this machine's loopback, as `ssh -L` does: each connection to
 * 127.0.0.1:<port> here is carried to 127.0.0.1:<port> there. The console's clients, reloads and
 * readiness probes and the user's browser (Grafana) then work as with a stack on this machine,
 * while the rig publishes nothing beyond its own loopback. The tunnel is the console's only: the
 * stack runs without it.
 */
export class PortTunnel {
  private servers: Server[] = [];
  private opening: Promise<void> | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly forward: Forward,
    private readonly ports: number[],
  ) {}

  /** Listens on every port (once); a port taken here fails with what to do about it. */
  open(): Promise<void> {
    this.opening ??= this.listenAll().catch((err: unknown) => {
      this.opening = null;
      throw err;
    });
    return this.opening;
  }

  private async listenAll(): Promise<void> {
    const servers: Server[] = [];
    try {
      for (const port of this.ports) {
        // Half-open allowed: a client that sends its request and ends its side still gets the answer.
        const server = createServer({ allowHalfOpen: true }, (socket) => this.carry(socket, port));
        await listen(server, port).catch((err: NodeJS.ErrnoException) => {
          throw err.code === 'EADDRINUSE'
            ? new StackError('PORT_IN_USE', `Port ${port} on 127.0.0.1 is in use, so the stack on the rig cannot be reached through it: stop what uses it here (a stack still running on this machine?).`)
            : err;
        });
        servers.push(server);
      }
    } catch (err) {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      throw err;
    }
    this.servers = servers;
  }

  private carry(socket: Socket, port: number): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    this.forward(port).then(
      (channel) => {
        if (socket.destroyed) return void channel.destroy();
        channel.on('error', () => socket.destroy());
        channel.once('close', () => socket.destroy());
        socket.once('close', () => channel.destroy());
        socket.pipe(channel).pipe(socket);
      },
      // The rig cannot be reached: the client sees its connection close, as with a port nobody serves.
      () => socket.destroy(),
    );
  }

  /** Stops listening and drops the connections it carries. */
  async close(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    this.opening = null;
    for (const s of this.sockets) s.destroy();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}
