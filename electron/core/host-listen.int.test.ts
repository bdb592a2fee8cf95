import { describe, expect, it } from 'vitest';
import { hostListenPlan } from './host-listen';

describe('host listen plan', () => {
  it('serves 127.0.0.1 and the Docker host gateway, never every interface', async () => {
    const plan = await hostListenPlan();
    expect(plan.addresses[0]).toBe('127.0.0.1');
    expect(plan.addresses[1]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(plan.addresses).not.toContain('0.0.0.0');
    expect(plan.note).toBeNull();
  });

  it('falls back to loopback only, and says why, when Docker is unreachable', async () => {
    const plan = await hostListenPlan({ DOCKER_HOST: 'unix:///tmp/rx580-no-engine.sock' });
    expect(plan.addresses).toEqual(['127.0.0.1']);
    expect(plan.note).toMatch(/Docker is unreachable.*only 127\.0\.0\.1/);
  });
});
