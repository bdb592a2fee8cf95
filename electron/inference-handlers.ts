import type { HandlersFor } from './api/contract';
import type { inferenceMethods } from './api/inference-contract';
import { InferenceClient } from '../inference/inference-client';
import { InferenceError } from '../inference/inference-errors';
import type { Settings } from '../stack/settings';

/** The inference domain's handlers: each one call to the local service through the typed client. */
export function inferenceHandlers(settings: Settings, client = new InferenceClient(`http://127.0.0.1:${settings.inference.port}`)): HandlersFor<typeof inferenceMethods> {
  return {
    'inference.health': () =>
      client.health().then(
        (health) => ({ url: client.baseUrl, reachable: true, message: null, health }),
        (err: unknown) => {
          if (err instanceof InferenceError && err.code === 'INFERENCE_UNREACHABLE') return { url: client.baseUrl, reachable: false, message: err.message, health: null };
          throw err;
        },
      ),
    'models.list': () => client.models(),
    'models.available': () => client.modelFiles(),
    'models.load': (request) => client.load(request),
    'models.unload': (name) => client.unload(name),
    'predict.run': ({ model_name, input, top_k }) =>
      client.predict({ model_name, top_k, inputs: input.kind === 'image' ? { image: input.base64 } : input.inputs }),
  };
}
