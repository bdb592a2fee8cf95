import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_TMP_ENV } from './test-tmp-setup';

const run = promisify(execFile);

/** A value as Alertmanager's matcher syntax quotes it: `\`, `"` and line feeds escaped. */
export const quoteMatcherValue = (value: string) => `"${value.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n')}"`;

/**
 * Debian's amtool (the same parser and router as Alertmanager 0.25) on config files written to a
 * temporary folder of this test run. Without amtool the tests fail, saying how to install it.
 */
export class Amtool {
  private constructor(private readonly dir: string) {}

  static async start(): Promise<Amtool> {
    await run('amtool', ['--version']).catch(() => {
      throw new Error('amtool is not installed: run `bash scripts/setup-system.sh` (it installs prometheus-alertmanager, as CI does).');
    });
    return new Amtool(await mkdtemp(join(process.env[TEST_TMP_ENV] ?? tmpdir(), 'amtool-')));
  }

  /** Writes a config and answers its path. */
  async write(yaml: string): Promise<string> {
    const file = join(this.dir, `am-${Math.random().toString(36).slice(2)}.yml`);
    await writeFile(file, yaml);
    return file;
  }

  /** `amtool check-config` on a config: its report, or an error with the report and the config. */
  async check(yaml: string): Promise<string> {
    const file = await this.write(yaml);
    const { stdout } = await run('amtool', ['check-config', file]).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`amtool refused:\n${err.stdout ?? ''}${err.stderr ?? ''}\n${yaml}`);
    });
    return stdout;
  }

  /** `amtool config routes test`: the receivers the labels reach, in the order it prints them. */
  async routes(file: string, labels: Record<string, string>): Promise<string[]> {
    const args = ['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${quoteMatcherValue(v)}`)];
    const { stdout } = await run('amtool', args).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`amtool ${args.join(' ')} failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    });
    return stdout.trim().split(',');
  }

  close(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}
