import type { ServiceStatus } from '../../../electron/api/schemas/stack-status';
import { useWorkerAction } from '../api/stack-queries';

/**
 * One worker's own Start or Stop, beside the pair for all workers: a stopped worker keeps its
 * container and leaves Prometheus's targets, so stopping it on purpose pages nobody.
 */
export function WorkerActions({ service, disabled }: { service: ServiceStatus; disabled: boolean }) {
  const action = useWorkerAction();
  const worker = service.worker ?? 'cpu';
  // Only a worker whose container is there can be started or stopped alone; a missing one starts with the others.
  if (service.state === 'missing') return null;
  const verb = service.state === 'exited' ? 'start' : 'stop';
  return (
    <>
      <div className="actions card-actions">
        <button
          type="button"
          disabled={disabled || action.isPending}
          onClick={() => action.mutate({ worker, action: verb })}
          data-testid={`worker-action-${worker}`}
          aria-label={`${verb === 'start' ? 'Start' : 'Stop'} worker ${worker}`}
        >
          {action.isPending ? (verb === 'start' ? 'Starting…' : 'Stopping…') : verb === 'start' ? `Start ${worker}` : `Stop ${worker}`}
        </button>
      </div>
      {action.error && (
        <p className="error" role="alert" data-testid={`worker-action-error-${worker}`}>
          {action.error.message}
        </p>
      )}
    </>
  );
}
