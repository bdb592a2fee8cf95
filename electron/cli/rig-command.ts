import { Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import type { ApiArgs, ApiMethod, ApiResult } from '../api/contract';
import { LOCAL_RIG_NAME, type RigAdd, type RigFleetStatus, type RigProbe, type RigView } from '../api/schemas/rigs';
import type { StackStatus } from '../api/schemas/stack-status';
import type { ConsoleCore } from '../core/console-core';
import { dispatchApiCall } from '../core/dispatch';
import { ConsoleError } from '../../stack/console-error';

interface AddFlags {
  key?: string;
  passphraseEnv?: string;
  hostKey?: string;
  address?: string;
  gpus?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  json?: boolean;
}

/** Through the contract, as the Rigs page calls it: the same checks, the same errors. */
async function call<M extends ApiMethod>(core: ConsoleCore, method: M, ...args: ApiArgs<M> extends unknown[] ? ApiArgs<M> : never): Promise<ApiResult<M>> {
  const { body } = await dispatchApiCall(core.handlers, method, args);
  if (!body.ok) throw new ConsoleError(body.error.code, body.error.message, 400);
  return body.result as ApiResult<M>;
}

const readText = (file: string, what: string) =>
  readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new ConsoleError('BAD_FILE', `Cannot read the ${what} ${file} (${err.code ?? err.message}).`);
  });

async function addInput(name: string, url: string, f: AddFlags): Promise<RigAdd> {
  const tlsFiles = [f.tlsCa, f.tlsCert, f.tlsKey];
  if (tlsFiles.some(Boolean) && !tlsFiles.every(Boolean)) throw new ConsoleError('BAD_ARGUMENT', 'Give --tls-ca, --tls-cert and --tls-key together.');
  const passphrase = f.passphraseEnv ? process.env[f.passphraseEnv] : undefined;
  if (f.passphraseEnv && !passphrase) throw new ConsoleError('BAD_ARGUMENT', `${f.passphraseEnv} is not set: it should hold the key's passphrase.`);
  return {
    name,
    url,
    ...(f.key ? { privateKey: await readText(f.key, 'key file') } : {}),
    ...(passphrase ? { passphrase } : {}),
    ...(f.hostKey ? { hostKey: f.hostKey } : {}),
    ...(f.address ? { address: f.address } : {}),
    ...(f.gpus ? { gpus: f.gpus } : {}),
    ...(f.tlsCa ? { tls: { ca: await readText(f.tlsCa, 'CA file'), cert: await readText(f.tlsCert!, 'certificate'), key: await readText(f.tlsKey!, 'key') } } : {}),
  };
}

const probeLine = (p: RigProbe | null) =>
  !p ? 'not tested' : p.ok ? `Docker ${p.engineVersion}, ${p.cards.length ? p.cards.join(' ') : 'no AMD card'}${p.portsTaken.length ? `, ports taken: ${p.portsTaken.join(' ')}` : ''} (${p.latencyMs} ms)` : `${p.failure}: ${p.message}`;

/** The rigs as a table; `monitoring` names the one that runs the monitoring stack. */
export function formatRigs(rigs: RigView[], monitoring: string): string {
  const rows = rigs.map((r) => [r.name, r.url, r.address, r.name === monitoring ? 'monitoring' : '', r.local ? '' : (r.hostKey ?? '-'), probeLine(r.probe)]);
  const head = ['RIG', 'URL', 'ADDRESS', 'STACK', 'HOST KEY', 'LAST TEST'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

export function formatFleet(status: RigFleetStatus): string {
  if (status.rigs.length === 0) return 'No rigs besides this machine: add one with `rx580-ops rig add <name> ssh://user@host`.';
  return status.rigs
    .map((r) => {
      const head = `${r.name} (${r.address}): ${r.reachable ? `${r.workers.length} worker(s)` : `unreachable, ${r.failure}: ${r.message}`}${r.error ? `\n  last start or stop failed: ${r.error}` : ''}`;
      return [head, ...r.workers.map((w) => `  ${w.id}  ${w.state}${w.health ? ` (${w.health})` : ''}  ${w.url ?? ''}`)].join('\n');
    })
    .join('\n');
}

/** This machine's workers as `rig start|stop local …` prints them, in formatFleet's shape. */
export function formatLocalWorkers(status: StackStatus): string {
  const workers = status.services.filter((s) => s.name === 'inference' && s.enabled);
  return [`${LOCAL_RIG_NAME} (this machine): ${workers.length} worker(s)`, ...workers.map((w) => `  ${w.id}  ${w.state}  ${w.url ?? ''}`)].join('\n');
}

/** `rx580-ops rig add|list|remove|test|up|down|status`: the Rigs page's actions, from a terminal. */
export function addRigCommand(program: Command, coreFrom: (cmd: Command) => Promise<ConsoleCore>): void {
  const rig = program.command('rig').description('the rigs besides this machine: Docker engines over SSH or TLS, each running inference workers');
  const print = (json: boolean | undefined, value: unknown, text: string) => process.stdout.write(`${json ? JSON.stringify(value, null, 2) : text}\n`);

  rig
    .command('add <name> <url>')
    .description('test the connection (engine, AMD cards, ports) and add the rig; ssh://user@host[:port] or tcp://host:2376')
    .option('--key <file>', 'SSH private key file (default: your SSH agent); kept in the secret store')
    .option('--passphrase-env <variable>', "environment variable holding the key's passphrase")
    .option('--host-key <fingerprint>', 'expected host key (SHA256:…); default: pinned on first use')
    .option('--address <ip>', "address workers publish on and Prometheus scrapes (default: the URL's host)")
    .option('--gpus <cards>', "all, none or a list such as card0,card1")
    .option('--tls-ca <file>').option('--tls-cert <file>').option('--tls-key <file>')
    .addOption(new Option('--json', 'print JSON'))
    .action(async (name: string, url: string, f: AddFlags, cmd: Command) => {
      const added = await call(await coreFrom(cmd), 'rigs.add', await addInput(name, url, f));
      print(f.json, added, `Added rig ${added.name}: ${probeLine(added.probe)}\nHost key pinned: ${added.hostKey ?? '(TLS)'}`);
    });
  rig
    .command('list')
    .option('--json', 'print JSON')
    .action(async (f: { json?: boolean }, cmd: Command) => {
      const { rigs, monitoring } = await call(await coreFrom(cmd), 'rigs.list');
      print(f.json, rigs, formatRigs(rigs, monitoring));
    });
  rig
    .command('remove <name>')
    .description("remove the rig's workers from it, then the rig and its secrets")
    .option('--force', 'remove a rig that cannot be reached; its workers stay on it')
    .action(async (name: string, f: { force?: boolean }, cmd: Command) => {
      const { workersLeft } = await call(await coreFrom(cmd), 'rigs.remove', name, { force: !!f.force });
      process.stdout.write(`Removed rig ${name}.${workersLeft ? ' It could not be reached: its workers still run there (remove them on the rig).' : ''}\n`);
    });
  rig
    .command('test <name>')
    .option('--json', 'print JSON')
    .action(async (name: string, f: { json?: boolean }, cmd: Command) => {
      const probe = await call(await coreFrom(cmd), 'rigs.test', name);
      print(f.json, probe, `${name}: ${probeLine(probe)}`);
      if (!probe.ok) process.exitCode = 1;
    });
  for (const [verb, description] of [
    ['up', "start the inference workers on one rig, or every rig (one unreachable rig holds up no other)"],
    ['down', 'stop and remove the inference workers on one rig, or every rig'],
  ] as const) {
    rig
      .command(`${verb} [name]`)
      .description(description)
      .option('--json', 'print JSON')
      .action(async (name: string | undefined, f: { json?: boolean }, cmd: Command) => {
        const status = await call(await coreFrom(cmd), verb === 'up' ? 'rigs.up' : 'rigs.down', name);
        print(f.json, status, formatFleet(status));
      });
  }
  for (const [verb, description] of [
    ['start', 'start one stopped worker of a rig, or of this machine (local), by its card or cpu'],
    ['stop', "stop one worker of a rig: it stays there, stopped, out of Prometheus's targets"],
  ] as const) {
    rig
      .command(`${verb} <name> <worker>`)
      .description(description)
      .option('--json', 'print JSON')
      .action(async (name: string, worker: string, f: { json?: boolean }, cmd: Command) => {
        const core = await coreFrom(cmd);
        if (name === LOCAL_RIG_NAME) {
          const status = await call(core, verb === 'start' ? 'inference.workerStart' : 'inference.workerStop', worker);
          print(f.json, status, formatLocalWorkers(status));
          return;
        }
        const status = await call(core, verb === 'start' ? 'rigs.workerUp' : 'rigs.workerDown', name, worker);
        print(f.json, status, formatFleet(status));
      });
  }
  rig
    .command('status')
    .option('--json', 'print JSON')
    .action(async (f: { json?: boolean }, cmd: Command) => {
      const status = await call(await coreFrom(cmd), 'rigs.status');
      print(f.json, status, formatFleet(status));
    });
}
