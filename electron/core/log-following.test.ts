import { describe, expect, it } from 'vitest';
import type { LogLinesEvent } from '../api/logs-contract';
import { LogFollowers, type LogSource } from './log-following';

/** A log source fed by the test itself: it counts open streams and writes lines on demand. */
function scriptedSource(id: string) {
  let write: ((lines: string[]) => void) | null = null;
  let end: (() => void) | null = null;
  const state = { open: 0, opened: 0 };
  const source: LogSource = {
    id,
    title: id,
    tail: async (n) => Array.from({ length: n }, (_, i) => `line ${i}`),
    follow: async (onLines, onEnd) => {
      state.open++;
      state.opened++;
      write = onLines;
      end = onEnd;
      return () => {
        state.open--;
      };
    },
  };
  return { source, state, write: (lines: string[]) => write?.(lines), end: () => end?.() };
}

const settle = (ms = 250) => new Promise((r) => setTimeout(r, ms));

describe('LogFollowers', () => {
  it('shares one stream per source, batches lines, and stops it when the last follower leaves', async () => {
    const a = scriptedSource('a');
    const events: LogLinesEvent[] = [];
    const followers = new LogFollowers([a.source], (e) => events.push(e));
    const f1 = await followers.follow('a');
    const f2 = await followers.follow('a');
    expect(a.state).toEqual({ open: 1, opened: 1 });
    a.write(['one']);
    a.write(['two', 'three']);
    await settle();
    expect(events).toEqual([{ source: 'a', lines: ['one', 'two', 'three'], ended: false }]);
    expect(followers.unfollow(f1)).toBe(true);
    expect(a.state.open).toBe(1);
    expect(followers.unfollow(f2)).toBe(true);
    await settle(0);
    expect(a.state.open).toBe(0);
    expect(followers.unfollow(f2)).toBe(false);
  });

  it('reports the end of a stream once, and follows anew afterwards', async () => {
    const a = scriptedSource('a');
    const events: LogLinesEvent[] = [];
    const followers = new LogFollowers([a.source], (e) => events.push(e));
    const f = await followers.follow('a');
    a.write(['last words']);
    a.end();
    expect(events).toEqual([{ source: 'a', lines: ['last words'], ended: true }]);
    expect(followers.unfollow(f)).toBe(false);
    await followers.follow('a');
    expect(a.state.opened).toBe(2);
  });

  it('stops every stream at once, and names an unknown source', async () => {
    const a = scriptedSource('a');
    const b = scriptedSource('b');
    const followers = new LogFollowers([a.source, b.source], () => undefined);
    await followers.follow('a');
    await followers.follow('b');
    followers.stopAll();
    await settle(0);
    expect([a.state.open, b.state.open]).toEqual([0, 0]);
    await expect(followers.follow('c')).rejects.toMatchObject({ code: 'LOG_SOURCE_UNKNOWN', status: 404 });
  });
});
