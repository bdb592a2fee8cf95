// Bundles the Node side (CLI, the inference service, Electron main and preload) with esbuild; dependencies stay in
// node_modules. The sandboxed preload must be a single CommonJS file.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({ ...common, entryPoints: { cli: 'electron/cli/cli-main.ts', start: 'electron/start.ts', inference: 'inference/main.ts' }, outdir: 'dist', format: 'esm', packages: 'external' }),
  build({ ...common, entryPoints: { main: 'electron/main.ts' }, outdir: 'dist/electron', format: 'esm', packages: 'external' }),
  build({ ...common, entryPoints: { preload: 'electron/preload.ts' }, outdir: 'dist/electron', outExtension: { '.js': '.cjs' }, format: 'cjs', external: ['electron'] }),
]);
