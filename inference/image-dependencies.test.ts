import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';

/**
 * The container image installs inference/package.json's dependencies and nothing else, so they
 * must be exactly the packages dist/inference.js imports: a new import the image would lack
 * fails here, not in a container at run time.
 */

const json = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);

/** The packages the bundle imports, as scripts/build-node.mjs bundles inference/main.ts. */
async function bundleImports(): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: [new URL('./main.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    outdir: 'dist',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const imports = Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => packageOf(i.path)));
  return [...new Set(imports)].sort();
}

describe('inference image dependencies', () => {
  const manifest = json('./package.json');
  const dependencies = manifest.dependencies as Record<string, string>;

  it('are exactly the packages dist/inference.js imports', async () => {
    expect(Object.keys(dependencies).sort()).toEqual(await bundleImports());
  });

  it('pin the versions the console is tested with (the root package-lock.json)', () => {
    const root = json('../package-lock.json').packages;
    for (const [name, version] of Object.entries(dependencies)) expect(`${name}@${version}`).toBe(`${name}@${root[`node_modules/${name}`]?.version}`);
  });

  it('have a lock file of their own, in step with package.json', () => {
    const lock = json('./package-lock.json');
    expect(lock.packages['']).toMatchObject({ name: manifest.name, dependencies });
    // Only what the image installs: none of the console's own (desktop, renderer, dev) packages.
    for (const foreign of ['electron', 'react', 'vite', 'vitest']) expect(lock.packages).not.toHaveProperty([`node_modules/${foreign}`]);
  });
});
