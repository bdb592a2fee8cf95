import type Docker from 'dockerode';
import type { WorkerGpu } from '../gpu/worker-gpu';
import type { ServiceConfigOptions } from './service-config';
import type { Settings } from '../../electron/api/schemas/settings';
import type { ServiceName, ServiceStatus } from '../../electron/api/schemas/stack-status';

/** What a StackManager is made with (stack-manager.ts), and where its stack runs. */

export interface StackManagerOptions extends Pick<ServiceConfigOptions, 'validateConfig' | 'alertmanagerConfig' | 'rigs' | 'rigSecrets'> {
  settings: Settings;
  docker?: Docker;
  env?: NodeJS.ProcessEnv;
  /** How long `up` waits for every service to answer its readiness probe. */
  readyTimeoutMs?: number;
  /** How often watchers re-probe readiness, which Docker events do not report. */
  pollIntervalMs?: number;
  /** The inference workers' GPUs (stack/gpu/worker-gpu.ts); default: found on this host per inference.gpus. */
  gpus?: WorkerGpu[];
  /** Where inference/Dockerfile and the built service are, for building the inference image. */
  appRoot?: string | null;
  /** Services that run outside Docker (the inference service on the host), listed with the containers. */
  extraServices?: () => Promise<ServiceStatus[]>;
  /** Set when `docker` is a rig's engine (`rigs.monitoring`): how this machine reaches that stack. */
  remote?: RemoteStackHost;
}

/** A rig that runs the stack, as seen from this machine. */
export interface RemoteStackHost {
  /** This machine's engine: images are built or pulled here, then copied to the rig. */
  local: Docker;
  /** The rig's engine as the status names it (`rig a: ssh://ops@10.0.0.2`). */
  endpoint: string;
  /** Makes the rig's published ports answer on this machine's loopback (a tunnel); idempotent. */
  reach(): Promise<void>;
}

/** Which services an operation touches; all of them when absent. */
export type ServiceFilter = readonly ServiceName[] | undefined;
