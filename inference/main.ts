// The inference service on its own: `node dist/inference.js [--port N] [--models-dir DIR] ...`, the
// image's entry point and host mode's process. Settings come from RX580_OPS_INFERENCE_* variables
// and flags; `rx580-ops inference` runs the same thing from the console's settings.
import { Command } from 'commander';
import { addInferenceOptions, inferenceOptionsFrom, runInferenceService, type InferenceFlags } from './service-command';
import { serviceSettingsFromEnv } from './service-settings';

const program = addInferenceOptions(
  new Command('rx580-ops-inference').description('RX580 Ops inference service: ONNX models over HTTP, with Prometheus metrics'),
).action(async (flags: InferenceFlags) => {
  await runInferenceService(inferenceOptionsFrom(serviceSettingsFromEnv(process.env), flags));
});

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`inference: ${(err as Error).message}\n`);
  process.exit(1);
});
