import { z } from 'zod';

/** Shapes of what the stack reports; the API contract re-uses them rather than redefining them. */

export const serviceNameSchema = z.enum(['prometheus', 'alertmanager', 'grafana']);

/** How each service is named to the user. */
export const SERVICE_TITLES: Record<z.infer<typeof serviceNameSchema>, string> = {
  prometheus: 'Prometheus',
  alertmanager: 'Alertmanager',
  grafana: 'Grafana',
};

/** Docker's container states, plus `missing` for a container that does not exist. */
export const containerStateSchema = z.enum(['missing', 'created', 'running', 'restarting', 'paused', 'exited', 'removing', 'dead']);

/** `starting` while the container runs but the service does not answer its readiness probe yet. */
export const serviceHealthSchema = z.enum(['healthy', 'starting', 'unhealthy', 'none']);

export const serviceStatusSchema = z.object({
  name: serviceNameSchema,
  enabled: z.boolean(),
  image: z.string(),
  port: z.number().int(),
  url: z.string(),
  state: containerStateSchema,
  health: serviceHealthSchema,
  containerId: z.string().nullable(),
  startedAt: z.string().nullable(),
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
  service: serviceNameSchema.nullable(),
  step: z.enum(['network', 'config', 'pull', 'create', 'start', 'wait-ready', 'ready', 'stop', 'remove', 'done']),
  message: z.string(),
  /** Bytes done and total for image pulls; null where the step has no measurable size. */
  current: z.number().nullable(),
  total: z.number().nullable(),
});

export type ServiceName = z.infer<typeof serviceNameSchema>;
export type ContainerState = z.infer<typeof containerStateSchema>;
export type ServiceHealth = z.infer<typeof serviceHealthSchema>;
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;
export type EngineStatus = z.infer<typeof engineStatusSchema>;
export type StackStatus = z.infer<typeof stackStatusSchema>;
export type StackProgress = z.infer<typeof stackProgressSchema>;
