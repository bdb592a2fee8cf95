// Runs @doyensec/electronegativity over the desktop app's sources (main process, preload and the
// renderer's page) and fails on any HIGH-severity finding; every finding is printed. Its CLI does
// not start with this project's commander version, so its runner is called directly.
// AvailableSecurityFixesGlobalCheck is left out: it downloads Electron's release list, and CI has
// no network; the pinned Electron version is kept current by dependency updates instead.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity/dist/runner.js');
const root = new URL('..', import.meta.url).pathname;
const electronVersion = JSON.parse(await readFile(require.resolve('electron/package.json'), 'utf8')).version;

// A copy with only what ships to the desktop app (no tests, no build output twice).
const scan = await mkdtemp(join(tmpdir(), 'rx580-electronegativity-'));
const skipTests = (src) => !/\.test\.tsx?$|\/testing(\/|$)/.test(src);
await cp(join(root, 'electron'), join(scan, 'electron'), { recursive: true, filter: skipTests });
await cp(join(root, 'renderer', 'src'), join(scan, 'renderer', 'src'), { recursive: true, filter: skipTests });
await cp(join(root, 'renderer', 'index.html'), join(scan, 'renderer', 'index.html'));
await cp(join(root, 'package.json'), join(scan, 'package.json'));

// Its translations loader and progress output are chatty; keep the report readable.
const log = console.log;
console.log = () => undefined;
let result;
try {
  result = await run({
    input: scan,
    isRelative: true,
    customScan: [],
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  });
} finally {
  console.log = log;
  await rm(scan, { recursive: true, force: true });
}

const { issues, errors } = result;
const high = issues.filter((i) => i.severity.name === 'HIGH');
console.log(`electronegativity: ${result.globalChecks + result.atomicChecks} checks on Electron ${electronVersion}, ${issues.length} finding(s), ${high.length} high`);
for (const i of issues) {
  console.log(`  ${i.severity.name.padEnd(13)} ${i.confidence.name.padEnd(9)} ${i.id.padEnd(32)} ${i.file}:${i.location.line}${i.manualReview ? ' (review)' : ''}`);
}
const parseErrors = errors.filter((e) => !e.tolerable);
for (const e of parseErrors) console.log(`  could not parse ${e.file}: ${e.message}`);
if (high.length > 0 || parseErrors.length > 0) {
  console.error(`electronegativity: failing: ${high.length} high-severity finding(s), ${parseErrors.length} file(s) not parsed`);
  process.exit(1);
}
