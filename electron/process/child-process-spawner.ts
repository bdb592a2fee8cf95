import { spawn } from 'node:child_process';
import { childHandle, type Spawner } from './spawner';

/** The web mode's spawner: the script runs under this same Node.js binary. */
export const childProcessSpawner: Spawner = ({ script, args, env }) => {
  const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let exited = false;
  return childHandle(
    child,
    () => child.kill('SIGTERM'),
    (listener) => {
      const done = (code: number | null, signal: string | null) => {
        if (exited) return;
        exited = true;
        listener(code, signal);
      };
      child.once('exit', done);
      // A spawn failure (say, ENOENT) ends the process before it began: reported as an exit.
      child.once('error', () => done(null, null));
    },
  );
};
