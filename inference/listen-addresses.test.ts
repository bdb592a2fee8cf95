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
});
