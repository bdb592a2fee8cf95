import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApiResult } from '../../../electron/api/contract';
import { useApi } from '../api/api-context';
import { useRangeQueries } from '../api/range-queries';
import { RangeChart } from '../components/RangeChart';
import { RangePicker } from '../components/RangePicker';
import { TableHead } from '../components/TableHead';
import { useWidth } from '../components/use-width';
import { PromqlEditor } from '../explorer/PromqlEditor';
import { legendFor } from '../metrics/chart-data';
import { formatValue } from '../metrics/format';
import { pickStep } from '../metrics/step';
import { usePageActive } from '../shell/page-activity';

type Mode = 'graph' | 'table';
interface Run {
  query: string;
  mode: Mode;
  id: number;
}

function InstantTable({ result }: { result: ApiResult<'prometheus.query'> }) {
  if (result.resultType === 'scalar' || result.resultType === 'string') {
    return (
      <p className="mono" data-testid="query-table">
        {result.resultType}: {result.result[1]}
      </p>
    );
  }
  if (result.result.length === 0) return <p className="muted" data-testid="query-table">The query returned no series at this time.</p>;
  return (
    <table className="table" data-testid="query-table">
      <TableHead columns={['Series', 'Value']} />
      <tbody>
        {result.resultType === 'vector'
          ? result.result.map((s) => (
              <tr key={JSON.stringify(s.metric)}>
                <td className="mono">{legendFor(s.metric)}</td>
                <td className="mono">{formatValue(Number(s.value[1]), 'none')}</td>
              </tr>
            ))
          : result.result.map((s) => (
              <tr key={JSON.stringify(s.metric)}>
                <td className="mono">{legendFor(s.metric)}</td>
                <td className="mono">{s.values.map(([t, v]) => `${v} @${t}`).join('\n')}</td>
              </tr>
            ))}
      </tbody>
    </table>
  );
}

const LIVE_MS = 5000;

function GraphResult({ run, rangeSeconds, live }: { run: Run; rangeSeconds: number; live: boolean }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const active = usePageActive();
  const step = pickStep(rangeSeconds, Math.max(width - 100, 50), 1);
  const data = useRangeQueries([{ query: run.query }], rangeSeconds, step, width > 0, live && active ? LIVE_MS : false);
  return (
    <div ref={ref}>
      {data.error ? <QueryError error={data.error} /> : <RangeChart data={data} unit="none" width={width} title={run.query} noData="The query returned no series in the chosen range." />}
    </div>
  );
}

function TableResult({ run }: { run: Run }) {
  const api = useApi();
  const result = useQuery({ queryKey: ['prometheus', 'instant', run.query, run.id], queryFn: () => api.call('prometheus.query', { query: run.query }) });
  if (result.isPending) return <p className="muted">Querying Prometheus…</p>;
  if (result.isError) return <QueryError error={result.error} />;
  return <InstantTable result={result.data} />;
}

function QueryError({ error }: { error: Error }) {
  return (
    <p className="error" role="alert" data-testid="query-error">
      {error.message}
    </p>
  );
}

export function ExplorerPage() {
  const [text, setText] = useState('');
  const [mode, setMode] = useState<Mode>('graph');
  const [rangeSeconds, setRange] = useState(3600);
  const [run, setRun] = useState<Run | null>(null);
  const [live, setLive] = useState(false);
  const execute = () => {
    if (text.trim()) setRun((prev) => ({ query: text.trim(), mode, id: (prev?.id ?? 0) + 1 }));
  };

  return (
    <section aria-labelledby="explorer-title">
      <div className="toolbar">
        <h1 id="explorer-title">PromQL explorer</h1>
        <div className="actions">
          <div className="segmented" role="radiogroup" aria-label="Result as">
            {(['graph', 'table'] as const).map((m) => (
              <label key={m} className={m === mode ? 'selected' : undefined}>
                <input type="radio" name="explorer-mode" checked={m === mode} onChange={() => setMode(m)} />
                {m === 'graph' ? 'Graph (range)' : 'Table (instant)'}
              </label>
            ))}
          </div>
          {mode === 'graph' && (
            <>
              <RangePicker value={rangeSeconds} onChange={setRange} label="Query range" />
              <label className="small">
                <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} data-testid="explorer-live" /> Live ({LIVE_MS / 1000} s)
              </label>
            </>
          )}
        </div>
      </div>
      <div className="explorer-input">
        <PromqlEditor value={text} onChange={setText} onRun={execute} />
        <button type="button" className="primary" onClick={execute} disabled={!text.trim()}>
          Run
        </button>
      </div>
      <p className="muted small">Ctrl+Enter runs the query. Names complete as you type (Ctrl+Space lists them).</p>
      <div className="card explorer-result" data-testid="explorer-result">
        {!run ? (
          <p className="muted">Write a query and run it to see a graph over the chosen range or a table of the current values.</p>
        ) : run.mode === 'graph' ? (
          <GraphResult key={run.id} run={run} rangeSeconds={rangeSeconds} live={live} />
        ) : (
          <TableResult run={run} />
        )}
      </div>
    </section>
  );
}
