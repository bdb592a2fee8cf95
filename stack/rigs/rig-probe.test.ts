import { describe, expect, it } from 'vitest';
import { amdCardsOf, listeningPorts } from './rig-probe';
import { gpuGroupIdsOf } from '../gpu/amd-cards';
import { classifySshError, RigConnectionError } from './rig-errors';

const ssh = { protocol: 'ssh', host: 'rig-b.lan', port: 22, username: 'ops' } as const;

describe('reading a rig over SSH', () => {
  it('keeps AMD cards only, in card order, each with its card node before its render node', () => {
    expect(amdCardsOf('card10 0x1002 renderD138 card10 \ncard1 0x10de card1 renderD129\ncard2 0x1002 card2 renderD130 controlD66\ncard0-DP-1 0x1002\n\n')).toEqual([
      { name: 'card2', nodes: ['/dev/dri/card2', '/dev/dri/renderD130'] },
      { name: 'card10', nodes: ['/dev/dri/card10', '/dev/dri/renderD138'] },
    ]);
  });

  it('reads the rig\'s render and video gids from its /etc/group', () => {
    expect(gpuGroupIdsOf('root:x:0:\nvideo:x:44:ops\nrender:x:109:\nrenderx:x:5:\n')).toEqual([44, 109]);
  });

  it('takes listening sockets from /proc/net/tcp and tcp6, not connected ones', () => {
    const proc = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1',
      '   1: 0100007F:1F40 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2 1',
      '   0: 00000000000000000000000000000000:1F41 00000000000000000000000000000000:0000 0A 0 0 0 0 0 3 1',
    ].join('\n');
    expect([...listeningPorts(proc)].sort()).toEqual([22, 8001]);
  });
});

describe('what failed reaching a rig', () => {
  const failure = (err: Error & { code?: string; level?: string }) => classifySshError(err, ssh);
  it.each([
    [Object.assign(new Error('getaddrinfo ENOTFOUND rig-b.lan'), { code: 'ENOTFOUND' }), 'dns', /does not resolve/],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'refused', /refused the connection/],
    [Object.assign(new Error('Timed out while waiting for handshake'), { level: 'client-timeout' }), 'timeout', /did not answer in time/],
    [new Error('No response from server'), 'timeout', /off or its network is down/],
    [Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }), 'auth', /ops@rig-b.lan refused the key/],
  ])('%s', (err, kind, message) => {
    const e = failure(err);
    expect([e.failure, e.status]).toEqual([kind, 502]);
    expect(e.message).toMatch(message);
  });

  it('reads the remote docker command\'s own complaint', () => {
    const denied = RigConnectionError.fromDialStdio('permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: ...\n', 1);
    expect(denied.failure).toBe('docker-permission');
    expect(denied.message).toMatch(/docker group/);
    expect(RigConnectionError.fromDialStdio('sh: 1: docker: not found\n', 127).failure).toBe('engine');
  });
});
