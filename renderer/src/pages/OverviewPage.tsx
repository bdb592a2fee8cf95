import { ApiCallError } from '../api/client';
import { useStackAction, useStackProgress, useStackStatus } from '../api/stack-queries';
import { FirstRunChecks } from '../components/FirstRunChecks';
import { ActionableError } from '../components/ActionableError';
import { ServiceCard } from '../components/ServiceCard';
import { WorkerActions } from '../components/WorkerActions';

export function OverviewPage() {
  const status = useStackStatus();
  const progress = useStackProgress();
  const up = useStackAction('stack.up');
  const down = useStackAction('stack.down');
  const startInference = useStackAction('inference.start');
  const stopInference = useStackAction('inference.stop');

  if (status.isPending) return <p className="muted">Asking the Docker engine…</p>;
  if (status.isError) return <ActionableError error={status.error} onRetry={() => void status.refetch()} testId="status-error" />;

  const stack = status.data;
  const busy = stack.operation !== 'idle' || up.isPending || down.isPending;
  const anyRunning = stack.services.some((s) => s.state !== 'missing');
  const allReady = stack.services.every((s) => !s.enabled || (s.state === 'running' && s.health === 'healthy'));
  const actionError = up.error ?? down.error;
  const workers = stack.services.filter((s) => s.name === 'inference' && s.enabled);
  const inferenceBusy = busy || startInference.isPending || stopInference.isPending;
  const inferenceActive = workers.some((s) => s.state !== 'missing' && s.state !== 'exited');
  const inferenceError = startInference.error ?? stopInference.error;
  // One pair of buttons for all workers, on the first worker's card; with several, each its own too.
  const inferenceActions = (
    <>
      <div className="actions card-actions">
        <button type="button" onClick={() => startInference.mutate()} disabled={inferenceBusy || !stack.engine.reachable || workers.every((s) => s.state === 'running')} data-testid="inference-start">
          Start
        </button>
        <button type="button" onClick={() => stopInference.mutate()} disabled={inferenceBusy || !inferenceActive} data-testid="inference-stop">
          Stop
        </button>
      </div>
      {inferenceError && (
        <p className="error" role="alert">
          {inferenceError.message}
        </p>
      )}
    </>
  );

  return (
    <section aria-labelledby="overview-title">
      <div className="toolbar">
        <h1 id="overview-title">Rig</h1>
        <div className="actions">
          <button type="button" className="primary" onClick={() => up.mutate()} disabled={busy || !stack.engine.reachable || allReady}>
            {stack.operation === 'starting' ? 'Starting…' : 'Start stack'}
          </button>
          <button type="button" onClick={() => down.mutate()} disabled={busy || !stack.engine.reachable || !anyRunning}>
            {stack.operation === 'stopping' ? 'Stopping…' : 'Stop stack'}
          </button>
        </div>
      </div>

      <FirstRunChecks />
      {!stack.engine.reachable && (
        <ActionableError
          error={new ApiCallError({ code: 'ENGINE_UNREACHABLE', message: stack.engine.message ?? `No answer from ${stack.engine.endpoint}.` })}
          onRetry={() => void status.refetch()}
          testId="engine-error"
        />
      )}
      {actionError && <ActionableError error={actionError} testId="action-error" />}
      {progress.stack && busy && <p className="muted" data-testid="stack-step">{progress.stack.message}</p>}

      <div className="cards">
        {stack.services.map((s) => (
          <ServiceCard
            key={s.id}
            service={s}
            progress={busy || startInference.isPending ? progress[s.id] : undefined}
            actions={
              workers.includes(s) ? (
                <>
                  {s === workers[0] && inferenceActions}
                  {workers.length > 1 && <WorkerActions service={s} disabled={inferenceBusy || !stack.engine.reachable} />}
                </>
              ) : undefined
            }
          />
        ))}
      </div>
    </section>
  );
}
