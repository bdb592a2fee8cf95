import { utilityProcess } from 'electron';
import { childHandle, type Spawner } from '../process/spawner';

/**
 * The desktop app's spawner: Electron's utilityProcess (a Node.js process that Electron manages).
 * Its exit event carries only a code: process.exit(n) gives n, a death by signal some non-zero
 * code, so the supervisor logs the code as it comes.
 */
export const utilityProcessSpawner: Spawner = ({ script, args, env, name }) => {
  const child = utilityProcess.fork(script, args, { env, stdio: 'pipe', serviceName: name });
  return childHandle(
    child,
    () => void child.kill(),
    (listener) => void child.once('exit', (code) => listener(code, null)),
  );
};
