import type { ApiResult } from '../../../electron/api/contract';
import { TableHead } from '../components/TableHead';
import { outputDims, valuesText } from './output-text';

/** A run's answer: time and provider, the top-k labels of a classifier, then every output asked for. */
export function PredictionResult({ result }: { result: ApiResult<'predict.run'> }) {
  const top = result.predictions?.[0];
  return (
    <div className="card result" data-testid="prediction-result" aria-live="polite">
      <dl>
        <dt>Latency</dt>
        <dd data-testid="latency">
          {result.latency_ms.toFixed(2)} ms <span className="muted">({result.inference_ms.toFixed(2)} ms in the model)</span>
        </dd>
        <dt>Provider</dt>
        <dd data-testid="provider">{result.provider}</dd>
      </dl>
      {top && (
        <ol className="scores" data-testid="top-k">
          {top.map((p) => (
            <li key={p.index}>
              <span className="score-label">{p.label}</span>
              <span className="score-bar" role="meter" aria-label={`score of ${p.label}`} aria-valuemin={0} aria-valuemax={1} aria-valuenow={p.score}>
                <span style={{ width: `${Math.max(0, Math.min(1, p.score)) * 100}%` }} />
              </span>
              <span className="mono">{p.score.toFixed(4)}</span>
            </li>
          ))}
        </ol>
      )}
      <table className="table outputs">
        <TableHead columns={['Output', 'Type', 'Dims', 'Values']} />
        <tbody>
          {Object.entries(result.outputs).map(([name, t]) => (
            <tr key={name} data-testid={`output-${name}`}>
              <th scope="row" className="mono">
                {name}
              </th>
              <td className="mono">{t.type}</td>
              <td className="mono" data-testid="output-dims">
                {outputDims(t.dims)}
              </td>
              <td className="mono" data-testid="output-values">
                {valuesText(t)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
