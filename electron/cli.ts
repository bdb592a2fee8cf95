import { Command, Option } from 'commander';
import { fileURLToPath } from 'node:url';
import { defaultSettingsFile, loadSettings, settingLeaves, type LoadedSettings } from '../stack/settings';
import { StackError } from '../stack/stack-errors';
import type { StackManager } from '../stack/stack-manager';
import type { StackStatus } from '../stack/stack-status';
import { addInferenceOptions, inferenceOptionsFrom, runInferenceService, type InferenceFlags } from '../inference/service-command';
import { APP_NAME, APP_VERSION } from './app-identity';
import { ConsoleCore } from './console-core';
import { formatStatusTable } from './status-table';
import { startWebBridge } from './web-bridge';

/** Where the built renderer sits beside this bundle (dist/cli.js -> dist/renderer). */
const RENDERER_DIR = fileURLToPath(new URL('./renderer', import.meta.url));

type GlobalOptions = { settings: string };

async function settingsFrom(cmd: Command): Promise<LoadedSettings> {
  return loadSettings((cmd.optsWithGlobals() as GlobalOptions).settings);
}

function printStatus(status: StackStatus, json: boolean): void {
  process.stdout.write(json ? JSON.stringify(status, null, 2) + '\n' : formatStatusTable(status) + '\n');
}

export function buildCli(): Command {
  const program = new Command('rx580-ops')
    .description(`${APP_NAME}: run and watch the RX 580 inference monitoring stack`)
    .version(APP_VERSION)
    .addOption(new Option('--settings <file>', 'settings file').default(defaultSettingsFile()))
    .showHelpAfterError()
    .addHelpText('after', `\nEvery setting can also be given as an environment variable:\n  ${settingLeaves().map((l) => l.envName).join('\n  ')}`);

  program
    .command('serve')
    .description('start the web mode: the console in a browser, on 127.0.0.1 with an access token')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', (v) => Number.parseInt(v, 10))
    .action(async (opts: { port?: number }, cmd: Command) => {
      const { settings, file } = await settingsFrom(cmd);
      const core = new ConsoleCore({ settings, settingsFile: file, mode: 'web' });
      await core.start();
      const bridge = await startWebBridge({
        handlers: core.handlers,
        events: core,
        port: opts.port ?? settings.web.port,
        rendererDir: RENDERER_DIR,
      });
      process.stdout.write(`${APP_NAME} is running in web mode.\nOpen: ${bridge.openUrl}\n(Ctrl+C stops the console; the stack keeps running.)\n`);
      const stop = async () => {
        core.close();
        await bridge.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  addInferenceOptions(program.command('inference').description('run the ONNX inference service (HTTP API and Prometheus metrics) in the foreground')).action(
    async (flags: InferenceFlags, cmd: Command) => {
      const { settings } = await settingsFrom(cmd);
      await runInferenceService(inferenceOptionsFrom(settings, flags));
    },
  );

  const stack = program.command('stack').description('control the monitoring stack');
  const withStack = (fn: (manager: StackManager, opts: { json?: boolean }) => Promise<void>) => async (opts: { json?: boolean }, cmd: Command) => {
    const { settings, file } = await settingsFrom(cmd);
    // Through ConsoleCore, so `stack up` renders the notification receivers the console saved.
    await fn(new ConsoleCore({ settings, settingsFile: file, mode: 'web' }).stack, opts);
  };

  stack
    .command('up')
    .description('start Prometheus, Alertmanager and Grafana and wait until they are ready')
    .option('--json', 'print the final status as JSON')
    .action(
      withStack(async (manager, opts) => {
        if (!opts.json) manager.on('progress', (p) => process.stderr.write(`  ${p.message}\n`));
        printStatus(await manager.up(), !!opts.json);
      }),
    );
  stack
    .command('down')
    .description('stop and remove the stack containers (data is kept)')
    .option('--json', 'print the final status as JSON')
    .action(withStack(async (manager, opts) => printStatus(await manager.down(), !!opts.json)));
  stack
    .command('status')
    .description('show each service with its state, health and port')
    .option('--json', 'print JSON for scripts')
    .action(withStack(async (manager, opts) => printStatus(await manager.status(), !!opts.json)));
  stack
    .command('remove-data')
    .description('delete the stack data volumes and rendered configuration (the stack must be stopped)')
    .action(
      withStack(async (manager) => {
        await manager.removeData();
        process.stdout.write('Stack data removed.\n');
      }),
    );

  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    // Errors the user can act on are printed as sentences, never as stack traces.
    const message = err instanceof StackError || (err instanceof Error && err.name === 'SettingsError') ? err.message : `Unexpected error: ${(err as Error).message}`;
    process.stderr.write(`rx580-ops: ${message}\n`);
    process.exitCode = 1;
  }
}
