import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_ENV_PREFIX } from './service-settings';
import { addPairModel, writeModel } from './testing/small-models';

/**
 * The service as the desktop app supervises it: its own process, useful lines on stdout, the
 * demo models loaded at start, a clean exit on SIGTERM, and a refusal to listen on every interface.
 */
function startProcess(args: string[], settings: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'inference/main.ts', ...args], {
    // Only the flags and the test's settings: none of the developer's RX580_OPS_INFERENCE_* settings.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith(SERVICE_ENV_PREFIX))), ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const waitFor = async (pattern: RegExp) => {
    const deadline = Date.now() + 20_000;
    while (!pattern.test(stdout) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return pattern.exec(stdout);
  };
  return { child, waitFor, output: () => ({ stdout, stderr }) };
}

describe('inference service process', () => {
  it('starts with the demo models, answers, and exits 0 on SIGTERM', async () => {
    const p = startProcess(['--port', '0', '--listen', '127.0.0.1', '--providers', 'cpu']);
    try {
      const listening = await p.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      expect(listening, p.output().stderr).not.toBeNull();
      const base = `http://127.0.0.1:${listening![1]}`;
      const health = (await (await fetch(`${base}/health`)).json()) as { status: string; models: { name: string }[] };
      expect(health.status).toBe('healthy');
      expect(health.models.map((m) => m.name).sort()).toEqual(['digits', 'latency-convnet']);
      expect(p.output().stdout).toMatch(/loaded digits \(digits\.onnx\) on cpu/);
      p.child.kill('SIGTERM');
      const [code] = await once(p.child, 'exit');
      expect(code).toBe(0);
      expect(p.output().stdout).toMatch(/SIGTERM received, stopping\ninference: stopped/);
    } finally {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }
  });

  it('with --models-dir loads only what --load names, logs why a load failed, and writes no terminal colours', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rx580-models-'));
    await writeModel(dir, 'add-pair.onnx', addPairModel());
    await writeFile(join(dir, 'corrupt.onnx'), 'not a model');
    const p = startProcess(['--port', '0', '--listen', '127.0.0.1', '--providers', 'cpu', '--models-dir', dir, '--load', 'add-pair.onnx,corrupt.onnx']);
    try {
      const listening = await p.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      expect(listening, p.output().stderr).not.toBeNull();
      const base = `http://127.0.0.1:${listening![1]}`;
      const health = (await (await fetch(`${base}/health`)).json()) as { models: { name: string }[] };
      expect(health.models.map((m) => m.name)).toEqual(['add-pair']);
      // A broadcast failure inside the model: onnxruntime's own logger would write it to stderr in colour.
      const body = JSON.stringify({ model_name: 'add-pair', inputs: { a: [1, 2, 3], b: [1, 2] } });
      const res = await fetch(`${base}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(400);
      p.child.kill('SIGTERM');
      await once(p.child, 'exit');
      const { stdout, stderr } = p.output();
      expect(stdout).toMatch(/^inference: could not load corrupt\.onnx: "corrupt\.onnx" could not be loaded as an ONNX model: .+$/m);
      expect(stdout).not.toMatch(/digits|latency-convnet/);
      expect(stdout + stderr).not.toContain('\x1b');
    } finally {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to listen on every interface', async () => {
    const p = startProcess(['--port', '0', '--listen', '0.0.0.0']);
    const [code] = await once(p.child, 'exit');
    expect(code).toBe(1);
    expect(p.output().stderr).toMatch(/refusing to listen on 0\.0\.0\.0/);
  });

  it('refuses to start when told its API is published beyond loopback and given no API keys', async () => {
    const p = startProcess(['--port', '0', '--in-container'], { [`${SERVICE_ENV_PREFIX}REQUIRE_API_KEY`]: 'true' });
    const [code] = await once(p.child, 'exit');
    expect(code).toBe(1);
    expect(p.output().stderr).toBe(
      'inference: RX580_OPS_INFERENCE_REQUIRE_API_KEY says this API is reachable beyond loopback, but RX580_OPS_INFERENCE_API_KEYS_FILE is empty: refusing to serve it open; give a file of API keys, one per line\n',
    );
    expect(p.output().stdout).toBe('');
  });
});
