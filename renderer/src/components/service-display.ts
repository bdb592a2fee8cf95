import type { ProcessStatus } from '../../../electron/process/process-status';
import type { ServiceStatus } from '../../../stack/stack-status';

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

export { SERVICE_TITLES } from '../../../stack/stack-status';

/** One word and a colour for the supervised inference process. */
export function describeProcess(p: ProcessStatus): { label: string; tone: Tone } {
  if (!p.enabled) return { label: 'Off', tone: 'off' };
  switch (p.state) {
    case 'running':
      return p.healthy ? { label: 'Healthy', tone: 'ok' } : { label: 'Starting', tone: 'busy' };
    case 'starting':
      return { label: 'Starting', tone: 'busy' };
    case 'backoff':
      return { label: 'Restarting', tone: 'bad' };
    case 'failed':
      return { label: 'Failed', tone: 'bad' };
    case 'stopped':
      return { label: 'Stopped', tone: 'off' };
  }
}
