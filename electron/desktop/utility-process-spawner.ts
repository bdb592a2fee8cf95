import { utilityProcess } from 'electron';
import { constants } from 'node:os';
import type { Spawner } from '../process/spawner';

const SIGNAL_NAMES = Object.fromEntries(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/**
 * The desktop app's spawner: Electron's utilityProcess (a Node process Electron manages, no
 * Electron binary needed as a Node runtime). It reports only an exit code; a POSIX death by
 * signal N shows as 128+N from Chromium's process host, named back here.
 */
export const utilityProcessSpawner: Spawner = ({ script, args, env, name }) => {
  const child = utilityProcess.fork(script, args, { env, stdio: 'pipe', serviceName: name });
  return {
    get pid() {
      return child.pid;
    },
    stdout: child.stdout,
    stderr: child.stderr,
    kill: () => {
      child.kill();
    },
    onExit: (listener) => {
      child.once('exit', (code) => {
        const signal = process.platform !== 'win32' && code > 128 ? SIGNAL_NAMES[code - 128] : undefined;
        listener(signal ? null : code, signal ?? null);
      });
    },
  };
};
