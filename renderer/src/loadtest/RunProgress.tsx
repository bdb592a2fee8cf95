import type { LoadtestProgress, LoadtestSpec } from '../../../electron/api/schemas/loadtest';
import { ProgressBar } from '../components/ProgressBar';
import { formatErrors, formatMs, formatRate, loadLabel, runFraction } from './figures';

interface Props {
  /** The run's latest event; null until the first one comes. */
  progress: LoadtestProgress | null;
  /** The spec as started, for the run's length; null for a run this page did not start. */
  spec: LoadtestSpec | null;
  cancelling: boolean;
  onCancel: () => void;
}

/** A run under way: how far it is, the step's live figures, and Cancel, which stops it at once. */
export function RunProgress({ progress, spec, cancelling, onCancel }: Props) {
  const p = progress;
  const fraction = p && spec ? runFraction(p, spec) : null;
  const figures: [string, string][] = p
    ? [
        ['Step', `${p.step + 1} of ${p.steps} (${p.phase === 'warmup' ? 'warming up' : 'measuring'})`],
        [spec ? loadLabel(spec.mode) : 'Load', String(p.load)],
        ['Elapsed', `${p.elapsedS.toFixed(1)} s`],
        ['Answers', String(p.requests)],
        ['Throughput', `${formatRate(p.throughput)} req/s`],
        ['p50 / p90 / p99', `${formatMs(p.latencyMs?.p50)} / ${formatMs(p.latencyMs?.p90)} / ${formatMs(p.latencyMs?.p99)} ms`],
        ['Errors', formatErrors(p.errors)],
      ]
    : [];
  return (
    <div className="card run-progress" data-testid="loadtest-progress">
      <header>
        <h2>Load test running</h2>
        <button type="button" onClick={onCancel} disabled={cancelling} data-testid="loadtest-cancel">
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </header>
      <ProgressBar current={fraction === null ? null : Math.round(fraction * 1000)} total={fraction === null ? null : 1000} label="Load test progress" />
      {p ? (
        <dl className="live-figures" data-testid="live-figures">
          {figures.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd className="mono">{value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted">Starting…</p>
      )}
    </div>
  );
}
