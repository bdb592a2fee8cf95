import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

/**
 * Finds the Electron binary without triggering the `electron` package's download-on-first-use
 * (requiring the package would try to fetch it, which fails offline).
 */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { found: false, reason: 'the electron package is not installed (run npm ci)' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const path = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, executable) : join(pkgDir, 'dist', executable);
  if (existsSync(path)) return { found: true, path };
  return {
    found: false,
    reason: `no Electron binary at ${path}: the electron package downloads it on first use, which needs access to Electron's release downloads (or set ELECTRON_OVERRIDE_DIST_PATH)`,
  };
}
