import { describe, expect, it } from 'vitest';
import { RunSlots } from './run-slots';

/** A job that runs until told to finish, noting when it started. */
function job(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { finish, work: async () => { log.push(`start ${name}`); await done; log.push(`end ${name}`); return name; } };
}

describe('run slots', () => {
  it('runs at most `size` at once and the rest in arrival order, a freed slot going to the next in line', async () => {
    const slots = new RunSlots(2);
    const log: string[] = [];
    const jobs = ['a', 'b', 'c', 'd'].map((n) => job(log, n));
    const results = jobs.map((j) => slots.use(j.work));
    await Promise.resolve();
    expect(log).toEqual(['start a', 'start b']);
    expect(slots.load).toEqual({ running: 2, waiting: 2 });
    jobs[1]!.finish();
    await results[1];
    // A newcomer arriving as the slot frees waits behind c and d.
    const late = job(log, 'e');
    const lateResult = slots.use(late.work);
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(['start a', 'start b', 'end b', 'start c']);
    for (const j of [jobs[0]!, jobs[2]!, jobs[3]!, late]) {
      j.finish();
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(await Promise.all([...results, lateResult])).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(log.filter((l) => l.startsWith('start'))).toEqual(['start a', 'start b', 'start c', 'start d', 'start e']);
    expect(slots.load).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot of a run that fails', async () => {
    const slots = new RunSlots(1);
    await expect(slots.use(() => Promise.reject(new Error('bad input')))).rejects.toThrow('bad input');
    expect(await slots.use(async () => 'next')).toBe('next');
    expect(slots.load).toEqual({ running: 0, waiting: 0 });
  });
});
