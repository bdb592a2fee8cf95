import { connect, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../testing/test-settings';
import { PortTunnel } from './port-tunnel';

const listening = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));

/** Sends a line to 127.0.0.1:port and reads what comes back until the far side closes. */
const exchange = (port: number, line: string) =>
  new Promise<string>((resolve) => {
    let got = '';
    const s = connect({ host: '127.0.0.1', port }, () => s.end(line));
    s.on('data', (d: Buffer) => (got += d.toString('utf8')));
    s.on('close', () => resolve(got));
    s.on('error', () => resolve(got));
  });

describe('PortTunnel', () => {
  const closing: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  it('carries each connection to the same port on the far side, and stops listening when closed', async () => {
    // The far side: an echo server with its own port, reached by the forward function as SSH's forwardOut would be.
    const far = createServer((s) => s.on('data', (d) => s.end(`echo ${d.toString()}`)));
    const farPort = await listening(far);
    closing.push(() => new Promise((r) => far.close(r)));
    const asked: number[] = [];
    const port = await freePort();
    const tunnel = new PortTunnel(async (p) => {
      asked.push(p);
      return connect({ host: '127.0.0.1', port: farPort });
    }, [port]);
    closing.push(() => tunnel.close());
    await tunnel.open();
    await tunnel.open();
    expect(await Promise.all([exchange(port, 'a'), exchange(port, 'b')])).toEqual(['echo a', 'echo b']);
    expect(asked).toEqual([port, port]);
    await tunnel.close();
    expect(await exchange(port, 'c')).toBe('');
  });

  it('closes a connection the far side cannot take, and says what to do about a port taken here', async () => {
    const port = await freePort();
    const tunnel = new PortTunnel(() => Promise.reject(new Error('rig down')), [port]);
    closing.push(() => tunnel.close());
    await tunnel.open();
    expect(await exchange(port, 'x')).toBe('');

    const taken = createServer();
    const takenPort = await listening(taken);
    closing.push(() => new Promise((r) => taken.close(r)));
    const blocked = new PortTunnel(() => Promise.reject(new Error('unused')), [await freePort(), takenPort]);
    await expect(blocked.open()).rejects.toMatchObject({ code: 'PORT_IN_USE', message: expect.stringContaining(`Port ${takenPort} on 127.0.0.1 is in use`) });
    // Nothing half-open: the port it took before the taken one is free again.
    await blocked.close();
  });
});
