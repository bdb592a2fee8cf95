import { toUserError, userMessage } from '../../../stack/console-error';
import { MAX_STEP_SECONDS, MAX_TOTAL_SECONDS, stepLoads, type LoadtestProgress, type LoadtestResult } from '../../api/schemas/loadtest';
import { findKnee } from './knee';
import type { LoadRequest } from './request-body';
import type { CheckedSpec } from './spec-checks';
import { planShards, startStep, type RunningStep, type StepStats } from './step-runner';

export interface RunPlan extends CheckedSpec {
  id: string;
  request: LoadRequest;
}

type Phase = LoadtestProgress['phase'];

/** Progress twice a second: at least one event a second, whatever the timer's drift. */
const PROGRESS_MS = 500;
/** A timed step ends by autocannon's own timer; this one only catches a step that does not. */
const STOP_GRACE_S = 5;

/** One load test from start to end: the steps in order, each after its warm-up, until done or cancelled. */
export class LoadTestRun {
  /** The result as it grows, step by step; final once `finished` resolves. */
  readonly result: LoadtestResult;
  readonly finished: Promise<LoadtestResult>;
  private current: RunningStep | null = null;
  private cancelled = false;
  private last: LoadtestProgress;

  constructor(
    private readonly plan: RunPlan,
    private readonly onProgress: (p: LoadtestProgress) => void,
  ) {
    const { id, spec, targets, request } = plan;
    this.result = {
      id,
      status: 'running',
      error: null,
      spec,
      targets,
      request: { path: request.path, bytes: request.body.length },
      startedAt: new Date().toISOString(),
      finishedAt: null,
      steps: [],
      knee: null,
    };
    const first = stepLoads(spec)[0]!;
    this.last = { id, status: 'running', step: 0, steps: stepLoads(spec).length, phase: spec.warmup > 0 ? 'warmup' : 'measure', load: first, elapsedS: 0, requests: 0, throughput: 0, latencyMs: null, errors: {} };
    this.finished = this.runSteps();
  }

  /** Stops the step under way at once; the steps measured so far stay in the result. */
  cancel(): void {
    this.cancelled = true;
    this.current?.stop();
  }

  /** The last progress reported, with the run's status as it is now: a run's closing event. */
  lastProgress(): LoadtestProgress {
    return { ...this.last, status: this.result.status };
  }

  private async runSteps(): Promise<LoadtestResult> {
    const { spec } = this.plan;
    // Request-count steps have no known length: the total cap is enforced as the run goes.
    const deadline = Date.now() + MAX_TOTAL_SECONDS * 1000;
    try {
      for (const [index, load] of stepLoads(spec).entries()) {
        if (spec.warmup > 0 && !this.cancelled) await this.phase(index, load, 'warmup', spec.warmup, deadline);
        if (this.cancelled) break;
        const stats = await this.phase(index, load, 'measure', spec.duration, deadline);
        this.result.steps.push({ index, load, ...stats });
        if (this.cancelled || stats.cutShort) break;
      }
      this.result.status = this.cancelled ? 'cancelled' : 'completed';
    } catch (err) {
      this.result.status = 'failed';
      this.result.error = userMessage(err);
      // A fault of the console's own: the result says so and points to the log, which gets the details.
      if (!toUserError(err)) console.error(`rx580-ops: load test ${this.plan.id} failed`, err);
    }
    this.result.knee = findKnee(this.result.steps);
    this.result.finishedAt = new Date().toISOString();
    return this.result;
  }

  /** A warm-up or a measured step: autocannon runs, progress goes out until it ends. */
  private async phase(index: number, load: number, phase: Phase, durationS: number | undefined, deadline: number): Promise<StepStats> {
    const { spec, targets, request } = this.plan;
    const amount = phase === 'measure' ? spec.requests : undefined;
    const remainingS = Math.max(0, (deadline - Date.now()) / 1000);
    const step = startStep(
      targets.map((t) => t.url),
      request,
      {
        shards: planShards(spec.mode, load, amount),
        durationS,
        timeLimitS: Math.min(amount ? MAX_STEP_SECONDS : (durationS ?? 0) + STOP_GRACE_S, remainingS),
      },
    );
    this.current = step;
    const report = (stats: StepStats) => {
      const { durationS: elapsedS, requests, throughput, latencyMs, errors } = stats;
      this.last = { id: this.plan.id, status: 'running', step: index, steps: this.last.steps, phase, load, elapsedS, requests, throughput, errors, latencyMs: latencyMs && { p50: latencyMs.p50, p90: latencyMs.p90, p99: latencyMs.p99 } };
      this.onProgress(this.last);
    };
    const tick = setInterval(() => report(step.stats()), PROGRESS_MS);
    try {
      const stats = await step.done;
      report(stats);
      return stats;
    } finally {
      clearInterval(tick);
      this.current = null;
    }
  }
}
