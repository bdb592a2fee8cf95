import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, planListenAddresses } from './listen-addresses';

describe('listen addresses', () => {
  it('serves 127.0.0.1 alone unless told more, and says how to add the Docker gateway', () => {
    const plan = planListenAddresses(undefined);
    expect(plan.addresses).toEqual(['127.0.0.1']);
    expect(plan.note).toMatch(/127\.0\.0\.1 only.*--listen 127\.0\.0\.1,<gateway>/);
  });

  it('takes an explicit list but refuses wildcards and non-addresses', () => {
    expect(planListenAddresses(['127.0.0.1', '127.0.0.1']).addresses).toEqual(['127.0.0.1']);
    expect(() => planListenAddresses(['0.0.0.0'])).toThrow(/every interface/);
    expect(() => planListenAddresses(['::'])).toThrow(/every interface/);
    expect(() => planListenAddresses(['example.com'])).toThrow(/not an IP address/);
  });

  it('in a container, listens on every interface of its namespace and says why', () => {
    const plan = planListenAddresses(undefined, true);
    expect(plan.addresses).toEqual(['0.0.0.0']);
    expect(plan.note).toMatch(/every interface of the container's own network namespace/);
    expect(planListenAddresses(['0.0.0.0'], true).addresses).toEqual(['0.0.0.0']);
  });

  it('tells a loopback peer from any other, IPv4-mapped included', () => {
    for (const a of ['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of [undefined, '172.17.0.1', '::ffff:10.0.0.1', '::', '0.0.0.0', '1127.0.0.1']) expect(isLoopbackAddress(a)).toBe(false);
  });
});
