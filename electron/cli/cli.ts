import { Command, Option } from 'commander';
import { fileURLToPath } from 'node:url';
import { userMessage } from '../../stack/console-error';
import { defaultSettingsFile, loadSettings, type LoadedSettings } from '../settings/settings-file';
import { SETTING_LEAVES } from '../api/schemas/settings';
import type { StackStatus } from '../api/schemas/stack-status';
import { hostListenPlan } from '../core/host-listen';
import { addInferenceOptions, inferenceOptionsFrom, runInferenceService, type InferenceFlags } from '../../inference/service-command';
import { APP_NAME, APP_VERSION } from '../core/app-identity';
import { ConsoleCore } from '../core/console-core';
import type { Rig } from '../core/rig';
import { formatStatusTable } from './status-table';
import { addLoadtestCommand } from './loadtest-command';
import { addRigCommand } from './rig-command';
import { startWebBridge } from '../web/web-bridge';

/** Where the built renderer sits beside this bundle (dist/cli.js -> dist/renderer). */
const RENDERER_DIR = fileURLToPath(new URL('./renderer', import.meta.url));

type GlobalOptions = { settings: string };

async function settingsFrom(cmd: Command): Promise<LoadedSettings> {
  return loadSettings((cmd.optsWithGlobals() as GlobalOptions).settings);
}

/**
 * The console's service layer for one command: through ConsoleCore, so `up` renders the
 * notification receivers the console saved. Each is closed when the command ends (runCli): its
 * rig connections and tunnel would otherwise keep the process alive.
 */
function coreMaker(opened: ConsoleCore[]) {
  return async (cmd: Command): Promise<ConsoleCore> => {
    const { settings, file } = await settingsFrom(cmd);
    const core = new ConsoleCore({ settings, settingsFile: file, mode: 'web' });
    opened.push(core);
    return core;
  };
}

function printStatus(status: StackStatus, json: boolean): void {
  process.stdout.write(json ? JSON.stringify(status, null, 2) + '\n' : formatStatusTable(status) + '\n');
}

export function buildCli(opened: ConsoleCore[] = []): Command {
  const coreFrom = coreMaker(opened);
  const program = new Command('rx580-ops')
    .description(`${APP_NAME}: run and watch the RX 580 inference monitoring stack`)
    .version(APP_VERSION)
    .addOption(new Option('--settings <file>', 'settings file').default(defaultSettingsFile()))
    .showHelpAfterError()
    .addHelpText('after', `\nEvery setting can also be given as an environment variable:\n  ${SETTING_LEAVES.map((l) => l.envName).join('\n  ')}`);

  program
    .command('serve')
    .description('start the web mode: the console in a browser, on 127.0.0.1 with an access token')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', (v) => Number.parseInt(v, 10))
    .action(async (opts: { port?: number }, cmd: Command) => {
      const { settings, file } = await settingsFrom(cmd);
      const core = new ConsoleCore({ settings, settingsFile: file, mode: 'web' });
      const bridge = await startWebBridge({
        handlers: core.handlers,
        events: core,
        port: opts.port ?? settings.web.port,
        rendererDir: RENDERER_DIR,
      });
      process.stdout.write(`${APP_NAME} is running in web mode.\nOpen: ${bridge.openUrl}\n(Ctrl+C stops the console; the rig keeps running: \`rx580-ops down\` stops it.)\n`);
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
      const options = inferenceOptionsFrom(settings.inference, flags);
      if (!options.listen && !options.inContainer) {
        // On the host, as the rig runs it: loopback and the Docker host gateway, asked of the engine.
        const plan = await hostListenPlan();
        if (plan.note) process.stdout.write(`inference: ${plan.note}\n`);
        options.listen = plan.addresses;
      }
      await runInferenceService(options);
    },
  );

  // The rig's commands, the same as the console's Start and Stop buttons; `stack <command>` are aliases.
  const withRig = (fn: (rig: Rig, opts: { json?: boolean }) => Promise<void>) => async (opts: { json?: boolean }, cmd: Command) => {
    await fn((await coreFrom(cmd)).rig, opts);
  };
  const commands: { name: string; description: string; json: string; run: (rig: Rig, opts: { json?: boolean }) => Promise<void> }[] = [
    {
      name: 'up',
      description: 'start the whole rig (Prometheus, Alertmanager, Grafana, the inference workers) and wait until it is ready',
      json: 'print the final status as JSON',
      run: async (rig, opts) => {
        if (!opts.json) rig.onProgress((p) => process.stderr.write(`  ${p.message}${p.total ? ` (${p.current}/${p.total})` : ''}\n`));
        printStatus(await rig.up(), !!opts.json);
      },
    },
    { name: 'down', description: 'stop and remove everything the rig runs (data is kept)', json: 'print the final status as JSON', run: async (rig, opts) => printStatus(await rig.down(), !!opts.json) },
    { name: 'status', description: 'show each service and inference worker with its state, health and port', json: 'print JSON for scripts', run: async (rig, opts) => printStatus(await rig.status(), !!opts.json) },
  ];
  const stack = program.command('stack').description('the same commands under their earlier names');
  for (const c of commands) {
    program.command(c.name).description(c.description).option('--json', c.json).action(withRig(c.run));
    stack.command(c.name).description(`same as \`rx580-ops ${c.name}\``).option('--json', c.json).action(withRig(c.run));
  }
  for (const parent of [program, stack]) {
    parent
      .command('remove-data')
      .description('delete the data volumes and rendered configuration (the rig must be stopped)')
      .action(
        withRig(async (rig) => {
          await rig.removeData();
          process.stdout.write('Stack data removed.\n');
        }),
      );
  }

  addLoadtestCommand(program, coreFrom);
  addRigCommand(program, coreFrom);

  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  const opened: ConsoleCore[] = [];
  try {
    await buildCli(opened).parseAsync(argv);
  } catch (err) {
    // Printed as sentences, never as stack traces.
    process.stderr.write(`rx580-ops: ${userMessage(err)}\n`);
    process.exitCode = 1;
  } finally {
    for (const core of opened) core.close();
  }
}
