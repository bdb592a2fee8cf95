import type { LoadtestComparison, LoadtestSpec } from '../../../electron/api/schemas/loadtest';
import { TableHead } from '../components/TableHead';
import { formatDelta, formatMs, formatRate, loadLabel } from './figures';

/** The run beside its baseline step by step: the deltas, each step's regression, and the verdict with its thresholds. */
export function Comparison({ comparison, mode }: { comparison: LoadtestComparison; mode: LoadtestSpec['mode'] }) {
  const { throughputDropPct, p95RisePct, p95MinRiseMs } = comparison.thresholds;
  return (
    <div className="comparison" data-testid="loadtest-comparison">
      <p className={comparison.regression ? 'error' : 'notice'} data-testid="regression">
        <strong>{comparison.regression ? 'Regression' : 'No regression'}</strong> against {comparison.baselineId}: a step regresses when throughput drops more than{' '}
        {throughputDropPct}% or p95 rises more than {p95RisePct}% (and at least {p95MinRiseMs} ms).
      </p>
      <table className="table">
        <caption className="visually-hidden">Deltas against the baseline</caption>
        <TableHead columns={[loadLabel(mode), 'Throughput', 'Baseline', 'Delta', 'p95 ms', 'Baseline', 'Delta', '']} />
        <tbody>
          {comparison.steps.map((s) => (
            <tr key={s.load} data-testid={`delta-${s.load}`}>
              <th scope="row">{s.load}</th>
              <td>{formatRate(s.throughput.run)}</td>
              <td>{formatRate(s.throughput.baseline)}</td>
              <td className="mono" data-testid="delta-throughput">
                {formatDelta(s.throughput.deltaPct)}
              </td>
              <td>{formatMs(s.p95Ms.run)}</td>
              <td>{formatMs(s.p95Ms.baseline)}</td>
              <td className="mono" data-testid="delta-p95">
                {formatDelta(s.p95Ms.deltaPct)}
              </td>
              <td>{s.regression && <span className="badge badge-bad">regression</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
