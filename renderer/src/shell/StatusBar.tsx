import { usePrometheusAlerts } from '../api/monitoring-queries';
import { useStackStatus } from '../api/stack-queries';

/** Always on screen: is the Docker engine there, and how many alerts fire. */
export function StatusBar() {
  const stack = useStackStatus();
  const { ready, query } = usePrometheusAlerts(10_000);
  const engine = stack.data?.engine;
  const firing = query.data?.filter((a) => a.state === 'firing').length ?? 0;
  const pending = query.data?.filter((a) => a.state === 'pending').length ?? 0;

  return (
    <footer className="statusbar" role="status" aria-label="Status">
      <span data-testid="engine-connection" title={engine ? `The stack's engine: ${engine.endpoint}` : undefined}>
        <span className={`dot dot-${!engine ? 'off' : engine.reachable ? 'ok' : 'bad'}`} aria-hidden="true" />
        {!engine ? 'Docker engine: checking…' : engine.reachable ? `Docker engine ${engine.version ?? ''} connected` : 'Docker engine unreachable'}
      </span>
      <a href="#/alerts" data-testid="firing-count" className={firing > 0 ? 'firing' : undefined}>
        {!ready ? 'Alerts: Prometheus not running' : query.isError ? 'Alerts: unknown' : `${firing} firing${pending ? ` · ${pending} pending` : ''}`}
      </a>
    </footer>
  );
}
