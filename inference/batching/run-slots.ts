/**
 * At most `size` session.run calls of one model at once, the rest waiting in arrival order: what
 * Triton's instance count bounds. onnxruntime already spreads one run over every core (its
 * intra-op threads), so more runs side by side only take turns on the same cores, fill libuv's
 * pool (which image decoding needs too) and stretch every run; and while a model is busy, its
 * batcher's queue keeps filling, so the next run takes more rows.
 */
export class RunSlots {
  private busy = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {}

  /** Runs `work` in a slot, after whoever was waiting before. */
  async use<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Runs in progress and runs waiting for a slot. */
  get load(): { running: number; waiting: number } {
    return { running: this.busy, waiting: this.waiting.length };
  }

  private acquire(): Promise<void> {
    if (this.busy < this.size) {
      this.busy++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A freed slot passes straight to the next in line, so a newcomer cannot take it first. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy--;
  }
}
