// Builds the inference image the way the console does (through the engine, from inference/Dockerfile
// on RX580_OPS_INFERENCE_BASE_IMAGE), once before the tests, so no test waits on it. Prints the tag.
import Docker from 'dockerode';
import { fileURLToPath } from 'node:url';
import { buildInferenceImage } from '../engine/inference-image';

const base = process.env.RX580_OPS_INFERENCE_BASE_IMAGE;
if (!base) throw new Error('RX580_OPS_INFERENCE_BASE_IMAGE is not set: eval "$(npm run -s test-images)" first.');
const started = Date.now();
const tag = await buildInferenceImage(new Docker(), {
  appRoot: fileURLToPath(new URL('../..', import.meta.url)),
  baseImage: base,
  onProgress: (p) => process.stderr.write(`  inference image: ${p.message}\n`),
});
process.stderr.write(`test-images: inference image ${tag} ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
