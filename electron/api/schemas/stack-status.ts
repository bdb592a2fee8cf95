import { z } from 'zod';

/** Shapes of what the stack reports; the API contract re-uses them rather than redefining them. */

export const serviceNameSchema = z.enum(['prometheus', 'alertmanager', 'grafana', 'node-exporter', 'inference']);
export const SERVICE_NAMES = serviceNameSchema.options;

/** The monitoring services with a config folder of the console's, each one container. */
export const MONITORING_SERVICES = ['prometheus', 'alertmanager', 'grafana'] as const;
export type MonitoringService = (typeof MONITORING_SERVICES)[number];

/** Where the inference service runs: a container per worker (Linux), or one process on the host. */
export const inferenceRuntimeSchema = z.enum(['container', 'host']);

/** How each service is named to the user. */
export const SERVICE_TITLES: Record<z.infer<typeof serviceNameSchema>, string> = {
  prometheus: 'Prometheus',
  alertmanager: 'Alertmanager',
  grafana: 'Grafana',
  'node-exporter': 'node_exporter',
  inference: 'Inference service',
};

/** Docker's container states, plus `missing` for a container that does not exist. */
/** An inference worker, by its card (card0) or cpu: what a per-worker start or stop names. */
export const workerNameSchema = z.string().min(1, 'name a worker: its card (card0) or cpu').max(64);

export const containerStateSchema = z.enum(['missing', 'created', 'running', 'restarting', 'paused', 'exited', 'removing', 'dead']);

/** `starting` while the container runs but the service does not answer its readiness probe yet. */
export const serviceHealthSchema = z.enum(['healthy', 'starting', 'unhealthy', 'none']);

export const serviceStatusSchema = z.object({
  /** Unique in the stack: the service name, or `inference-<worker>` when it has several workers or a GPU. */
  id: z.string(),
  name: serviceNameSchema,
  /** The inference worker's GPU (`card0`) or CPU slot (`cpu0`); null for the other services and a single CPU worker. */
  worker: z.string().nullable(),
  runtime: inferenceRuntimeSchema,
  enabled: z.boolean(),
  image: z.string(),
  /** The port on 127.0.0.1; null for a service reached only over the stack network. */
  port: z.number().int().nullable(),
  url: z.string().nullable(),
  state: containerStateSchema,
  health: serviceHealthSchema,
  containerId: z.string().nullable(),
  /** The host process of the inference service in host mode. */
  pid: z.number().int().nullable(),
  startedAt: z.string().nullable(),
  /** Restarts by the engine's restart policy since the container was created. */
  restarts: z.number().int(),
});

export const engineStatusSchema = z.object({
  reachable: z.boolean(),
  endpoint: z.string(),
  version: z.string().nullable(),
  message: z.string().nullable(),
});

export const stackStatusSchema = z.object({
  project: z.string(),
  engine: engineStatusSchema,
  services: z.array(serviceStatusSchema),
  operation: z.enum(['idle', 'starting', 'stopping']),
  lastError: z.string().nullable(),
});

export const stackProgressSchema = z.object({
  /** The service's status id (`inference-card0` for a worker); null for the stack as a whole. */
  service: z.string().nullable(),
  step: z.enum(['network', 'config', 'pull', 'build', 'create', 'start', 'wait-ready', 'ready', 'stop', 'remove', 'done']),
  message: z.string(),
  /** Bytes done and total for image pulls, build steps for image builds; null where the step has no measurable size. */
  current: z.number().nullable(),
  total: z.number().nullable(),
});

export type ServiceName = z.infer<typeof serviceNameSchema>;
export type InferenceRuntime = z.infer<typeof inferenceRuntimeSchema>;
export type ContainerState = z.infer<typeof containerStateSchema>;
export type ServiceHealth = z.infer<typeof serviceHealthSchema>;
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;
export type EngineStatus = z.infer<typeof engineStatusSchema>;
export type StackStatus = z.infer<typeof stackStatusSchema>;
export type StackProgress = z.infer<typeof stackProgressSchema>;
