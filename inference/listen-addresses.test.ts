import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planListenAddresses } from './listen-addresses';

describe('listen addresses', () => {
  it('serves 127.0.0.1 and the Docker host gateway by default, never every interface', async () => {
    const plan = await planListenAddresses(undefined);
    expect(plan.addresses[0]).toBe('127.0.0.1');
    expect(plan.addresses[1]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(plan.addresses).not.toContain('0.0.0.0');
    expect(plan.note).toBeNull();
  });

  it('falls back to loopback only, and says why, when Docker is unreachable', async () => {
    const plan = await planListenAddresses(undefined, { DOCKER_HOST: 'unix:///tmp/rx580-no-engine.sock' });
    expect(plan.addresses).toEqual(['127.0.0.1']);
    expect(plan.note).toMatch(/Docker is unreachable.*only 127\.0\.0\.1/);
  });

  it('takes an explicit list but refuses wildcards and non-addresses', async () => {
    expect((await planListenAddresses(['127.0.0.1', '127.0.0.1'])).addresses).toEqual(['127.0.0.1']);
    await expect(planListenAddresses(['0.0.0.0'])).rejects.toThrow(/every interface/);
    await expect(planListenAddresses(['::'])).rejects.toThrow(/every interface/);
    await expect(planListenAddresses(['example.com'])).rejects.toThrow(/not an IP address/);
  });

  it('in a container, listens on every interface of its namespace, says why, and never asks Docker', async () => {
    // A socket standing in for the engine: any connection to it would be a gateway query.
    const dir = await mkdtemp(join(tmpdir(), 'rx580-listen-'));
    const socket = join(dir, 'docker.sock');
    let asked = 0;
    const engine = createServer((c) => (asked++, c.destroy()));
    await new Promise<void>((r) => engine.listen(socket, r));
    try {
      const plan = await planListenAddresses(undefined, { DOCKER_HOST: `unix://${socket}` }, true);
      expect(plan.addresses).toEqual(['0.0.0.0']);
      expect(plan.note).toMatch(/every interface of the container's own network namespace/);
      expect((await planListenAddresses(['0.0.0.0'], {}, true)).addresses).toEqual(['0.0.0.0']);
      expect(asked).toBe(0);
    } finally {
      await new Promise((r) => engine.close(r));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
