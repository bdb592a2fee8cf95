/**
 * Benchmark (issue #14): the console's heap and open handles after ten load tests, against its
 * baseline. The inference service runs as its own process (dist/inference.js), so what is
 * measured is the console's side alone: ConsoleCore, the load test engine, autocannon. One
 * warm-up run per protocol first, so lazy imports and first-time caches are in the baseline.
 * `npm run bench:loadtest-leaks` (needs --expose-gc, which the npm script gives). Exits 1 when
 * a resource type has more open at the end than at the baseline, or the heap or the ArrayBuffers grew beyond their bounds.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { getHeapSpaceStatistics } from 'node:v8';
import { activeResources, grown } from '../electron/core/loadtest/testing/run-handles';
import { startLoadtestFixture } from '../electron/testing/loadtest-fixture';
import { demoModelsDir } from '../inference/models-dir';

const RUNS = 10;
/**
 * After a full GC the heap holds what is reachable, plus V8's compiled code and type feedback for
 * the paths the runs take: that part grows over the first tens of runs and levels off (0.8 MiB
 * over these ten, a heap snapshot diff found no app objects in it). 2 MiB is above that noise; a
 * leak of what a run holds is mostly outside the heap (the histograms' ArrayBuffers), which stays
 * flat to the byte between runs: a quarter MiB there is a few runs' worth of histograms.
 */
const HEAP_GROWTH_LIMIT_MIB = 2;
const BUFFERS_GROWTH_LIMIT_MIB = 0.25;
const gc = globalThis.gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:loadtest-leaks)');

const mib = (bytes: number) => bytes / 2 ** 20;
/** After GC (several passes: finalizers and weak references let more go on the next one): heap, its compiled code, ArrayBuffers. */
async function memoryAfterGc() {
  for (let i = 0; i < 3; i++) {
    gc!();
    await sleep(50);
  }
  const code = getHeapSpaceStatistics().find((s) => s.space_name === 'code_space')?.space_used_size ?? 0;
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heap: mib(heapUsed), code: mib(code), buffers: mib(arrayBuffers) };
}
type Memory = Awaited<ReturnType<typeof memoryAfterGc>>;
const fmtMem = (m: Memory) => `heap ${m.heap.toFixed(2)} MiB (code ${m.code.toFixed(2)}), buffers ${m.buffers.toFixed(3)} MiB`;
const fmt = (counts: Record<string, number>) => Object.entries(counts).sort().map(([t, n]) => `${t} ${n}`).join(', ');

async function startService() {
  const child = spawn(process.execPath, ['dist/inference.js', '--port', '0', '--listen', '127.0.0.1', '--providers', 'cpu', '--load', 'digits.onnx'], {
    env: { ...process.env, RX580_OPS_SETTINGS: '/nonexistent/rx580-settings.json' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out = (out + d).slice(-4096);
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`service exited (${code}): ${out}`)));
  });
  const exited = new Promise((r) => child.once('exit', r));
  return { port, stop: () => (child.kill('SIGTERM'), exited) };
}

const service = await startService();
const f = await startLoadtestFixture({ url: `http://127.0.0.1:${service.port}`, port: service.port, modelsDir: demoModelsDir() });
let failed = false;
try {
  const engine = f.core.loadtests;
  const run = async (protocol: 'json' | 'v2') => {
    const { id } = await engine.start({ model: 'digits', mode: 'closed', concurrency: [4, 16], duration: 1, warmup: 0, protocol });
    const r = await engine.finished(id);
    if (r.status !== 'completed' || r.steps.some((s) => Object.keys(s.errors).length > 0)) throw new Error(`run ${id} ${r.status}: ${r.error ?? JSON.stringify(r.steps.map((s) => s.errors))}`);
    return r;
  };
  await run('json');
  await run('v2');
  // Sockets of a run close just after it: the baseline waits for them as the end does.
  await sleep(500);
  const mem0 = await memoryAfterGc();
  const handles0 = activeResources();
  console.log(`baseline (after warm-up): ${fmtMem(mem0)}; handles ${fmt(handles0)}`);

  for (let i = 1; i <= RUNS; i++) {
    const protocol = i % 2 ? 'json' : 'v2';
    const r = await run(protocol);
    const rps = r.steps.map((s) => `${s.load}:${Math.round(s.throughput)}/s`).join(' ');
    console.log(`run ${String(i).padStart(2)} ${protocol.padEnd(4)} ${rps.padEnd(20)} ${fmtMem(await memoryAfterGc())}; handles ${fmt(activeResources())}`);
  }

  // Up to 5 s for the last run's sockets to close: a leak stays past it.
  for (let t = 0; t < 50 && Object.keys(grown(handles0, activeResources())).length > 0; t++) await sleep(100);
  const mem1 = await memoryAfterGc();
  const handles1 = activeResources();
  const types = [...new Set([...Object.keys(handles0), ...Object.keys(handles1)])].sort();
  const diff = Object.fromEntries(types.map((t) => [t, (handles1[t] ?? 0) - (handles0[t] ?? 0)]));
  const more = grown(handles0, handles1);
  const heapGrowth = mem1.heap - mem0.heap;
  const buffersGrowth = mem1.buffers - mem0.buffers;
  console.log(`\nheap: baseline ${mem0.heap.toFixed(2)} MiB, end ${mem1.heap.toFixed(2)} MiB, end/baseline ${(mem1.heap / mem0.heap).toFixed(3)}, growth ${heapGrowth.toFixed(2)} MiB (limit ${HEAP_GROWTH_LIMIT_MIB}; of it compiled code ${(mem1.code - mem0.code).toFixed(2)})`);
  console.log(`buffers: baseline ${mem0.buffers.toFixed(3)} MiB, end ${mem1.buffers.toFixed(3)} MiB, growth ${buffersGrowth.toFixed(3)} MiB (limit ${BUFFERS_GROWTH_LIMIT_MIB})`);
  console.log(`handles: baseline ${fmt(handles0)}; end ${fmt(handles1)}; end - baseline ${types.map((t) => `${t} ${diff[t]! >= 0 ? '+' : ''}${diff[t]}`).join(', ')}`);
  console.log(`(ProcessWrap and a PipeWrap: the service, the bench's child process; a piped stdout is one more PipeWrap)`);
  if (Object.keys(more).length > 0) {
    console.log(`FAIL: handles left open after ${RUNS} runs: ${fmt(more)}`);
    failed = true;
  }
  if (heapGrowth > HEAP_GROWTH_LIMIT_MIB || buffersGrowth > BUFFERS_GROWTH_LIMIT_MIB) {
    console.log(`FAIL: memory grew beyond its limit over ${RUNS} runs`);
    failed = true;
  }
  if (!failed) console.log(`OK: after ${RUNS} load tests the console's handles and memory are back to their baseline`);
} finally {
  await f.stop();
  await service.stop();
}
// A leaked timer or socket would keep the process alive: the verdict ends it.
process.exit(failed ? 1 : 0);
