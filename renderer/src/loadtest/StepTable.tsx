import type { LoadtestResult } from '../../../electron/api/schemas/loadtest';
import { TableHead } from '../components/TableHead';
import { formatErrors, formatMs, formatRate, loadLabel } from './figures';

/** Each step's figures; the knee's row is marked, a step cut short says so. */
export function StepTable({ result }: { result: LoadtestResult }) {
  return (
    <table className="table steps-table" data-testid="step-table">
      <caption className="visually-hidden">Steps of the run</caption>
      <TableHead columns={['Step', loadLabel(result.spec.mode), 'Seconds', 'Answers', 'Throughput (req/s)', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'Errors']} />
      <tbody>
        {result.steps.map((s) => (
          <tr key={s.index} className={s.index === result.knee ? 'knee' : undefined} data-testid={`step-${s.index}`}>
            <th scope="row">
              {s.index + 1}
              {s.index === result.knee && <span className="badge badge-busy">knee</span>}
              {s.cutShort && <span className="badge badge-off">cut short</span>}
            </th>
            <td>{s.load}</td>
            <td>{s.durationS.toFixed(1)}</td>
            <td>{s.requests}</td>
            <td>{formatRate(s.throughput)}</td>
            <td>{formatMs(s.latencyMs?.p50)}</td>
            <td>{formatMs(s.latencyMs?.p90)}</td>
            <td>{formatMs(s.latencyMs?.p95)}</td>
            <td>{formatMs(s.latencyMs?.p99)}</td>
            <td>{formatErrors(s.errors)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
