import { useId } from 'react';
import type { LoadtestSummary } from '../../../electron/api/schemas/loadtest';
import { useLoadtestRun } from '../api/loadtest-queries';
import { Comparison } from './Comparison';
import { baselineCandidates, loadLabel, runLabel } from './figures';
import { KneeChart } from './KneeChart';
import { STATUS_BADGE } from './SavedRuns';
import { StepTable } from './StepTable';

interface Props {
  id: string;
  /** The baseline to compare with, '' for none. */
  baseline: string;
  runs: LoadtestSummary[];
  onBaseline: (id: string) => void;
}

/** One saved run: what it ran, its steps, the knee chart, and its comparison with a baseline picked here. */
export function RunResults({ id, baseline, runs, onBaseline }: Props) {
  const run = useLoadtestRun(id, baseline);
  const selectId = useId();
  if (run.isPending) return <p className="muted">Reading the run…</p>;
  if (run.isError) {
    return (
      <p className="error" role="alert" data-testid="run-error">
        {run.error.message}
      </p>
    );
  }
  const { result, comparison } = run.data;
  const { spec } = result;
  const candidates = baselineCandidates(runs, { id, model: spec.model, mode: spec.mode });
  const knee = result.knee === null ? undefined : result.steps.find((s) => s.index === result.knee);
  return (
    <div className="card run-results" data-testid="loadtest-results">
      <header>
        <h2>
          Run {result.id} <span className={`badge ${STATUS_BADGE[result.status]}`}>{result.status}</span>
        </h2>
      </header>
      <p className="muted">
        {spec.model} on {spec.target === 'all' ? `all workers (${result.targets.map((t) => t.id).join(', ')})` : spec.target}, {spec.mode} model, {spec.duration !== undefined ? `${spec.duration} s` : `${spec.requests} requests`} a step after{' '}
        {spec.warmup} s of warm-up; each request {result.request.path}, {result.request.bytes.toLocaleString()} bytes. Started {new Date(result.startedAt).toLocaleString()}.
      </p>
      {result.error && (
        <p className="error" role="alert">
          {result.error}
        </p>
      )}
      <StepTable result={result} />
      <p data-testid="knee">
        {knee
          ? `Knee: step ${knee.index + 1} (${loadLabel(spec.mode).toLowerCase()} ${knee.load}); beyond it p95 grows faster than throughput.`
          : 'No knee: p95 never grew faster than throughput across these steps.'}
      </p>
      <KneeChart result={result} />
      <div className="field-row">
        <label htmlFor={selectId}>Compare with</label>
        <select id={selectId} value={candidates.some((c) => c.id === baseline) ? baseline : ''} onChange={(e) => onBaseline(e.target.value)} data-testid="compare-baseline">
          <option value="">no baseline</option>
          {candidates.map((r) => (
            <option key={r.id} value={r.id}>
              {runLabel(r)}
            </option>
          ))}
        </select>
        {candidates.length === 0 && <span className="muted">No other saved run of {spec.model} in the {spec.mode} model.</span>}
      </div>
      {comparison && <Comparison comparison={comparison} mode={spec.mode} />}
    </div>
  );
}
