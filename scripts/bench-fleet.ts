/**
 * Benchmark: the console and its Prometheus at fleet scale. Simulates 50 rigs x 8 GPUs (400
 * inference workers: synthetic exporters on loopback serving the service's own metric set,
 * stack/bench/synthetic-exporters.ts), scraped by a real Prometheus (the test image) with the
 * console's own config, rig jobs, file_sd targets and alert rules, against 1 rig x 1 GPU in the
 * same run. Prints Prometheus's scrape duration, memory and rule evaluation time, the console's
 * status refresh time, and the Metrics page's query time and query cost (samples Prometheus
 * read) with the rig and GPU selectors on, each with its ratio to the baseline; no timed
 * assertion. `npm run bench:fleet`; BENCH_FLEET_RIGS / BENCH_FLEET_GPUS change the fleet (50, 8),
 * BENCH_FLEET_WARMUP_S the warm-up (60).
 */
import Docker from 'dockerode';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DASHBOARDS, scopeDashboard } from '../electron/api/dashboards/dashboards';
import { ALL, workersOf, type Selection as Scope } from '../electron/api/dashboards/scope';
import type { StoredRig } from '../electron/api/schemas/rigs';
import { monitoringHandlers } from '../electron/core/handlers/monitoring-handlers';
import { pickStep } from '../renderer/src/metrics/step';
import { writeAtomic } from '../stack/config/config-apply';
import { JOBS } from '../stack/config/scrape-jobs';
import { StackManager } from '../stack/engine/stack-manager';
import { aesGcmFileCipher } from '../stack/notifications/secret-store';
import { Fleet } from '../stack/rigs/fleet';
import type { RigEngine } from '../stack/rigs/rig-engine';
import { RigRegistry } from '../stack/rigs/rig-registry';
import { projectLeftovers } from '../stack/testing/project-leftovers';
import { testStackSettings } from '../stack/testing/test-settings';
import { runPrometheus, syntheticRig, writeFleetConfig } from '../stack/bench/fleet-prometheus';
import { startSyntheticExporters } from '../stack/bench/synthetic-exporters';

const FLEET = { rigs: Number(process.env.BENCH_FLEET_RIGS ?? 50), gpus: Number(process.env.BENCH_FLEET_GPUS ?? 8) };
const WARMUP_S = Number(process.env.BENCH_FLEET_WARMUP_S ?? 60);
const SCRAPE = '5s';
const REFRESHES = 25;
const QUERY_ROUNDS = 3;
/** The rig and card the selectors show; the baseline's one worker is this one, so its queries read the same. */
const SHOWN = { rig: `rig-${String(Math.min(7, FLEET.rigs - 1)).padStart(2, '0')}`, gpu: 'card0' };
/** The Metrics page's selections: All, the shown rig, the shown rig and card (filled by the dashboards' own fillScope). */
const SELECTIONS: Record<'all' | 'rig' | 'rig+gpu', Scope> = { all: ALL, rig: { rig: [SHOWN.rig], gpu: [] }, 'rig+gpu': { rig: [SHOWN.rig], gpu: [SHOWN.gpu] } };
type Selection = keyof typeof SELECTIONS;
/** The Metrics page's default range (15 m) and step for a 600 px card at its 15 s minimum (MetricsPage.tsx). */
const RANGE_S = 15 * 60;
const STEP_S = pickStep(RANGE_S, 600 - 100, 15);
const UP = `up{job="${JOBS.inference}"}`;
const HEALTH_QUERY = `count by (rig) (${UP} == 1)`;
/** The dashboards' panels fed by the inference workers, narrowed to a selection (System Resources is node_exporter's, off here). */
const panelsFor = (scope: Scope) =>
  DASHBOARDS.flatMap((d) =>
    scopeDashboard(d, scope)
      .panels.filter((p) => p.source === 'inference')
      .map((p) => ({ ...p, id: `${d.id}/${p.id}` })),
  );
const PANELS = panelsFor(ALL);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : NaN;
};
const median = (xs: number[]) => quantile(xs, 0.5);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const r = await work();
  return [r, performance.now() - t];
};
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const rigName = (i: number) => `rig-${String(i).padStart(2, '0')}`;

/** A rig registry whose every rig is this machine's real engine: no SSH, no engine per rig (none can be run 50 times here). */
class LocalEngineRegistry extends RigRegistry {
  constructor(options: ConstructorParameters<typeof RigRegistry>[0], private readonly local: Docker) {
    super(options);
  }
  override async engine(): Promise<RigEngine> {
    return { docker: this.local, ssh: null, close: () => undefined };
  }
}

interface PhaseResult {
  label: string;
  workers: number;
  up: number;
  scrapeMs: { median: number; p95: number; max: number };
  samplesPerTarget: number;
  intervalP99: number;
  rssMiB: number;
  heapMiB: number;
  headSeries: number;
  ruleEvalMs: number;
  /** Each rule file's group: its last evaluation (ms). */
  ruleGroups: Record<string, number>;
  ruleMissed: number;
  /** The Metrics page's selector options (label values of the workers' `up`): rig, and GPU of the shown rig. */
  optionsMs: { rig: number[]; gpu: number[] };
  refresh: Record<'total' | 'stackStatus' | 'rigsStatus' | 'healthQuery' | 'targets', number[]>;
  /** Per selection and panel: median ms of the panel's queries, samples Prometheus read. */
  panels: Record<Selection, Record<string, { ms: number; samples: number }>>;
  pageWallMs: Record<Selection, number>;
  exporterCpuMs: number;
  load: string;
}

async function instant(url: string, query: string, time?: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = (await (await fetch(`${url}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query, ...(time ? { time: String(time) } : {}) }) })).json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return res.data.result;
}
const scalar = async (url: string, query: string, time?: number) => Number((await instant(url, query, time))[0]?.value[1] ?? NaN);

/** Samples a range query read, from Prometheus's query stats (`stats=all`). */
async function querySamples(url: string, query: string, start: number, end: number): Promise<number> {
  const body = new URLSearchParams({ query, start: String(start), end: String(end), step: String(STEP_S), stats: 'all' });
  const res = (await (await fetch(`${url}/api/v1/query_range`, { method: 'POST', body })).json()) as { data?: { stats?: { samples?: { totalQueryableSamples: number } } } };
  const s = res.data?.stats?.samples;
  return s?.totalQueryableSamples ?? NaN;
}

async function phase(docker: Docker, settings: Awaited<ReturnType<typeof testStackSettings>>, label: string, rigs: number, gpus: number, registerCleanup: (f: () => Promise<void>) => void): Promise<PhaseResult> {
  const workers = Array.from({ length: rigs * gpus }, (_, i) => ({ rig: rigs === 1 ? SHOWN.rig : rigName(Math.floor(i / gpus)), gpu: `card${i % gpus}` }));
  const t0 = performance.now();
  const exporters = await startSyntheticExporters(workers);
  registerCleanup(async () => void (await exporters.stop()));
  const configDir = await mkdtemp(join(tmpdir(), 'rx580-bench-fleet-'));
  registerCleanup(() => rm(configDir, { recursive: true, force: true }));
  const byRig = new Map<string, { rig: StoredRig; workers: { gpu: string; port: number }[] }>();
  workers.forEach((w, i) => {
    const entry = byRig.get(w.rig) ?? { rig: syntheticRig(w.rig), workers: [] };
    entry.workers.push({ gpu: w.gpu, port: exporters.ports[i]! });
    byRig.set(w.rig, entry);
  });
  const port = settings.prometheus.port;
  await writeFleetConfig(configDir, settings, [...byRig.values()], `127.0.0.1:${port}`);
  const prometheus = await runPrometheus(docker, { project: settings.project, name: `${settings.project}-prometheus-${label}`, image: settings.prometheus.image, configDir, port });
  registerCleanup(prometheus.remove);
  const url = prometheus.url;

  // The rigs the console knows: rigs.json with these rigs (what rigs.status reads each time).
  const rigsDir = join(settings.dataDir, settings.project, `rigs-${label}`);
  await writeAtomic(join(rigsDir, 'rigs.json'), JSON.stringify({ rigs: [...byRig.values()].map((r) => r.rig) }, null, 2));
  const registry = new LocalEngineRegistry({ dir: rigsDir, cipher: aesGcmFileCipher(join(rigsDir, 'secrets.key')), workerPorts: [] }, docker);
  const unused = () => Promise.reject(new Error('not used by status'));
  const fleet = new Fleet({ settings, registry, local: docker, image: unused, access: { apiKey: unused, tls: unused }, healthcheck: [] });
  const stack = new StackManager({ settings, docker });
  const handlers = monitoringHandlers(settings);

  for (let up = 0; up < workers.length; up = await scalar(url, `count(${UP} == 1)`).then((n) => n || 0)) {
    if (performance.now() - t0 > 90_000) throw new Error(`only ${up} of ${workers.length} targets up after 90 s`);
    await sleep(1000);
  }
  console.log(`[${label}] ${workers.length} workers up ${((performance.now() - t0) / 1000).toFixed(1)} s after start; warming up ${WARMUP_S} s (load ${load()})`);
  await sleep(WARMUP_S * 1000);

  // Prometheus: scrape duration per target over the last minute, memory, series, rule evaluation.
  const scrape = (await instant(url, `avg_over_time(scrape_duration_seconds{job="${JOBS.inference}"}[1m])`)).map((r) => Number(r.value[1]) * 1000);
  const self = `{job="${JOBS.prometheus}"}`;
  const result: PhaseResult = {
    label,
    workers: workers.length,
    up: await scalar(url, `count(${UP} == 1)`),
    scrapeMs: { median: median(scrape), p95: quantile(scrape, 0.95), max: Math.max(...scrape) },
    samplesPerTarget: await scalar(url, `avg(scrape_samples_scraped{job="${JOBS.inference}"})`),
    intervalP99: await scalar(url, `max(prometheus_target_interval_length_seconds{quantile="0.99",interval="${SCRAPE}"})`),
    rssMiB: (await scalar(url, `process_resident_memory_bytes${self}`)) / 2 ** 20,
    heapMiB: (await scalar(url, `go_memstats_heap_inuse_bytes${self}`)) / 2 ** 20,
    headSeries: await scalar(url, `prometheus_tsdb_head_series${self}`),
    ruleEvalMs: (await scalar(url, 'sum(prometheus_rule_group_last_duration_seconds)')) * 1000,
    ruleGroups: Object.fromEntries((await instant(url, 'prometheus_rule_group_last_duration_seconds')).map((r) => [r.metric.rule_group!.replace(/^.*\//, ''), Number(r.value[1]) * 1000])),
    ruleMissed: await scalar(url, 'sum(prometheus_rule_group_iterations_missed_total)'),
    optionsMs: { rig: [], gpu: [] },
    refresh: { total: [], stackStatus: [], rigsStatus: [], healthQuery: [], targets: [] },
    panels: { all: {}, rig: {}, 'rig+gpu': {} },
    pageWallMs: { all: NaN, rig: NaN, 'rig+gpu': NaN },
    exporterCpuMs: NaN,
    load: load(),
  };

  // The Metrics page: each inference panel's queries as query_range over the page's range, first
  // what each reads (query stats), then its time through the console's handler. The range ends
  // the warm-up after the shown worker's first scrape in both runs, so both hold as much data.
  const first = (await instant(url, `up{job="${JOBS.inference}",rig="${SHOWN.rig}",gpu="${SHOWN.gpu}"}[1h]`)) as unknown as { values: [number, string][] }[];
  const end = Math.floor(first[0]!.values[0]![0]) + WARMUP_S;
  const start = end - RANGE_S;
  for (const [sel, scope] of Object.entries(SELECTIONS) as [Selection, Scope][]) {
    const panels = panelsFor(scope);
    for (const p of panels) {
      const stats = await Promise.all(p.series.map((s) => querySamples(url, s.query, start, end)));
      result.panels[sel][p.id] = { ms: NaN, samples: sum(stats) };
    }
    const times: Record<string, number[]> = {};
    const walls: number[] = [];
    const panelRun = (p: (typeof panels)[number]) => Promise.all(p.series.map((s) => handlers['prometheus.queryRange']({ query: s.query, start, end, step: STEP_S })));
    for (let round = 0; round < QUERY_ROUNDS; round++) {
      for (const p of panels) (times[p.id] ??= []).push((await timed(() => panelRun(p)))[1]);
      walls.push((await timed(() => Promise.all(panels.map(panelRun))))[1]);
    }
    for (const p of panels) result.panels[sel][p.id]!.ms = median(times[p.id]!);
    result.pageWallMs[sel] = median(walls);
  }

  for (let i = 0; i < 3 * QUERY_ROUNDS; i++) {
    result.optionsMs.rig.push((await timed(() => handlers['prometheus.labelValues']('rig', { match: [workersOf([])], start, end })))[1]);
    result.optionsMs.gpu.push((await timed(() => handlers['prometheus.labelValues']('gpu', { match: [workersOf([SHOWN.rig])], start, end })))[1]);
  }

  // The status refresh: what the Overview polls (stack.status), the fleet's rigs.status and the
  // per-rig health from Prometheus, at once as a page asks them.
  for (let i = 0; i < REFRESHES; i++) {
    const [[, a], [, b], [, c], [, d]] = await timed(() =>
      Promise.all([timed(() => stack.status()), timed(() => fleet.status()), timed(() => handlers['prometheus.query']({ query: HEALTH_QUERY })), timed(() => handlers['prometheus.targets']())]),
    ).then(([r, total]) => {
      result.refresh.total.push(total);
      return r;
    });
    result.refresh.stackStatus.push(a);
    result.refresh.rigsStatus.push(b);
    result.refresh.healthQuery.push(c);
    result.refresh.targets.push(d);
    await sleep(200);
  }
  const seen = (await fleet.status()).rigs;
  console.log(`[${label}] rigs.status answered ${seen.length} rigs, ${seen.filter((r) => r.reachable).length} reachable`);
  registry.close();
  result.exporterCpuMs = (await exporters.stop()).cpuMs;
  await prometheus.remove();
  console.log(`[${label}] measured in ${((performance.now() - t0) / 1000).toFixed(0)} s (load ${load()})`);
  return result;
}

const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');

function report(base: PhaseResult, fleet: PhaseResult, seconds: number): void {
  const row = (name: string, b: number, x: number, d = 1) => console.log(`${name.padEnd(50)} ${f(b, d).padStart(10)} ${f(x, d).padStart(10)} ${ratio(x, b).padStart(9)}`);
  console.log(`\n${'figure'.padEnd(50)} ${base.label.padStart(10)} ${fleet.label.padStart(10)} ${'ratio'.padStart(9)}`);
  row('inference targets up', base.up, fleet.up, 0);
  row('scrape duration per target, median (ms)', base.scrapeMs.median, fleet.scrapeMs.median, 2);
  row('scrape duration per target, p95 (ms)', base.scrapeMs.p95, fleet.scrapeMs.p95, 2);
  row('scrape duration per target, max (ms)', base.scrapeMs.max, fleet.scrapeMs.max, 2);
  row('samples per scrape, mean', base.samplesPerTarget, fleet.samplesPerTarget, 0);
  row(`scrape interval p99 (s, configured ${SCRAPE})`, base.intervalP99, fleet.intervalP99, 3);
  row('Prometheus resident memory (MiB)', base.rssMiB, fleet.rssMiB);
  row('Prometheus Go heap in use (MiB)', base.heapMiB, fleet.heapMiB);
  row('Prometheus head series', base.headSeries, fleet.headSeries, 0);
  row('rule evaluation, all groups, last (ms)', base.ruleEvalMs, fleet.ruleEvalMs, 2);
  for (const g of Object.keys(fleet.ruleGroups).sort()) row(`  rule group ${g} (ms)`, base.ruleGroups[g] ?? NaN, fleet.ruleGroups[g]!, 2);
  row('rule group iterations missed', base.ruleMissed, fleet.ruleMissed, 0);
  row('exporters CPU, whole phase (ms)', base.exporterCpuMs, fleet.exporterCpuMs, 0);
  for (const k of ['total', 'stackStatus', 'rigsStatus', 'healthQuery', 'targets'] as const) {
    row(`status refresh: ${k}, median (ms)`, median(base.refresh[k]), median(fleet.refresh[k]));
    row(`status refresh: ${k}, p95 (ms)`, quantile(base.refresh[k], 0.95), quantile(fleet.refresh[k], 0.95));
  }
  for (const sel of Object.keys(SELECTIONS) as Selection[]) {
    const ms = (r: PhaseResult) => sum(Object.values(r.panels[sel]).map((p) => p.ms));
    const samples = (r: PhaseResult) => sum(Object.values(r.panels[sel]).map((p) => p.samples));
    row(`Metrics, ${sel}: panels one by one, total (ms)`, ms(base), ms(fleet));
    row(`Metrics, ${sel}: all panels at once (ms)`, base.pageWallMs[sel], fleet.pageWallMs[sel]);
    row(`Metrics, ${sel}: samples read, total`, samples(base), samples(fleet), 0);
  }
  row('Metrics selector options: rigs, median (ms)', median(base.optionsMs.rig), median(fleet.optionsMs.rig));
  row(`Metrics selector options: GPUs of ${SHOWN.rig}, median (ms)`, median(base.optionsMs.gpu), median(fleet.optionsMs.gpu));

  console.log(`\nMetrics page panels at ${fleet.label} (median ms of ${QUERY_ROUNDS} / samples read), selections all | ${SHOWN.rig} | ${SHOWN.rig}+${SHOWN.gpu}; baseline ${base.label} ${SHOWN.rig} samples:`);
  for (const p of PANELS) {
    const cell = (sel: Selection) => `${f(fleet.panels[sel][p.id]!.ms).padStart(7)} / ${String(fleet.panels[sel][p.id]!.samples).padStart(8)}`;
    console.log(`  ${p.id.padEnd(38)} ${cell('all')} | ${cell('rig')} | ${cell('rig+gpu')} | ${String(base.panels.rig[p.id]!.samples).padStart(6)}`);
  }

  const perRig = fleet.workers / FLEET.rigs;
  const samples = (r: PhaseResult, sel: Selection) => sum(Object.values(r.panels[sel]).map((p) => p.samples));
  const rigRatio = samples(fleet, 'rig') / samples(base, 'rig');
  const gpuRatio = samples(fleet, 'rig+gpu') / samples(base, 'rig+gpu');
  const refresh = median(fleet.refresh.total);
  const refreshP95 = quantile(fleet.refresh.total, 0.95);
  console.log('\nverdicts:');
  console.log(`  status refresh at ${fleet.workers} workers: median ${f(refresh, 0)} ms, p95 ${f(refreshP95, 0)} ms over ${REFRESHES} refreshes: ${refreshP95 < 1000 ? 'PASS' : 'FAIL'} (target < 1 s)`);
  console.log(`  one rig shown, samples read ${fleet.label} / ${base.label}: ${f(rigRatio, 2)} (its ${perRig} workers against 1: ~${perRig} if cost follows the shown rig, ~${fleet.workers} if it followed every worker): ${rigRatio > 0 && rigRatio < 1.5 * perRig ? 'PASS' : 'FAIL'}`);
  console.log(`  one rig and GPU shown (one worker either way), samples read ${fleet.label} / ${base.label}: ${f(gpuRatio, 2)} (target ~1): ${gpuRatio > 0 && gpuRatio < 1.5 ? 'PASS' : 'FAIL'}`);
  console.log(`  one rig shown, time ${fleet.label} / ${base.label}: ${ratio(sum(Object.values(fleet.panels.rig).map((p) => p.ms)), sum(Object.values(base.panels.rig).map((p) => p.ms)))} (time also pays the index lookups over ${fleet.workers} workers' series and the loaded machine; samples are the cost measure)`);
  console.log(`\ntotal run time ${f(seconds, 0)} s; load average (1/5/15 min) now ${load()}; ${base.label} measured at ${base.load}, ${fleet.label} at ${fleet.load}`);
}

async function main(): Promise<void> {
  const began = performance.now();
  const docker = new Docker();
  const settings = await testStackSettings('fleet', { inference: true });
  settings.prometheus.scrapeInterval = SCRAPE;
  settings.alerts.evaluationInterval = SCRAPE;
  settings.alertmanager.enabled = false;
  console.log(`bench:fleet: project ${settings.project}, Prometheus image ${settings.prometheus.image}, scrape and rule interval ${SCRAPE}, 2 phases of ${WARMUP_S} s warm-up; load ${load()}`);
  console.log(
    'What is simulated: each worker is a synthetic exporter on 127.0.0.1 (plain HTTP) serving the inference service\'s metric set; the rig jobs are the console\'s minus HTTPS and the bearer key (the real rigs\' HTTPS+key scrape is covered by stack/rigs/fleet.int.test.ts).',
  );
  console.log(
    `Status refresh = what the Overview (stack.status) and Rigs page (rigs.status, every 3 s) poll, plus Prometheus's view of every worker, all at once: stack.status on the real local engine (fleet-independent); rigs.status over ${FLEET.rigs} rigs in rigs.json, every rig's engine being this machine's real engine (one list call per rig, no SSH round trip, no worker container to list: ${FLEET.rigs} engines cannot run here); the per-rig health query "${HEALTH_QUERY}" and the targets API through the console's Prometheus client, which do see all ${FLEET.rigs * FLEET.gpus} workers (no page polls these two yet: an upper bound).`,
  );
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const base = await phase(docker, settings, '1x1', 1, 1, (c) => cleanups.push(c));
    await cleanup();
    const fleet = await phase(docker, settings, `${FLEET.rigs}x${FLEET.gpus}`, FLEET.rigs, FLEET.gpus, (c) => cleanups.push(c));
    await cleanup();
    report(base, fleet, (performance.now() - began) / 1000);
  } finally {
    await cleanup();
    await rm(settings.dataDir, { recursive: true, force: true });
    const left = await projectLeftovers(docker, settings.project);
    const all = [...left.containers, ...left.networks, ...left.volumes];
    console.log(`left behind: ${all.length ? all.join(', ') : 'nothing'}`);
  }
}

main().catch((err) => {
  console.error(`bench-fleet: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
