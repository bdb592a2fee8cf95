import { ApiCallError } from '../api/client';
import { useStackAction, useStackProgress, useStackStatus } from '../api/stack-queries';
import { FirstRunChecks } from '../components/FirstRunChecks';
import { InferenceCard } from '../components/InferenceCard';
import { ActionableError } from '../components/ActionableError';
import { ServiceCard } from '../components/ServiceCard';

export function OverviewPage() {
  const status = useStackStatus();
  const progress = useStackProgress();
  const up = useStackAction('stack.up');
  const down = useStackAction('stack.down');

  if (status.isPending) return <p className="muted">Asking the Docker engine…</p>;
  if (status.isError) return <ActionableError error={status.error} onRetry={() => void status.refetch()} testId="status-error" />;

  const stack = status.data;
  const busy = stack.operation !== 'idle' || up.isPending || down.isPending;
  const anyRunning = stack.services.some((s) => s.state !== 'missing');
  const allReady = stack.services.every((s) => !s.enabled || (s.state === 'running' && s.health === 'healthy'));
  const actionError = up.error ?? down.error;

  return (
    <section aria-labelledby="overview-title">
      <div className="toolbar">
        <h1 id="overview-title">Monitoring stack</h1>
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
          <ServiceCard key={s.name} service={s} progress={busy ? progress[s.name] : undefined} />
        ))}
        <InferenceCard />
      </div>
    </section>
  );
}
