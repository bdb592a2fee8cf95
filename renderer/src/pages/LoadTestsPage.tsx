import { useEffect, useState } from 'react';
import { loadtestSpecSchema, type LoadtestSpec, type LoadtestSpecInput } from '../../../electron/api/schemas/loadtest';
import { useLoadedModels } from '../api/inference-queries';
import { useCancelLoadtest, useLoadtestList, useLoadtestProgress, useStartLoadtest } from '../api/loadtest-queries';
import { prometheusReady } from '../api/monitoring-queries';
import { useStackStatus } from '../api/stack-queries';
import { RunProgress } from '../loadtest/RunProgress';
import { RunResults } from '../loadtest/RunResults';
import { SavedRuns } from '../loadtest/SavedRuns';
import { SpecForm } from '../loadtest/SpecForm';
import '../loadtest/loadtest.css';

/** The run this page started: its id once the API answers, its spec for the progress bar, the baseline to show it against. */
interface Started {
  id: string;
  spec: LoadtestSpec;
  baseline: string;
}

export function LoadTestsPage() {
  const stack = useStackStatus();
  const workers = stack.data?.services.filter((s) => s.name === 'inference' && s.enabled) ?? [];
  const running = workers.some((w) => w.state === 'running');
  const models = useLoadedModels(running);
  const progress = useLoadtestProgress();
  const start = useStartLoadtest();
  const cancel = useCancelLoadtest();
  const [started, setStarted] = useState<Started | null>(null);
  const [shown, setShown] = useState<{ id: string; baseline: string } | null>(null);
  const list = useLoadtestList(started !== null || progress?.status === 'running');
  const runs = list.data?.runs ?? [];

  const over = (id: string) => (progress?.id === id && progress.status !== 'running') || runs.some((r) => r.id === id && r.status !== 'running');
  // A run under way: this page's, or one started elsewhere (another window, the API) that the list shows.
  const activeId = started?.id ?? runs.find((r) => r.status === 'running' && !over(r.id))?.id ?? null;
  const live = progress?.id === activeId ? progress : null;
  // This page's run ended (its last event says so, or the list if that event was missed): show it.
  const startedOver = started !== null && over(started.id);
  useEffect(() => {
    if (!started || !startedOver) return;
    setShown({ id: started.id, baseline: started.baseline });
    setStarted(null);
  }, [started, startedOver]);

  const onStart = (spec: LoadtestSpecInput, baseline: string) => {
    cancel.reset();
    start.mutate(spec, { onSuccess: ({ id }) => setStarted({ id, spec: loadtestSpecSchema.parse(spec), baseline }) });
  };

  const loaded = models.data?.models.map((m) => m.name) ?? [];
  return (
    <section aria-labelledby="loadtests-title" className="loadtests">
      <div className="toolbar">
        <h1 id="loadtests-title">Load tests</h1>
      </div>
      <p className="muted">
        Sweeps the console&apos;s own inference workers step by step (closed model: fixed concurrency; open model: fixed rate) and finds the knee, where p95 latency starts to grow faster
        than throughput. One run at a time; every run is saved, to open again or to compare with a later one.
      </p>

      {stack.isError && (
        <p className="error" role="alert">
          {stack.error.message}
        </p>
      )}
      {stack.data && workers.length === 0 && (
        <p className="card muted" data-testid="loadtest-no-worker">
          The console runs no inference worker: turn on &quot;Run the inference service with the stack&quot; in Settings, then press Start on the Overview page.
        </p>
      )}
      {workers.length > 0 && !running && !activeId && (
        <p className="card muted" data-testid="loadtest-no-worker">
          No inference worker is running, so there is nothing to load. Start it with Start on the Overview page (or <span className="mono">rx580-ops up</span>); this page notices when it
          is up.
        </p>
      )}
      {models.isError && (
        <p className="error" role="alert">
          {models.error.message}
        </p>
      )}
      {running && models.isPending && <p className="muted">Asking the inference service for its models…</p>}
      {running && models.data && loaded.length === 0 && (
        <p className="card muted" data-testid="loadtest-no-model">
          No model is loaded, so there is nothing to send requests to. Load one on the Predictions page, then come back.
        </p>
      )}

      {running && loaded.length > 0 && (
        <SpecForm models={loaded} workers={workers.map((w) => w.id)} runs={runs} busy={activeId !== null || start.isPending} refused={start.error} onStart={onStart} />
      )}
      {start.error && (
        <p className="error" role="alert" data-testid="loadtest-refused">
          {start.error.message}
        </p>
      )}
      {activeId && <RunProgress progress={live} spec={started?.spec ?? null} cancelling={cancel.isPending} onCancel={() => cancel.mutate(activeId)} />}
      {cancel.error && (
        <p className="error" role="alert">
          {cancel.error.message}
        </p>
      )}

      {shown && <RunResults id={shown.id} baseline={shown.baseline} runs={runs} onBaseline={(baseline) => setShown({ ...shown, baseline })} />}
      {(activeId || shown) && prometheusReady(stack.data) && (
        <p className="muted" data-testid="loadtest-metrics-link">
          <a href="#/metrics">See it on the Metrics page</a>: the workers&apos; request rate and latency as Prometheus scrapes them, which the alert rules watch.
        </p>
      )}

      <h2>Saved runs</h2>
      {list.isError ? (
        <p className="error" role="alert">
          {list.error.message}
        </p>
      ) : (
        <SavedRuns runs={runs} openId={shown?.id ?? null} onOpen={(id) => setShown({ id, baseline: '' })} />
      )}
    </section>
  );
}
