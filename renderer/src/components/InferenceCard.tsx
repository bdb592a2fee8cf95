import { useInferenceProcess, useInferenceProcessAction } from '../api/inference-process-queries';
import { formatDuration } from '../metrics/format';
import { ServiceCardFrame } from './ServiceCardFrame';
import { describeProcess } from './service-display';
import { useNow } from './use-now';

/** The local inference service beside the stack's containers: state, restarts, last crash, start and stop. */
export function InferenceCard() {
  const now = useNow(1000);
  const status = useInferenceProcess();
  const start = useInferenceProcessAction('inference.start');
  const stop = useInferenceProcessAction('inference.stop');
  if (!status.data) return null;
  const p = status.data;
  const { label, tone } = describeProcess(p);
  const active = p.state === 'running' || p.state === 'starting' || p.state === 'backoff';
  const busy = start.isPending || stop.isPending;
  const error = start.error ?? stop.error;
  return (
    <ServiceCardFrame id="inference" title="Inference service" label={label} tone={tone}>
      <dl>
        <dt>State</dt>
        <dd>
          {p.enabled ? p.state : 'switched off in settings'}
          {p.pid !== null && <span className="muted"> · pid {p.pid}</span>}
        </dd>
        <dt>Address</dt>
        <dd>
          {p.url && p.healthy ? (
            <a href={`${p.url}/openapi.json`} target="_blank" rel="noreferrer" title="Open the inference API in the browser">
              {p.url.replace(/^http:\/\//, '')} ↗
            </a>
          ) : (
            (p.url?.replace(/^http:\/\//, '') ?? '–')
          )}
        </dd>
        <dt>Restarts</dt>
        <dd data-testid="inference-restarts">{p.restarts}</dd>
        {p.lastExit && (
          <>
            <dt>Last exit</dt>
            <dd data-testid="inference-last-exit">
              {p.lastExit.signal ? `signal ${p.lastExit.signal}` : `exit code ${p.lastExit.code}`} · {formatDuration((now - Date.parse(p.lastExit.at)) / 1000)} ago
            </dd>
          </>
        )}
        {p.nextRestartAt && (
          <>
            <dt>Next try</dt>
            <dd>in {formatDuration(Math.max(0, (Date.parse(p.nextRestartAt) - now) / 1000))}</dd>
          </>
        )}
      </dl>
      {p.enabled && (
        <div className="actions card-actions">
          <button type="button" onClick={() => start.mutate()} disabled={busy || active} data-testid="inference-start">
            Start
          </button>
          <button type="button" onClick={() => stop.mutate()} disabled={busy || !active} data-testid="inference-stop">
            Stop
          </button>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
    </ServiceCardFrame>
  );
}
