import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type * as ort from 'onnxruntime-node';
import { ProviderSelector } from '../execution-providers';

export interface HostService {
  port: number;
  stop(): void;
}

/**
 * The service as its own process from the build the console supervises (dist/inference.js),
 * on loopback, cpu only, with no admission limit the bench could hit; `env` sets its
 * RX580_OPS_INFERENCE_* settings.
 */
export async function startHostService(options: { load: string[]; modelsDir?: string; env?: Record<string, string> }): Promise<HostService> {
  const args = ['dist/inference.js', '--port', '0', '--listen', '127.0.0.1', '--providers', 'cpu', '--max-concurrent', '256', '--load', options.load.join(',')];
  if (options.modelsDir) args.push('--models-dir', options.modelsDir);
  const child = spawn(process.execPath, args, {
    env: { ...process.env, RX580_OPS_SETTINGS: '/nonexistent/rx580-settings.json', ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`service exited (${code}): ${out}`)));
  });
  return { port, stop: () => child.kill('SIGTERM') };
}

/**
 * A session opened as the service opens its models (ProviderSelector: cpu, optimisation 'all',
 * onnxruntime's threads not spinning between runs), so the in-process side differs from the
 * service only by what HTTP adds.
 */
export async function openLikeTheService(file: string): Promise<ort.InferenceSession> {
  return (await new ProviderSelector(['cpu']).open(await readFile(file), { graphOptimizationLevel: 'all' })).session;
}
