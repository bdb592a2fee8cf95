import { randomUUID } from 'node:crypto';
import type { ServiceName } from './settings';
import type { StackManager } from './stack-manager';

/** Live log streams opened through the API, by id, so a client can stop the one it opened. */
export class LogFollows {
  private readonly follows = new Map<string, () => void>();

  constructor(private readonly stack: StackManager) {}

  async start(service: ServiceName, tail: number, onLine: (followId: string, line: string) => void): Promise<string> {
    const id = randomUUID();
    this.follows.set(id, await this.stack.followLogs(service, (line) => onLine(id, line), tail));
    return id;
  }

  stop(id: string): boolean {
    const stop = this.follows.get(id);
    this.follows.delete(id);
    stop?.();
    return Boolean(stop);
  }

  stopAll(): void {
    for (const id of [...this.follows.keys()]) this.stop(id);
  }
}
