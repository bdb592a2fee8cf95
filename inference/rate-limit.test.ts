import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

/** A clock the test moves by hand: no sleeping, no timing flakes. */
function clock() {
  let ms = 1_000;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

describe('rate limiter', () => {
  it('lets a burst through, then one request per 1/rate seconds, and says how long to wait', () => {
    const c = clock();
    const limiter = new RateLimiter(2, 3, c.now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    // Empty: the next token is back in half a second, said as a whole second.
    expect(limiter.take('a')).toBe(1);
    c.advance(499);
    expect(limiter.take('a')).toBe(1);
    c.advance(1);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
  });

  it('says the whole seconds until a token at a slow rate', () => {
    const c = clock();
    const limiter = new RateLimiter(0.1, 1, c.now);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(10);
    c.advance(2_500);
    expect(limiter.take('a')).toBe(8);
    c.advance(7_500);
    expect(limiter.take('a')).toBe(0);
  });

  it('refills no higher than the burst after a long pause', () => {
    const c = clock();
    const limiter = new RateLimiter(10, 2, c.now);
    limiter.take('a');
    c.advance(60_000);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 1]);
  });

  it('keeps one bucket per caller: one caller\'s burst does not limit another', () => {
    const c = clock();
    const limiter = new RateLimiter(1, 1, c.now);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
  });

  it('forgets idle callers once it tracks many, keeping those still waiting', () => {
    const c = clock();
    const limiter = new RateLimiter(1, 1, c.now);
    for (let i = 0; i < 9_999; i++) limiter.take(`idle-${i}`);
    c.advance(1_000);
    limiter.take('busy');
    expect(limiter.size).toBe(10_000);
    // The idle ones have refilled to the brim; 'busy' has just spent its token.
    limiter.take('newcomer');
    expect(limiter.size).toBe(2);
    expect(limiter.take('busy')).toBe(1);
  });

  it('refuses a rate of 0 or a burst below 1', () => {
    expect(() => new RateLimiter(0, 1)).toThrow(/rate above 0/);
    expect(() => new RateLimiter(1, 0)).toThrow(/burst of at least 1/);
  });
});
