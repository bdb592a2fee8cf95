import type { ReactNode } from 'react';
import type { ServiceStatus, StackProgress } from '../../../electron/api/schemas/stack-status';
import { formatDuration } from '../metrics/format';
import { ProgressBar } from './ProgressBar';
import { ServiceCardFrame } from './ServiceCardFrame';
import { describeService, serviceTitle } from './service-display';
import { useNow } from './use-now';

const STEP_ORDER: StackProgress['step'][] = ['pull', 'create', 'start', 'wait-ready', 'ready'];
const STEP_LABELS: Partial<Record<StackProgress['step'], string>> = { pull: 'Pull', build: 'Build', create: 'Create', start: 'Start', 'wait-ready': 'Wait ready', ready: 'Ready' };

/** The start steps as a row of chips: done, current, to come (a built image's first step is Build). */
function StartSteps({ step }: { step: StackProgress['step'] }) {
  const order = step === 'build' ? ['build' as const, ...STEP_ORDER.slice(1)] : STEP_ORDER;
  const at = order.indexOf(step);
  if (at === -1) return null;
  return (
    <ol className="steps" aria-label="Start steps">
      {order.map((s, i) => (
        <li key={s} className={i < at ? 'done' : i === at ? 'current' : undefined} aria-current={i === at ? 'step' : undefined}>
          {STEP_LABELS[s]}
        </li>
      ))}
    </ol>
  );
}

/** One service or inference worker: state, port (opens in the browser), uptime, restarts, what it runs. */
export function ServiceCard({ service, progress, actions }: { service: ServiceStatus; progress?: StackProgress; actions?: ReactNode }) {
  const now = useNow(10_000);
  const { label, tone } = describeService(service);
  const title = serviceTitle(service);
  const running = service.enabled && service.state === 'running';
  // The inference API's own description is the useful page to open; the others serve a UI.
  const href = service.url && (service.name === 'inference' ? `${service.url}/openapi.json` : service.url);
  return (
    <ServiceCardFrame id={service.id} title={title} label={label} tone={tone}>
      <dl>
        <dt>State</dt>
        <dd>
          {service.enabled ? service.state : 'switched off in settings'}
          {running && service.health !== 'none' && <> · {service.health}</>}
        </dd>
        <dt>Port</dt>
        <dd>
          {service.port === null ? (
            <span title="Scraped by Prometheus over the stack network; publish it in Settings to open it here">stack network only</span>
          ) : running && href ? (
            <a href={href} target="_blank" rel="noreferrer" data-testid="service-open" title={`Open ${title} in the browser`}>
              127.0.0.1:{service.port} ↗
            </a>
          ) : (
            <>127.0.0.1:{service.port}</>
          )}
        </dd>
        <dt>Uptime</dt>
        <dd data-testid="service-uptime">{running && service.startedAt ? formatDuration((now - Date.parse(service.startedAt)) / 1000) : '–'}</dd>
        {service.enabled && service.runtime === 'container' && (
          <>
            <dt>Restarts</dt>
            <dd data-testid="service-restarts">{service.restarts}</dd>
          </>
        )}
        {service.worker && service.worker !== 'cpu' && (
          <>
            <dt>Runs on</dt>
            <dd data-testid="service-worker">{service.worker.startsWith('card') ? `GPU ${service.worker}` : `CPU slot ${service.worker}`}</dd>
          </>
        )}
        {service.runtime === 'host' ? (
          <>
            <dt>Process</dt>
            <dd className="mono">{service.pid !== null ? `pid ${service.pid}` : '–'}</dd>
          </>
        ) : (
          <>
            <dt>Image</dt>
            <dd className="mono">{service.image}</dd>
          </>
        )}
      </dl>
      {progress && progress.step !== 'done' && (
        <div className="step" data-testid="service-step">
          <StartSteps step={progress.step} />
          <span>{progress.message}</span>
          {(progress.step === 'pull' || progress.step === 'build') && <ProgressBar current={progress.current} total={progress.total} label={progress.message} />}
        </div>
      )}
      {actions}
    </ServiceCardFrame>
  );
}
