import type Docker from 'dockerode';
import type { WorkerGpu } from '../gpu/worker-gpu';
import type { ServiceName } from '../../electron/api/schemas/stack-status';

/** What the stack runs, as data: stack-spec.ts and inference-spec.ts build it, the engine code runs it. */

/** Where a service finds its secret files (its secrets volume, mounted read-only). */
export const SECRETS_TARGET = '/run/secrets/rx580-ops';

/** The name a worker goes by in labels, targets and commands: its card or CPU slot, `cpu` for a single CPU worker (no `worker`). */
export const workerName = (worker: string | null | undefined): string => worker ?? 'cpu';

export interface ServiceSpec {
  /** Unique in the stack; the status, progress and log source of this container go by it. */
  id: string;
  service: ServiceName;
  /** The inference worker's GPU card or CPU slot; null for the monitoring services. */
  worker: string | null;
  containerName: string;
  /** The image to run; for a locally built inference image, the tag the build resolves. */
  image: string;
  /** Built on this machine from inference/Dockerfile instead of pulled. */
  build: boolean;
  /** The port published on 127.0.0.1; null for a service reached only over the stack network. */
  hostPort: number | null;
  containerPort: number;
  /** Host directory with the rendered config, bind-mounted read-only (a directory, not a file,
   *  so an atomic rename of the file is seen by the container). */
  configDir: string | null;
  configTarget: string | null;
  /** When the stack runs on a rig: the volume the config directory is carried into (no host path
   *  of this machine exists there), mounted read-only at configTarget instead of the directory. */
  configVolume: string | null;
  volumeName: string | null;
  dataTarget: string | null;
  cmd: string[];
  readyPath: string;
  user: string;
  env: string[];
  /** Volume holding this service's secrets (files only its user can read), mounted read-only. */
  secretsVolume: string | null;
  /** Docker's healthcheck command, run inside the container. */
  healthcheck: string[];
  /** More read-only bind mounts: a models directory, a card's sysfs (whose PCI paths hold colons, which `Binds` cannot). */
  mounts: Docker.MountSettings[];
  /** The one GPU this worker may open; null for everything else. */
  gpu: WorkerGpu | null;
}

export interface StackSpec {
  project: string;
  networkName: string;
  /** Enabled services in start order: a service comes after those it talks to. */
  services: ServiceSpec[];
}
