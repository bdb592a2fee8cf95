import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli/cli';
import { findElectronBinary } from './desktop/electron-binary';

/**
 * `npm start`: the desktop app where an Electron binary exists, otherwise the web mode in the
 * browser, saying why.
 */
const binary = findElectronBinary();
if (binary.found) {
  const appDir = fileURLToPath(new URL('..', import.meta.url));
  const child = spawn(binary.path, [appDir, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stderr.write(`Desktop app unavailable: ${binary.reason}.\nStarting the web mode instead.\n\n`);
  void runCli([process.argv[0]!, 'rx580-ops', 'serve', ...process.argv.slice(2)]);
}
