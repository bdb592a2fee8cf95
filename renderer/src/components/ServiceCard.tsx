import type { ServiceStatus, StackProgress } from '../../../stack/stack-status';
import { ProgressBar } from './ProgressBar';
import { describeService, SERVICE_TITLES } from './service-display';

export function ServiceCard({ service, progress }: { service: ServiceStatus; progress?: StackProgress }) {
  const { label, tone } = describeService(service);
  const title = SERVICE_TITLES[service.name];
  return (
    <article className="card service" data-testid={`service-${service.name}`} aria-label={title}>
      <header>
        <h2>{title}</h2>
        <span className={`badge badge-${tone}`} data-testid="service-status" role="status">
          {label}
        </span>
      </header>
      <dl>
        <dt>Port</dt>
        <dd>
          {service.enabled && service.state === 'running' ? (
            <a href={service.url} target="_blank" rel="noreferrer">
              127.0.0.1:{service.port}
            </a>
          ) : (
            <>127.0.0.1:{service.port}</>
          )}
        </dd>
        <dt>Image</dt>
        <dd className="mono">{service.image}</dd>
        {service.startedAt && (
          <>
            <dt>Started</dt>
            <dd>{new Date(service.startedAt).toLocaleTimeString()}</dd>
          </>
        )}
      </dl>
      {progress && progress.step !== 'ready' && progress.step !== 'done' && (
        <div className="step" data-testid="service-step">
          <span>{progress.message}</span>
          {progress.step === 'pull' && <ProgressBar current={progress.current} total={progress.total} label={`Pulling ${service.image}`} />}
        </div>
      )}
    </article>
  );
}
