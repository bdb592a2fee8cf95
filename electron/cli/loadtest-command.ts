import { Command, Option } from 'commander';
import type { LoadtestSpecInput } from '../api/schemas/loadtest';
import type { ConsoleCore } from '../core/console-core';
import { assertComparable } from '../core/loadtest/compare-runs';
import { formatComparison, formatLoadtest, progressLine } from './loadtest-table';

interface LoadtestFlags {
  model: string;
  target: string;
  concurrency?: string;
  rate?: string;
  duration?: string;
  requests?: string;
  warmup?: string;
  protocol: 'json' | 'v2';
  input?: string;
  baseline?: string;
  json?: boolean;
}

/** Exit codes beside 0 (done) and 1 (refused or failed), for scripts. */
const EXIT_REGRESSION = 2;
const EXIT_CANCELLED = 130;

/** A comma list as numbers; what is no number stays NaN, for the spec check to name the field. */
const numbers = (list: string) => list.split(',').map((v) => Number(v.trim()));

/**
 * The flags as the API's spec: its checks then name any bad value (`concurrency.1: …`), as the
 * page's form would show them. A closed sweep of 1, 4 and 16 connections unless told otherwise.
 */
function specFrom(f: LoadtestFlags): LoadtestSpecInput {
  const load = f.rate !== undefined ? { mode: 'open' as const, rate: numbers(f.rate) } : { mode: 'closed' as const, concurrency: numbers(f.concurrency ?? '1,4,16') };
  return {
    ...load,
    model: f.model,
    target: f.target,
    ...(f.requests !== undefined ? { requests: Number(f.requests) } : { duration: Number(f.duration ?? 10) }),
    ...(f.warmup !== undefined ? { warmup: Number(f.warmup) } : {}),
    protocol: f.protocol,
    input: f.input !== undefined ? { kind: 'file', path: f.input } : { kind: 'sample' },
  };
}

/**
 * `rx580-ops loadtest`: the console's load test engine, as the API runs it. Progress goes to
 * stderr on a terminal; stdout gets the table, or with --json exactly the saved result. Ctrl+C
 * cancels the run: the steps measured so far are saved and printed.
 */
export function addLoadtestCommand(program: Command, openCore: (cmd: Command) => Promise<ConsoleCore>): void {
  program
    .command('loadtest')
    .description("load-test the rig's inference workers: a sweep of steps, each with its throughput, latency percentiles and errors, and the knee")
    .requiredOption('--model <name>', 'a model loaded on the target workers')
    .option('--target <worker>', "all (every running worker, round robin) or one worker's id from `rx580-ops status --json`", 'all')
    .addOption(new Option('--concurrency <list>', 'closed model: connections per step, e.g. 1,4,16 (the default)').conflicts('rate'))
    .option('--rate <list>', 'open model: requests per second per step, e.g. 50,100')
    .addOption(new Option('--duration <seconds>', 'seconds per step (default 10)').conflicts('requests'))
    .option('--requests <count>', 'requests per step, instead of a duration')
    .option('--warmup <seconds>', 'seconds of the same load before each step, not measured (default 2)')
    .addOption(new Option('--protocol <protocol>', 'json: POST /predict; v2: the Open Inference Protocol with binary tensors').choices(['json', 'v2']).default('json'))
    .option('--input <file>', "a PNG/JPEG or JSON tensors in the models folder, instead of the model's sample")
    .option('--baseline <id>', 'compare with this earlier run, step by step')
    .option('--json', 'print the saved result as JSON')
    .addHelpText('after', `\nExit codes: 0 done, 1 refused or failed, ${EXIT_REGRESSION} a regression against --baseline, ${EXIT_CANCELLED} cancelled (Ctrl+C).`)
    .action(async (flags: LoadtestFlags, cmd: Command) => {
      const core = await openCore(cmd);
      const engine = core.loadtests;
      try {
        const spec = specFrom(flags);
        // A baseline that is not there, or not comparable, is said before the run, not after it.
        if (flags.baseline) assertComparable(spec, (await engine.get(flags.baseline)).result);
        const { id } = await engine.start(spec);
        const cancel = () => void engine.cancel(id);
        process.once('SIGINT', cancel);
        const live = !flags.json && process.stderr.isTTY;
        const unlisten = live ? engine.onProgress((p) => process.stderr.write(`\r\x1b[K${progressLine(p)}`)) : () => {};
        const result = await engine.finished(id).finally(() => {
          process.off('SIGINT', cancel);
          unlisten();
          if (live) process.stderr.write('\n');
        });
        const comparison = flags.baseline ? (await engine.get(id, flags.baseline)).comparison : null;
        const compared = comparison ? formatComparison(comparison, result.spec.mode) : '';
        if (flags.json) {
          process.stdout.write(JSON.stringify(result, null, 2) + '\n');
          process.stderr.write(compared);
        } else process.stdout.write(formatLoadtest(result, engine.store.fileOf(id)) + compared);
        if (result.status === 'failed') process.stderr.write(`rx580-ops: ${result.error}\n`);
        process.exitCode = result.status === 'failed' ? 1 : result.status === 'cancelled' ? EXIT_CANCELLED : comparison?.regression ? EXIT_REGRESSION : 0;
      } finally {
        core.close();
      }
    });
}
