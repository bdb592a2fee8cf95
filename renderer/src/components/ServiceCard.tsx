import type { ServiceStatus, StackProgress } from '../../../stack/stack-status';
import { formatDuration } from '../metrics/format';
import { ProgressBar } from './ProgressBar';
import { ServiceCardFrame } from './ServiceCardFrame';
import { describeService, SERVICE_TITLES } from './service-display';
import { useNow } from './use-now';

const STEP_ORDER: StackProgress['step'][] = ['pull', 'create', 'start', 'wait-ready', 'ready'];
const STEP_LABELS: Partial<Record<StackProgress['step'], string>> = { pull: 'Pull', create: 'Create', start: 'Start', 'wait-ready': 'Wait ready', ready: 'Ready' };

/** The start steps as a row of chips: done, current, to come. */
function StartSteps({ step }: { step: StackProgress['step'] }) {
  const at = STEP_ORDER.indexOf(step);
  if (at === -1) return null;
  return (
    <ol className="steps" aria-label="Start steps">
      {STEP_ORDER.map((s, i) => (
        <li key={s} className={i < at ? 'done' : i === at ? 'current' : undefined} aria-current={i === at ? 'step' : undefined}>
          {STEP_LABELS[s]}
        </li>
      ))}
    </ol>
  );
}

export function ServiceCard({ service, progress }: { service: ServiceStatus; progress?: StackProgress }) {
  const now = useNow(10_000);
  const { label, tone } = describeService(service);
  const title = SERVICE_TITLES[service.name];
  const running = service.enabled && service.state === 'running';
  return (
    <ServiceCardFrame id={service.name} title={title} label={label} tone={tone}>
      <dl>
        <dt>State</dt>
        <dd>
          {service.enabled ? service.state : 'switched off in settings'}
          {running && service.health !== 'none' && <> · {service.health}</>}
        </dd>
        <dt>Port</dt>
        <dd>
          {running ? (
            <a href={service.url} target="_blank" rel="noreferrer" data-testid="service-open" title={`Open ${title} in the browser`}>
              127.0.0.1:{service.port} ↗
            </a>
          ) : (
            <>127.0.0.1:{service.port}</>
          )}
        </dd>
        <dt>Uptime</dt>
        <dd data-testid="service-uptime">{running && service.startedAt ? formatDuration((now - Date.parse(service.startedAt)) / 1000) : '–'}</dd>
        <dt>Image</dt>
        <dd className="mono">{service.image}</dd>
      </dl>
      {progress && progress.step !== 'done' && (
        <div className="step" data-testid="service-step">
          <StartSteps step={progress.step} />
          <span>{progress.message}</span>
          {progress.step === 'pull' && <ProgressBar current={progress.current} total={progress.total} label={`Pulling ${service.image}`} />}
        </div>
      )}
    </ServiceCardFrame>
  );
}
