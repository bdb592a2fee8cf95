import { describe, expect, it } from 'vitest';
import { findKnee, KNEE_TOLERANCE } from './knee';
import { step } from './testing/loadtest-fixtures';

describe('knee detection', () => {
  it('finds none while throughput grows with the load at steady latency', () => {
    expect(findKnee([step(0, 1, 100, 2), step(1, 2, 198, 2.1), step(2, 4, 390, 2.2)])).toBeNull();
  });

  it('is the last step before p95 grows faster than throughput', () => {
    // 4 -> 8 connections: throughput +10%, p95 doubles: saturated after step 1.
    expect(findKnee([step(0, 1, 100, 2), step(1, 4, 380, 2.4), step(2, 8, 420, 4.8), step(3, 16, 425, 9.6)])).toBe(1);
  });

  it('leaves growth within the tolerance to noise', () => {
    const within = 1.1 * (1 + KNEE_TOLERANCE) - 0.01;
    expect(findKnee([step(0, 1, 100, 2), step(1, 2, 110, 2 * within)])).toBeNull();
    expect(findKnee([step(0, 1, 100, 2), step(1, 2, 110, 2 * within + 0.05)])).toBe(0);
  });

  it('counts a step with no successful answer after one with some as past the knee', () => {
    expect(findKnee([step(0, 1, 100, 2), step(1, 2, 190, 2.1), step(2, 4, 0, null)])).toBe(1);
  });

  it('takes the steps by load, whatever order they ran in, and leaves out a cut-short step', () => {
    expect(findKnee([step(0, 16, 425, 9.6), step(1, 1, 100, 2), step(2, 8, 420, 4.8), step(3, 4, 380, 2.4)])).toBe(3);
    expect(findKnee([step(0, 1, 100, 2), step(1, 4, 380, 2.4), step(2, 8, 150, 20, true)])).toBeNull();
  });

  it('needs two steps', () => {
    expect(findKnee([])).toBeNull();
    expect(findKnee([step(0, 1, 100, 2)])).toBeNull();
  });
});
