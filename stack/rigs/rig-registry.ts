import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ConsoleError } from '../console-error';
import { writeAtomic } from '../config/config-apply';
import { EncryptedFileSecretStore, type SecretCipher } from '../notifications/secret-store';
import { LOCAL_RIG_NAME, rigUrlOf, storedRigSchema, type RigAddParsed, type RigProbe, type RigView, type StoredRig } from '../../electron/api/schemas/rigs';
import { openRigEngine, type OpenRigOptions, type RigEngine, type RigSecrets } from './rig-engine';
import { probeRig } from './rig-probe';

export interface RigRegistryOptions {
  /** Where rigs.json and the rigs' encrypted secrets live. */
  dir: string;
  cipher: SecretCipher;
  /** The ports a rig's workers publish, checked when it is tested. */
  workerPorts: number[];
  connect?: Pick<OpenRigOptions, 'agentSocket' | 'readyTimeoutMs' | 'keepaliveMs'>;
}

const rigsFileSchema = z.object({ rigs: z.array(storedRigSchema) });

/**
 * The rigs the console knows besides this machine's: rigs.json holds what identifies each (no
 * secret), the encrypted secret store its key or certificates. Adding tests the connection first
 * and stores nothing unless it works; a host key is pinned on that first connection.
 */
export class RigRegistry {
  private readonly file: string;
  private readonly secrets: EncryptedFileSecretStore;
  private readonly engines = new Map<string, RigEngine>();
  private readonly probes = new Map<string, { probe: RigProbe; at: number }>();
  /** One change at a time: two adds of one name must not both pass the duplicate check. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: RigRegistryOptions) {
    this.file = join(options.dir, 'rigs.json');
    this.secrets = new EncryptedFileSecretStore(join(options.dir, 'rigs-secrets.enc'), options.cipher);
  }

  async stored(): Promise<StoredRig[]> {
    const text = await readFile(this.file, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
    return text === null ? [] : rigsFileSchema.parse(JSON.parse(text)).rigs;
  }

  async list(): Promise<RigView[]> {
    return (await this.stored()).map((rig) => this.view(rig));
  }

  /** Adds a rig given as the contract parsed it (rigAddSchema's output). */
  async add(parsed: RigAddParsed): Promise<RigView> {
    return this.exclusive(async () => {
      const rigs = await this.stored();
      if (rigs.some((r) => r.name === parsed.name)) throw new ConsoleError('RIG_EXISTS', `A rig named ${parsed.name} exists already: pick another name, or remove that one first.`, 409, [{ path: 'name', message: 'taken' }]);
      const url = rigUrlOf(parsed.url);
      const same = rigs.find((r) => rigUrlOf(r.endpoint) === url);
      if (same) throw new ConsoleError('RIG_EXISTS', `${url} is rig ${same.name} already.`, 409, [{ path: 'url', message: `already rig ${same.name}` }]);
      const rig: StoredRig = {
        name: parsed.name,
        endpoint: parsed.url,
        address: parsed.address ?? parsed.url.host,
        gpus: parsed.gpus,
        sysfs: parsed.sysfs,
        auth: parsed.tls ? 'tls' : parsed.privateKey ? 'key' : 'agent',
        hostKey: parsed.hostKey ?? null,
      };
      const secrets: RigSecrets = { privateKey: parsed.privateKey, passphrase: parsed.passphrase, tls: parsed.tls };
      const engine = openRigEngine(rig, secrets, { ...this.options.connect, onHostKey: (key) => (rig.hostKey ??= key) });
      try {
        const probe = await probeRig(engine, rig, { ports: this.options.workerPorts, sysfs: rig.sysfs });
        if (!probe.ok) throw new ConsoleError(`RIG_${probe.failure.toUpperCase().replace(/-/g, '_')}`, `Rig ${rig.name} was not added: ${probe.message}`, 422, [{ path: 'url', message: probe.message }]);
        await this.writeSecrets(rig.name, secrets);
        await this.write([...rigs, rig]);
        this.probes.set(rig.name, { probe: { ...probe, hostKey: rig.hostKey }, at: Date.now() });
        return this.view(rig);
      } finally {
        engine.close();
      }
    });
  }

  async remove(name: string): Promise<void> {
    return this.exclusive(async () => {
      const rigs = await this.stored();
      if (!rigs.some((r) => r.name === name)) throw unknownRig(name);
      await this.write(rigs.filter((r) => r.name !== name));
      const all = await this.secrets.read();
      await this.secrets.write(Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith(`${name}:`))));
      this.engines.get(name)?.close();
      this.engines.delete(name);
      this.probes.delete(name);
    });
  }

  /** Tests a stored rig against its pinned host key; never throws for an unreachable rig. */
  async test(name: string): Promise<RigProbe> {
    const rig = await this.get(name);
    const probe = await probeRig(await this.engine(name), rig, { ports: this.options.workerPorts, sysfs: rig.sysfs });
    this.probes.set(name, { probe, at: Date.now() });
    return probe;
  }

  async get(name: string): Promise<StoredRig> {
    const rig = (await this.stored()).find((r) => r.name === name);
    if (!rig) throw unknownRig(name);
    return rig;
  }

  /** The rig's engine over a kept connection, opened on first use. */
  async engine(name: string): Promise<RigEngine> {
    const open = this.engines.get(name);
    if (open) return open;
    const rig = await this.get(name);
    const engine = openRigEngine(rig, await this.readSecrets(name), this.options.connect);
    this.engines.set(name, engine);
    return engine;
  }

  /** A secret of a rig's own (its API key, its TLS certificate), made and stored the first time it is asked for. */
  async rigSecret(name: string, key: string, make: (current: string | null) => Promise<string | null>): Promise<string> {
    return this.exclusive(async () => {
      const all = await this.secrets.read();
      const id = `${name}:${key}`;
      const current = all[id] ?? null;
      const fresh = await make(current);
      if (fresh === null && current !== null) return current;
      if (fresh === null) throw new Error(`no ${key} for rig ${name}`);
      await this.secrets.write({ ...all, [id]: fresh });
      return fresh;
    });
  }

  close(): void {
    for (const e of this.engines.values()) e.close();
    this.engines.clear();
  }

  private view(rig: StoredRig): RigView {
    const { endpoint, ...rest } = rig;
    const last = this.probes.get(rig.name);
    return { ...rest, url: rigUrlOf(endpoint), local: rig.name === LOCAL_RIG_NAME, probe: last?.probe ?? null, checkedAt: last?.at ?? null };
  }

  private async write(rigs: StoredRig[]): Promise<void> {
    await writeAtomic(this.file, `${JSON.stringify({ rigs }, null, 2)}\n`);
  }

  private async writeSecrets(name: string, secrets: RigSecrets): Promise<void> {
    const all = await this.secrets.read();
    await this.secrets.write({ ...all, [`${name}:secrets`]: JSON.stringify(secrets) });
  }

  private async readSecrets(name: string): Promise<RigSecrets> {
    const raw = (await this.secrets.read())[`${name}:secrets`];
    return raw ? (JSON.parse(raw) as RigSecrets) : {};
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

const unknownRig = (name: string) =>
  name === LOCAL_RIG_NAME
    ? new ConsoleError('RIG_LOCAL', 'The local rig is this machine: its workers start and stop with the stack (Start and Stop, rx580-ops up and down), or one at a time from their cards on the Overview (rx580-ops rig stop local <worker>).', 400)
    : new ConsoleError('RIG_UNKNOWN', `No rig is named ${name}.`, 404);
