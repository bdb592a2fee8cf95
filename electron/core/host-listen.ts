import { LOOPBACK, type ListenPlan } from '../../inference/listen-addresses';
import { connectDocker } from '../../stack/engine/docker-engine';
import { hostGatewayAddress } from '../../stack/engine/host-gateway';

/**
 * Where an inference service on the host listens: 127.0.0.1 and the engine's host-gateway address,
 * so Prometheus in a container can scrape `host.docker.internal`; never every interface. Without
 * an engine (or a default bridge) it is loopback alone, and the note says what that costs.
 */
export async function hostListenPlan(env: NodeJS.ProcessEnv = process.env): Promise<ListenPlan> {
  // A wedged engine must not hold the service up: give it a few seconds.
  const timeout = new Promise<null>((resolve) => setTimeout(resolve, 3000, null).unref());
  const gateway = await Promise.race([hostGatewayAddress(connectDocker(env)).catch(() => null), timeout]);
  if (!gateway) {
    return { addresses: [LOOPBACK], note: 'Docker is unreachable or has no default bridge, so only 127.0.0.1 is served: Prometheus in a container cannot scrape this service until it restarts with Docker running' };
  }
  return { addresses: gateway === LOOPBACK ? [LOOPBACK] : [LOOPBACK, gateway], note: null };
}
