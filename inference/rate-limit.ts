/**
 * Token buckets, one per caller: each holds up to `burst` tokens, refilled at `perSecond`; a
 * request takes one or is told how long until one is back. The clock is injected so tests step
 * time instead of sleeping.
 */

interface Bucket {
  tokens: number;
  /** Clock reading (ms) when `tokens` was last brought up to date. */
  at: number;
}

/** Buckets kept before full (idle) ones are dropped: callers keyed by address are not a closed set. */
const PRUNE_ABOVE = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(perSecond > 0) || !(burst >= 1)) throw new Error(`A rate limit needs a rate above 0 and a burst of at least 1 (got ${perSecond}/s, burst ${burst})`);
    this.perMs = perSecond / 1000;
  }

  /** Takes a token for `caller`: 0 when it may go ahead, else the whole seconds (at least 1) until a token is back. */
  take(caller: string): number {
    const now = this.now();
    let bucket = this.buckets.get(caller);
    if (!bucket) {
      if (this.buckets.size >= PRUNE_ABOVE) this.prune(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(caller, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }

  /** Callers being tracked (tests check the pruning). */
  get size(): number {
    return this.buckets.size;
  }

  /** A bucket refilled to the brim is the same as none. */
  private prune(now: number): void {
    for (const [caller, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.burst) this.buckets.delete(caller);
    }
  }
}
