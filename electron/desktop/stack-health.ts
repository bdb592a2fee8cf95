import type { StackStatus } from '../api/schemas/stack-status';

export type StackHealth = 'healthy' | 'degraded' | 'stopped';

/**
 * The tray's one-word summary: stopped when no enabled service runs (or Docker does not answer),
 * healthy when every enabled service runs and answers, degraded for anything in between.
 */
export function stackHealth(status: StackStatus): StackHealth {
  const enabled = status.services.filter((s) => s.enabled);
  if (!status.engine.reachable || enabled.every((s) => s.state === 'missing' || s.state === 'exited' || s.state === 'dead')) return 'stopped';
  if (status.operation === 'idle' && enabled.every((s) => s.state === 'running' && s.health === 'healthy')) return 'healthy';
  return 'degraded';
}

export const HEALTH_LABEL: Record<StackHealth, string> = {
  healthy: 'stack healthy',
  degraded: 'stack degraded',
  stopped: 'stack stopped',
};
