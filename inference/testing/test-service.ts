import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoModelsDir } from '../models-dir';
import { startInferenceService, type InferenceServiceOptions, type RunningInferenceService } from '../service';

export interface TestService extends RunningInferenceService {
  /** A temporary copy of the demo models, for tests to add corrupt files and symlinks to. */
  modelsDir: string;
  stop(): Promise<void>;
}

/** The real service on 127.0.0.1 and a free port, over a temporary copy of the demo models. */
export async function startTestService(overrides: Partial<InferenceServiceOptions> = {}): Promise<TestService> {
  const modelsDir = overrides.modelsDir ?? (await mkdtemp(join(tmpdir(), 'rx580-inference-')));
  if (!overrides.modelsDir) await cp(demoModelsDir(), modelsDir, { recursive: true });
  const service = await startInferenceService({
    port: 0,
    modelsDir,
    providers: ['cpu'],
    maxConcurrent: 64,
    bodyLimit: 4 * 2 ** 20,
    listen: ['127.0.0.1'],
    log: () => {},
    ...overrides,
  });
  return {
    ...service,
    modelsDir,
    async stop() {
      await service.close();
      if (!overrides.modelsDir) await rm(modelsDir, { recursive: true, force: true });
    },
  };
}

export async function call(service: { url: string }, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof Uint8Array) init.body = body as NonNullable<RequestInit['body']>;
    else {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
  }
  const res = await fetch(service.url + path, init);
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json, text };
}
