import { existsSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InferenceError } from './inference-errors';

/**
 * The demo models that ship with the console: assets/models beside the sources or the bundle
 * (inference/models-dir.ts and dist/inference.js both reach ../assets/models), or the packaged
 * app's resources/models (electron-builder's extraResources).
 */
export function demoModelsDir(): string {
  const beside = fileURLToPath(new URL('../assets/models', import.meta.url));
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const packaged = resources ? join(resources, 'models') : null;
  return !existsSync(beside) && packaged && existsSync(packaged) ? packaged : beside;
}

/** The files of the shipped demo models (scripts/build-demo-models.ts writes them). */
export const DEMO_MODEL_FILES = ['digits.onnx', 'latency-convnet.onnx'];

export function resolveModelsDir(setting: string): string {
  return setting.trim() === '' ? demoModelsDir() : resolve(setting);
}

export interface AvailableModel {
  name: string;
  path: string;
  size_bytes: number;
  has_sidecar: boolean;
}

/** The `.onnx` files of the models directory (not recursive), each with its model name. */
export async function listAvailableModels(modelsDir: string): Promise<AvailableModel[]> {
  const entries = await readdir(modelsDir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    throw new InferenceError('MODELS_DIR_UNREADABLE', `The models directory ${modelsDir} cannot be read (${err.code ?? err.message}).`, 500);
  });
  const names = new Set(entries.map((e) => e.name));
  const models: AvailableModel[] = [];
  for (const e of entries) {
    if (!e.name.toLowerCase().endsWith('.onnx')) continue;
    const file = await resolveModelFile(modelsDir, e.name).catch(() => null);
    if (!file) continue;
    const size = (await stat(file)).size;
    models.push({ name: modelNameOf(e.name), path: e.name, size_bytes: size, has_sidecar: names.has(e.name.replace(/\.onnx$/i, '.json')) });
  }
  return models.sort((a, b) => a.name.localeCompare(b.name));
}

export function modelNameOf(file: string): string {
  return basename(file, extname(file));
}

/**
 * Resolves a requested model path to a real file inside the models directory. Relative paths
 * are taken from the directory; an absolute path is accepted only if it lies inside it. `..`
 * escapes and symlinks that point out of it are refused, so a request can never make the
 * service open an arbitrary file on the host.
 */
export async function resolveModelFile(modelsDir: string, requested: string): Promise<string> {
  if (requested.includes('\0')) throw new InferenceError('INVALID_MODEL_PATH', 'The model path contains a NUL character.', 400);
  if (!requested.toLowerCase().endsWith('.onnx')) {
    throw new InferenceError('INVALID_MODEL_PATH', `"${requested}" is not an .onnx file.`, 400);
  }
  const root = await realpath(modelsDir).catch(() => {
    throw new InferenceError('MODELS_DIR_UNREADABLE', `The models directory ${modelsDir} does not exist.`, 500);
  });
  const lexicalRoot = resolve(modelsDir);
  const candidate = resolve(lexicalRoot, requested);
  if (!isInside(lexicalRoot, candidate) && !isInside(root, candidate)) {
    throw new InferenceError('MODEL_PATH_OUTSIDE', `"${requested}" is outside the models directory; only models in ${modelsDir} can be loaded.`, 403);
  }
  const real = await realpath(candidate).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new InferenceError('MODEL_FILE_NOT_FOUND', `There is no model file "${requested}" in the models directory.`, 404);
    throw new InferenceError('MODEL_FILE_UNREADABLE', `The model file "${requested}" cannot be read (${err.code ?? err.message}).`, 400);
  });
  if (!isInside(root, real)) throw new InferenceError('MODEL_PATH_OUTSIDE', `"${requested}" resolves outside the models directory (a symlink out); refused.`, 403);
  const info = await stat(real);
  if (!info.isFile()) throw new InferenceError('INVALID_MODEL_PATH', `"${requested}" is not a file.`, 400);
  return real;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !isAbsolute(rel) && rel.split(sep)[0] !== '..';
}
