/** Time ranges the pickers offer, in seconds: 5 minutes to 24 hours. */
export const TIME_RANGES = [
  { label: '5 m', seconds: 5 * 60 },
  { label: '15 m', seconds: 15 * 60 },
  { label: '1 h', seconds: 3600 },
  { label: '3 h', seconds: 3 * 3600 },
  { label: '6 h', seconds: 6 * 3600 },
  { label: '12 h', seconds: 12 * 3600 },
  { label: '24 h', seconds: 24 * 3600 },
] as const;

/** Steps a person reads easily; the picker takes the smallest that fits. */
const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** Prometheus refuses more points than this per series. */
const PROMETHEUS_MAX_POINTS = 11_000;

/**
 * The query step for a range drawn `widthPx` wide: no series gets more points than the chart
 * has pixels (a range query returns range/step + 1 points), nor more than Prometheus allows,
 * and never finer than `minStep` (the scrape interval: finer steps only repeat samples).
 */
export function pickStep(rangeSeconds: number, widthPx: number, minStep = 1): number {
  if (!(rangeSeconds > 0)) throw new RangeError('the range must be positive');
  const maxPoints = Math.min(Math.max(2, Math.floor(widthPx)), PROMETHEUS_MAX_POINTS);
  const smallest = Math.max(minStep, rangeSeconds / (maxPoints - 1));
  return NICE_STEPS.find((s) => s >= smallest) ?? Math.ceil(smallest);
}

/** How many points a range query returns for this range and step. */
export function pointCount(rangeSeconds: number, step: number): number {
  return Math.floor(rangeSeconds / step) + 1;
}
