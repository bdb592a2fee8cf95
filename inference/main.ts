// The inference service on its own: `node dist/inference.js [--port N] [--models-dir DIR] ...`.
// The desktop app supervises this process; `rx580-ops inference` runs the same thing.
import { Command, Option } from 'commander';
import { defaultSettingsFile, loadSettings } from '../stack/settings';
import { addInferenceOptions, inferenceOptionsFrom, runInferenceService, type InferenceFlags } from './service-command';

const program = addInferenceOptions(
  new Command('rx580-ops-inference')
    .description('RX580 Ops inference service: ONNX models over HTTP, with Prometheus metrics')
    .addOption(new Option('--settings <file>', 'settings file').default(defaultSettingsFile())),
).action(async (flags: InferenceFlags & { settings: string }) => {
  const { settings } = await loadSettings(flags.settings);
  await runInferenceService(inferenceOptionsFrom(settings, flags));
});

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`inference: ${(err as Error).message}\n`);
  process.exit(1);
});
