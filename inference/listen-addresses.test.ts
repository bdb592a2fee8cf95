import { describe, expect, it } from 'vitest';
import { planListenAddresses } from './listen-addresses';

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
});
