import { utilityProcess } from 'electron';
import type { Spawner } from '../process/spawner';

/**
 * The desktop app's spawner: Electron's utilityProcess (a Node.js process that Electron manages).
 * Its exit event carries only a code: process.exit(n) gives n, a death by signal some non-zero
 * code, so the supervisor logs the code as it comes.
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
      child.once('exit', (code) => listener(code, null));
    },
  };
};
