#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('rx580-ops: the console is not built yet; run `npm run build` in the project folder first.');
  process.exit(1);
}
await import(cli);
