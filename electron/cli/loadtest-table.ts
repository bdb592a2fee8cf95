import type { LoadtestComparison, LoadtestProgress, LoadtestResult } from '../api/schemas/loadtest';
import { alignColumns } from './status-table';

const num = (n: number | null | undefined, digits = 2) => (n === null || n === undefined ? '-' : n.toFixed(digits));
const signed = (pct: number | null) => (pct === null ? '-' : `${pct > 0 ? '+' : ''}${pct.toFixed(1)}%`);
const errorText = (errors: Record<string, number>) =>
  Object.entries(errors)
    .map(([status, n]) => `${status}×${n}`)
    .join(', ') || '-';

/** What a step's load is called in this run's mode. */
const loadName = (r: LoadtestResult) => (r.spec.mode === 'closed' ? 'CONCURRENCY' : 'RATE');

/** A run as a terminal table: a row a step, then the knee and where the result is saved. */
export function formatLoadtest(r: LoadtestResult, file: string): string {
  const { spec } = r;
  const lines = [
    `Load test ${r.id}: model ${spec.model}, ${spec.mode} model, target ${spec.target} (${r.targets.map((t) => t.id).join(', ')}), POST ${r.request.path} of ${r.request.bytes} bytes`,
  ];
  const rows = [
    ['STEP', loadName(r), 'SECONDS', 'ANSWERS', 'REQ/S', 'P50 MS', 'P90 MS', 'P95 MS', 'P99 MS', 'ERRORS'],
    ...r.steps.map((s) => [
      `${s.index + 1}${s.cutShort ? '*' : ''}`,
      String(s.load),
      num(s.durationS),
      String(s.requests),
      num(s.throughput, 1),
      num(s.latencyMs?.p50),
      num(s.latencyMs?.p90),
      num(s.latencyMs?.p95),
      num(s.latencyMs?.p99),
      errorText(s.errors),
    ]),
  ];
  lines.push(...alignColumns(rows));
  if (r.steps.some((s) => s.cutShort)) lines.push('* cut short (cancelled, or at the total time cap)');
  const knee = r.steps.find((s) => s.index === r.knee);
  lines.push(knee ? `Knee: step ${knee.index + 1} (${loadName(r).toLowerCase()} ${knee.load}): past it, p95 latency grows faster than throughput.` : 'Knee: none found (p95 latency never grew faster than throughput).');
  lines.push(`Status: ${r.status}${r.error ? `: ${r.error}` : ''}. Saved to ${file}`);
  return lines.join('\n') + '\n';
}

/** A run beside its baseline, step by step of equal load. */
export function formatComparison(c: LoadtestComparison, mode: LoadtestResult['spec']['mode']): string {
  const t = c.thresholds;
  const rows = [
    [mode === 'closed' ? 'CONCURRENCY' : 'RATE', 'REQ/S', 'BASELINE', 'DELTA', 'P95 MS', 'BASELINE', 'DELTA', ''],
    ...c.steps.map((s) => [
      String(s.load),
      num(s.throughput.run, 1),
      num(s.throughput.baseline, 1),
      signed(s.throughput.deltaPct),
      num(s.p95Ms.run),
      num(s.p95Ms.baseline),
      signed(s.p95Ms.deltaPct),
      s.regression ? 'REGRESSION' : '',
    ]),
  ];
  return [
    `Against baseline ${c.baselineId} (a regression: throughput down more than ${t.throughputDropPct}%, or p95 up more than ${t.p95RisePct}% and ${t.p95MinRiseMs} ms):`,
    ...alignColumns(rows),
    c.regression ? 'Regression: yes.' : 'Regression: none.',
  ].join('\n') + '\n';
}

/** One line of live progress for a terminal. */
export function progressLine(p: LoadtestProgress): string {
  const latency = p.latencyMs ? `, p50 ${num(p.latencyMs.p50)} / p90 ${num(p.latencyMs.p90)} / p99 ${num(p.latencyMs.p99)} ms` : '';
  const errors = Object.keys(p.errors).length > 0 ? `, errors ${errorText(p.errors)}` : '';
  return `step ${p.step + 1}/${p.steps} ${p.phase} at ${p.load}: ${num(p.elapsedS, 1)} s, ${p.requests} answers, ${num(p.throughput, 1)} req/s${latency}${errors}`;
}
