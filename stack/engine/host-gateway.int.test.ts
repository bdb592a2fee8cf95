import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { connectDocker } from './docker-engine';
import { firstHostAddress, hostGatewayAddress } from './host-gateway';

describe('host gateway', () => {
  it('takes the first host address of a subnet', () => {
    expect(firstHostAddress('172.17.0.0/16')).toBe('172.17.0.1');
    expect(firstHostAddress('10.200.3.0/24')).toBe('10.200.3.1');
    expect(firstHostAddress('fd00::/64')).toBeNull();
  });

  it('finds an address of this host that the engine routes containers to', async () => {
    const address = await hostGatewayAddress(connectDocker());
    expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // Proof that it is this host's: a server can bind it.
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, address!, resolve));
    await new Promise((r) => server.close(r));
  });

  it('answers null, not a throw, when the engine is unreachable', async () => {
    expect(await hostGatewayAddress(connectDocker({ DOCKER_HOST: 'unix:///tmp/rx580-no-engine.sock' }))).toBeNull();
  });
});
