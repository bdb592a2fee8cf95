import { describe, expect, it } from 'vitest';
import type { ServiceStatus, StackStatus } from '../api/schemas/stack-status';
import { stackHealth } from './stack-health';
import { trayMenu } from './tray-controller';

const service = (name: ServiceStatus['name'], state: ServiceStatus['state'], health: ServiceStatus['health'], enabled = true): ServiceStatus => ({
  id: name,
  name,
  worker: null,
  runtime: 'container',
  pid: null,
  restarts: 0,
  enabled,
  image: 'img',
  port: 1,
  url: 'http://127.0.0.1:1',
  state,
  health,
  containerId: state === 'missing' ? null : 'id',
  startedAt: null,
});
const status = (services: ServiceStatus[], over: Partial<StackStatus> = {}): StackStatus => ({
  project: 'p',
  engine: { reachable: true, endpoint: 'unix:///var/run/docker.sock', version: '28', message: null },
  services,
  operation: 'idle',
  lastError: null,
  ...over,
});

describe('stackHealth', () => {
  it.each([
    ['every enabled service runs and answers', [service('prometheus', 'running', 'healthy'), service('alertmanager', 'running', 'healthy'), service('grafana', 'missing', 'none', false)], {}, 'healthy'],
    ['one service still starting', [service('prometheus', 'running', 'healthy'), service('alertmanager', 'running', 'starting')], {}, 'degraded'],
    ['one service missing while another runs', [service('prometheus', 'running', 'healthy'), service('alertmanager', 'missing', 'none')], {}, 'degraded'],
    ['a container restarting', [service('prometheus', 'restarting', 'none'), service('alertmanager', 'running', 'healthy')], {}, 'degraded'],
    ['all healthy but an operation under way', [service('prometheus', 'running', 'healthy')], { operation: 'stopping' as const }, 'degraded'],
    ['nothing created', [service('prometheus', 'missing', 'none'), service('alertmanager', 'missing', 'none')], {}, 'stopped'],
    ['containers exited', [service('prometheus', 'exited', 'none'), service('alertmanager', 'dead', 'none')], {}, 'stopped'],
    ['Docker does not answer', [service('prometheus', 'missing', 'none')], { engine: { reachable: false, endpoint: 'x', version: null, message: 'down' } }, 'stopped'],
  ])('%s', (_name, services, over, expected) => {
    expect(stackHealth(status(services, over))).toBe(expected);
  });

  it('offers Start when not healthy, Stop when not stopped, neither while busy', () => {
    const noop = () => undefined;
    const actions = { startStack: noop, stopStack: noop, openConsole: noop, quit: noop };
    const enabled = (h: Parameters<typeof trayMenu>[0], busy: boolean) =>
      trayMenu(h, busy, actions)
        .filter((i) => i.label === 'Start stack' || i.label === 'Stop stack')
        .map((i) => `${i.label}:${i.enabled}`);
    expect(enabled('stopped', false)).toEqual(['Start stack:true', 'Stop stack:false']);
    expect(enabled('healthy', false)).toEqual(['Start stack:false', 'Stop stack:true']);
    expect(enabled('degraded', false)).toEqual(['Start stack:true', 'Stop stack:true']);
    expect(enabled('degraded', true)).toEqual(['Start stack:false', 'Stop stack:false']);
    expect(trayMenu('healthy', false, actions).map((i) => i.label).filter(Boolean)).toEqual(['RX580 Ops Console: stack healthy', 'Start stack', 'Stop stack', 'Open console', 'Quit']);
  });
});
