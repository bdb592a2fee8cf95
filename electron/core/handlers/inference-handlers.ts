import type { HandlersFor } from '../../api/contract';
import type { inferenceMethods } from '../../api/inference-contract';
import { InferenceClient } from '../../../inference/inference-client';
import { InferenceError } from '../../../inference/inference-errors';
import { asConsoleError } from '../inference-error-relay';
import type { Settings } from '../../api/schemas/settings';

function relay<A extends unknown[], R>(call: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) =>
    call(...args).catch((err: unknown) => {
      throw asConsoleError(err);
    });
}

/** The inference domain's handlers: each one call to the local service through the typed client. */
export function inferenceHandlers(settings: Settings, client = new InferenceClient(`http://127.0.0.1:${settings.inference.port}`)): HandlersFor<typeof inferenceMethods> {
  return {
    'inference.health': () =>
      client.health().then(
        (health) => ({ url: client.baseUrl, reachable: true, message: null, health }),
        (err: unknown) => {
          if (err instanceof InferenceError && err.code === 'INFERENCE_UNREACHABLE') return { url: client.baseUrl, reachable: false, message: err.message, health: null };
          throw asConsoleError(err);
        },
      ),
    'models.list': relay(() => client.models()),
    'models.available': relay(() => client.modelFiles()),
    'models.load': relay((request) => client.load(request)),
    'models.unload': relay((name) => client.unload(name)),
    'predict.run': relay(({ model_name, input, top_k, outputs }) => client.predict({ model_name, top_k, outputs, inputs: input.kind === 'image' ? { image: input.base64 } : input.inputs })),
  };
}
