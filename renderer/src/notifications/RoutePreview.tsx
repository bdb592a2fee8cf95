import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import type { RoutePreview as Preview } from '../../../electron/api/schemas/route-preview';
import { SilenceForm } from '../alerts/SilenceForm';
import { silenceForAlert } from '../alerts/silence-form';
import { useApi } from '../api/api-context';
import { useAlertmanagerAlerts } from '../api/silence-queries';
import { useHash } from '../shell/hash-route';
import { labelsFromRows, newRow, rowsFromLabels, type LabelRow, type RowErrors } from './label-rows';
import { groupByText, inhibitionText, integrationsText, nodeMatchers } from './route-preview-view';
import { labelsFromHash } from './route-hash';
import './route-preview.css';

/** The preview's query key: a save of the notifications refreshes every answer under it. */
export const ROUTE_PREVIEW_KEY = ['notifications', 'routePreview'] as const;

/**
 * Where an alert with these labels goes under the saved configuration: the route path, the
 * receivers and their timing, and the inhibit rules that could mute it. Labels come from the
 * rows, a pick (a rule of the console's, an active alert), or the address (`route-hash.ts`).
 */
export function RoutePreview() {
  const api = useApi();
  const hash = useHash();
  const section = useRef<HTMLElement>(null);
  const [rows, setRows] = useState<LabelRow[]>(() => rowsFromLabels({}));
  const [errors, setErrors] = useState<RowErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [asked, setAsked] = useState<Record<string, string> | null>(null);

  const ask = (labels: Record<string, string>) => {
    setErrors({});
    setProblem(null);
    setAsked(labels);
  };
  const fill = (labels: Record<string, string>) => {
    setRows(rowsFromLabels(labels));
    ask(labels);
  };

  // Another page links here with an alert's labels: fill them in and show the answer.
  useEffect(() => {
    const fromHash = labelsFromHash(hash);
    if (!fromHash) return;
    if ('error' in fromHash) setProblem(fromHash.error);
    else fill(fromHash.labels);
    section.current?.scrollIntoView({ block: 'start' });
  }, [hash]);

  const preview = useQuery({
    queryKey: [...ROUTE_PREVIEW_KEY, asked],
    queryFn: () => api.call('notifications.routePreview', asked!),
    enabled: asked !== null,
  });

  const submit = () => {
    const result = labelsFromRows(rows);
    if ('labels' in result) return ask(result.labels);
    setErrors(result.errors);
    setProblem(result.message);
  };

  return (
    <section ref={section} className="card route-preview" aria-labelledby="route-preview-title" data-testid="route-preview">
      <h2 id="route-preview-title">Routing preview</h2>
      <p className="muted">
        Where an alert with these labels goes under the saved configuration, as Alertmanager routes it, whether it runs or not. Save first to preview a change.
      </p>
      <Picks onPick={fill} />
      <form
        className="label-rows"
        aria-label="Labels of the alert"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {rows.map((row, i) => (
          <Row
            key={row.id}
            row={row}
            n={i + 1}
            errors={errors[row.id]}
            onChange={(patch) => setRows(rows.map((r) => (r.id === row.id ? { ...r, ...patch } : r)))}
            onRemove={() => setRows(rows.length > 1 ? rows.filter((r) => r.id !== row.id) : [newRow()])}
          />
        ))}
        <p className="field-note">A label without a value is left out, as Alertmanager treats an empty label as absent.</p>
        <div className="actions">
          <button type="button" onClick={() => setRows([...rows, newRow()])}>
            Add label
          </button>
          <button type="submit" className="primary" data-testid="route-preview-submit">
            Preview route
          </button>
        </div>
      </form>
      {problem && (
        <p className="error" role="alert" data-testid="route-preview-error">
          {problem}
        </p>
      )}
      {asked !== null && preview.isError && (
        <p className="error" role="alert" data-testid="route-preview-error">
          {preview.error.message}
        </p>
      )}
      {asked !== null && preview.isPending && <p className="muted">Walking the routes…</p>}
      {/* Keyed by the labels: a new question starts without the last one's silence form. */}
      {asked !== null && preview.data && <Result key={JSON.stringify(asked)} labels={asked} preview={preview.data} />}
    </section>
  );
}

function Row(props: { row: LabelRow; n: number; errors: RowErrors[number] | undefined; onChange(patch: Partial<LabelRow>): void; onRemove(): void }) {
  const id = useId();
  const field = (part: 'name' | 'value') => {
    const error = props.errors?.[part];
    return (
      <>
        <label htmlFor={`${id}-${part}`} className="visually-hidden">
          Label {props.n} {part}
        </label>
        <input
          id={`${id}-${part}`}
          className="mono"
          value={props.row[part]}
          placeholder={part}
          spellCheck={false}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}-${part}-e` : undefined}
          onChange={(e) => props.onChange({ [part]: e.target.value })}
          data-testid={`route-preview-label-${part}`}
        />
      </>
    );
  };
  const error = (part: 'name' | 'value') =>
    props.errors?.[part] && (
      <p id={`${id}-${part}-e`} className="field-error">
        {props.errors[part]}
      </p>
    );
  return (
    <div className="label-row" role="group" aria-label={`Label ${props.n}`}>
      {field('name')}
      <span aria-hidden="true">=</span>
      {field('value')}
      <button type="button" aria-label={`Remove label ${props.n}`} title="Remove this label" onClick={props.onRemove}>
        ×
      </button>
      {error('name')}
      {error('value')}
    </div>
  );
}

/** Label sets to start from: the console's alert rules, and what Alertmanager holds now. */
function Picks({ onPick }: { onPick(labels: Record<string, string>): void }) {
  const api = useApi();
  const id = useId();
  const rules = useQuery({ queryKey: ['notifications', 'ruleLabels'], queryFn: () => api.call('notifications.ruleLabels'), staleTime: Infinity });
  const active = useAlertmanagerAlerts();
  const alerts = active.query.data ?? [];
  const picks = [...(rules.data ?? []).map((r) => ({ group: 'rule', title: r.alert, labels: r.labels })), ...alerts.map((a) => ({ group: 'active', title: a.labels.alertname ?? a.fingerprint, labels: a.labels }))];
  if (!picks.length) return null;
  const option = (group: string) =>
    picks.map((p, i) =>
      p.group === group ? (
        <option key={i} value={i}>
          {p.title}
        </option>
      ) : null,
    );
  return (
    <div className="field route-picks">
      <label htmlFor={id}>Start from</label>
      <select
        id={id}
        value=""
        data-testid="route-preview-pick"
        onChange={(e) => {
          const pick = picks[Number(e.target.value)];
          if (pick) onPick(pick.labels);
        }}
      >
        <option value="">an alert rule or an active alert…</option>
        <optgroup label="The console's alert rules">{option('rule')}</optgroup>
        {alerts.length > 0 && <optgroup label="Active in Alertmanager">{option('active')}</optgroup>}
      </select>
    </div>
  );
}

function Result({ labels, preview }: { labels: Record<string, string>; preview: Preview }) {
  const [silencing, setSilencing] = useState(false);
  const [silenced, setSilenced] = useState<string | null>(null);
  const ready = useAlertmanagerAlerts().ready;
  const fanOut = preview.routes.length > 1;
  const canSilence = ready && Object.keys(labels).length > 0;
  return (
    <div className="route-result" data-testid="route-preview-result" aria-live="polite">
      <p>
        {fanOut
          ? `It reaches ${preview.routes.length} routes, in this order: a matching route with continue: true lets it go on to the routes after it.`
          : preview.routes[0]!.path.length === 1
            ? 'No route below the root matches: the root route takes it.'
            : 'It reaches one route.'}
      </p>
      <ol className="route-matches">
        {preview.routes.map((r, i) => (
          <li key={i} className="route-match" data-testid="route-preview-route">
            <ol className="route-path" aria-label="Route path, from the root">
              {r.path.map((node, depth) => (
                <li key={depth}>
                  <span className="muted small">{node.index === null ? 'root' : `routes[${node.index}]`}</span> <span className="mono">{nodeMatchers(node)}</span>
                  {node.continue && <span className="badge badge-busy">continue</span>}
                </li>
              ))}
            </ol>
            <dl>
              <dt>Receiver</dt>
              <dd>
                <strong data-testid="route-preview-receiver">{r.receiver}</strong> <span className="muted">({integrationsText(r.integrations)})</span>
              </dd>
              <dt>Grouped by</dt>
              <dd>{groupByText(r.groupBy)}</dd>
              <dt>Timing</dt>
              <dd>
                group_wait {r.groupWait}, group_interval {r.groupInterval}, repeat_interval {r.repeatInterval}
              </dd>
              {r.muteTimeIntervals.length > 0 && (
                <>
                  <dt>Muted during</dt>
                  <dd>{r.muteTimeIntervals.join(', ')}</dd>
                </>
              )}
              {r.activeTimeIntervals.length > 0 && (
                <>
                  <dt>Active only during</dt>
                  <dd>{r.activeTimeIntervals.join(', ')}</dd>
                </>
              )}
            </dl>
          </li>
        ))}
      </ol>
      <h3>Inhibit rules that could mute it</h3>
      {preview.inhibitions.length === 0 ? (
        <p className="muted">None: no inhibit rule targets these labels.</p>
      ) : (
        <ul data-testid="route-preview-inhibitions">
          {preview.inhibitions.map((rule) => (
            <li key={rule.index}>{inhibitionText(rule, labels)}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" data-testid="route-preview-silence" disabled={!canSilence} aria-expanded={silencing} onClick={() => setSilencing(!silencing)}>
          Silence alerts like this…
        </button>
        {!ready && <span className="muted small">Alertmanager is not running: start the stack to create a silence.</span>}
        {ready && !canSilence && <span className="muted small">Give at least one label to silence.</span>}
        {silenced && (
          <span role="status" className="ok">
            {silenced}
          </span>
        )}
      </div>
      {silencing && canSilence && (
        <SilenceForm
          label="Silence alerts with these labels"
          silences={(duration, comment) => [silenceForAlert(labels, duration, comment)]}
          onCreated={() => {
            setSilencing(false);
            setSilenced('Silence created: it is listed on the Alerts page.');
          }}
          onCancel={() => setSilencing(false)}
          testId="route-preview-silence-form"
        />
      )}
    </div>
  );
}
