import type { RigStatus } from '../../../electron/api/schemas/rigs';
import { workerState } from './rig-view';
import { useRigWorker } from './rigs-queries';

type Worker = RigStatus['workers'][number];

/**
 * One worker of a rig, with its own Start or Stop: a stopped worker stays on the rig, out of
 * Prometheus's targets, until started again here, by `rx580-ops rig start` or the rig's Start.
 */
export function WorkerRow({ rig, worker }: { rig: string; worker: Worker }) {
  const start = useRigWorker('rigs.workerUp');
  const stop = useRigWorker('rigs.workerDown');
  const state = workerState(worker);
  const running = worker.state === 'running' || worker.state === 'restarting';
  const action = running ? stop : start;
  const busy = start.isPending || stop.isPending;
  const failed = start.error ?? stop.error;
  const verb = running ? 'Stop' : 'Start';
  return (
    <tr data-testid={`rig-worker-${worker.worker}`}>
      <td className="mono">{worker.id}</td>
      <td>{worker.worker}</td>
      <td>
        <span className={`badge badge-${state.tone}`}>{state.text}</span>
        {failed && (
          <div className="bad small" role="alert" data-testid="rig-worker-error">
            {failed.message}
          </div>
        )}
      </td>
      <td className="mono">{worker.url ?? '—'}</td>
      <td>
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            start.reset();
            stop.reset();
            action.mutate({ rig, worker: worker.worker });
          }}
          data-testid="rig-worker-action"
          aria-label={`${verb} worker ${worker.worker} on ${rig}`}
        >
          {busy ? (start.isPending ? 'Starting…' : 'Stopping…') : verb}
        </button>
      </td>
    </tr>
  );
}
