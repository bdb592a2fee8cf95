import type { ProcessLogLine } from './process-status';

/** The last `capacity` lines of a process's output: memory stays bounded however long it runs. */
export class LogRing {
  private readonly lines: ProcessLogLine[] = [];
  private seq = 0;

  constructor(private readonly capacity: number) {}

  push(stream: ProcessLogLine['stream'], text: string, now = new Date()): ProcessLogLine {
    const line = { seq: ++this.seq, time: now.toISOString(), stream, text };
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    return line;
  }

  tail(count: number): ProcessLogLine[] {
    return this.lines.slice(-count);
  }
}
