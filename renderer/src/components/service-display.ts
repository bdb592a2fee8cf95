import type { ServiceStatus } from '../../../electron/api/schemas/stack-status';

export type Tone = 'ok' | 'busy' | 'bad' | 'off';

/** One word and a colour for a service, from its container state and readiness. */
export function describeService(s: ServiceStatus): { label: string; tone: Tone } {
  if (!s.enabled) return { label: 'Off', tone: 'off' };
  switch (s.state) {
    case 'running':
      if (s.health === 'healthy') return { label: 'Healthy', tone: 'ok' };
      if (s.health === 'unhealthy') return { label: 'Unhealthy', tone: 'bad' };
      return { label: 'Starting', tone: 'busy' };
    case 'restarting':
      return { label: 'Restarting', tone: 'bad' };
    case 'created':
      return { label: 'Created', tone: 'busy' };
    case 'removing':
      return { label: 'Stopping', tone: 'busy' };
    case 'paused':
      return { label: 'Paused', tone: 'off' };
    case 'dead':
      return { label: 'Dead', tone: 'bad' };
    case 'exited':
    case 'missing':
      return { label: 'Stopped', tone: 'off' };
  }
}

import { SERVICE_TITLES } from '../../../electron/api/schemas/stack-status';

/** A service's title; an inference worker's names its GPU or CPU slot. */
export function serviceTitle(s: Pick<ServiceStatus, 'name' | 'worker' | 'runtime'>): string {
  const title = SERVICE_TITLES[s.name];
  if (s.runtime === 'host') return `${title} (host process)`;
  return s.worker && s.worker !== 'cpu' ? `${title} · ${s.worker}` : title;
}
