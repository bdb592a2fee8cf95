import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the console's package.json, found by walking up from this module: the same
 * answer from the sources (tests), from dist/ bundles and from inside a packaged app's asar.
 */
export function appRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'rx580-ops') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No rx580-ops package.json above ${from}`);
    dir = parent;
  }
}
