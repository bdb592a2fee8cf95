import { z } from 'zod';
import { rigAddSchema, rigFleetStatusSchema, rigNameSchema, rigProbeSchema, rigViewSchema } from './schemas/rigs';
import { workerNameSchema } from './schemas/stack-status';

/**
 * The fleet's part of the API contract: the rigs besides this machine (add tests the connection
 * first and stores nothing unless it works; keys go to the secret store and never come back),
 * their workers started and stopped per worker, per rig or on all at once, and each rig's status, read so
 * that an unreachable rig says why without holding up the others.
 */

const rigName = z.string().min(1);

export const rigsMethods = {
  /** `monitoring`: the rig that runs the monitoring stack (`rigs.monitoring`), this machine's `local` by default. */
  'rigs.list': { args: z.tuple([]), result: z.object({ rigs: z.array(rigViewSchema), monitoring: z.string() }) },
  'rigs.add': { args: z.tuple([rigAddSchema]), result: rigViewSchema },
  /** `force`: remove a rig that cannot be reached, its workers left on it (they keep running there). */
  'rigs.remove': {
    args: z.tuple([rigName, z.object({ force: z.boolean() }).optional()]),
    result: z.object({ removed: rigNameSchema, workersLeft: z.boolean() }),
  },
  'rigs.test': { args: z.tuple([rigName]), result: rigProbeSchema },
  'rigs.status': { args: z.tuple([]), result: rigFleetStatusSchema },
  'rigs.up': { args: z.tuple([rigName.optional()]), result: rigFleetStatusSchema },
  'rigs.down': { args: z.tuple([rigName.optional()]), result: rigFleetStatusSchema },
  /** One worker of a rig (by its card, or `cpu`): a stopped one stays on the rig, out of Prometheus's targets, until started. */
  'rigs.workerUp': { args: z.tuple([rigName, workerNameSchema]), result: rigFleetStatusSchema },
  'rigs.workerDown': { args: z.tuple([rigName, workerNameSchema]), result: rigFleetStatusSchema },
} as const;

export const rigsEvents = {} as const;
