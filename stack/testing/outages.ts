import type Docker from 'dockerode';

/** What a test saw of one outage, in Unix seconds. */
export interface Outage {
  stopAsked: number;
  stopped: number;
  /** Prometheus's own activeAt of the alert: with `for` 0 s, the evaluation that made it fire. */
  activeAt: number;
  /** The resolving evaluation lies between these: after the last poll that saw it firing began, before the first that did not ended. */
  lastSeenFiring: number;
  firstSeenResolved: number;
}

export const nowSeconds = () => Date.now() / 1000;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops a container from outside until the alert fires, holds it stopped, starts it and waits
 * until the alert resolves, noting each moment on the wall clock. `firing` answers the alert as
 * Prometheus has it, while it fires.
 */
export async function outage(container: Docker.Container, firing: () => Promise<{ activeAt?: string | null } | undefined>, holdMs: number): Promise<Outage> {
  const stopAsked = nowSeconds();
  await container.stop({ t: 1 });
  const stopped = nowSeconds();
  let alert: { activeAt?: string | null } | undefined;
  for (const deadline = Date.now() + 15_000; !(alert = await firing()); await sleep(200)) {
    if (Date.now() > deadline) throw new Error('the alert did not fire within 15 s of the container stopping');
  }
  const activeAt = Date.parse(alert.activeAt ?? '') / 1000;
  await sleep(holdMs);
  await container.start();
  let lastSeenFiring = nowSeconds();
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(200)) {
    const asked = nowSeconds();
    if (await firing()) lastSeenFiring = asked;
    else return { stopAsked, stopped, activeAt, lastSeenFiring, firstSeenResolved: nowSeconds() };
  }
  throw new Error('the alert did not resolve within 30 s of the container starting');
}
