import type { PrometheusClient } from '../../../stack/clients/prometheus-client';
import type { AlertHistory } from '../../api/schemas/alert-history';
import { historyEntries } from './firing-periods';
import { historyGrid, promDurationSeconds } from './history-grid';

/** Prometheus's own record of every alert's state, one series per alert, written at each rule evaluation. */
export const FIRING_ALERTS = 'ALERTS{alertstate="firing"}';

/**
 * What fired and resolved between `start` and `end` (Unix seconds), from `ALERTS` alone.
 *
 * Why not refine each start with `ALERTS_FOR_STATE` (whose value is the alert's activeAt): that
 * is when it went pending, not firing; firing starts `for` later, rounded up to an evaluation,
 * and `for` is the rule's current one, not necessarily the one it had then. The first firing
 * sample is already within one evaluation of the truth whenever the step is the evaluation
 * interval, which holds for every range up to 11,000 evaluations (3.8 days at 30 s).
 *
 * Known limit: Prometheus writes no stale marker when it is itself stopped, so an alert firing
 * when the stack stops seems to fire on for up to its lookback (5 minutes) past that.
 */
export async function alertHistory(prometheus: PrometheusClient, start: number, end: number, evaluationInterval: string): Promise<AlertHistory> {
  const evaluationSeconds = promDurationSeconds(evaluationInterval);
  const grid = historyGrid(start, end, evaluationSeconds);
  const { result } = await prometheus.queryRange(FIRING_ALERTS, grid.start, grid.end, grid.step);
  return { ...grid, evaluationSeconds, entries: historyEntries(result, grid) };
}
