import type { HandlersFor } from '../../api/contract';
import type { loadtestMethods } from '../../api/loadtest-contract';
import type { LoadTestEngine } from '../loadtest/loadtest-engine';

/** The load test domain's handlers: each one call to the engine the CLI drives too. */
export function loadtestHandlers(engine: LoadTestEngine): HandlersFor<typeof loadtestMethods> {
  return {
    'loadtest.start': (spec) => engine.start(spec),
    'loadtest.cancel': (id) => engine.cancel(id),
    'loadtest.list': () => engine.list(),
    'loadtest.get': (id, baselineId) => engine.get(id, baselineId),
  };
}
