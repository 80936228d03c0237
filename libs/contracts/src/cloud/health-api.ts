import { z } from 'zod';

/** `GET /healthz` of the cloud: 200 when MySQL and Redis answer, 503 naming what failed. */
export const dependencyHealthSchema = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number().int().min(0),
  /** Why the check failed. */
  error: z.string().optional(),
});
export type DependencyHealth = z.infer<typeof dependencyHealthSchema>;

/** Why the cloud is unavailable: the first of these that applies. */
export const CLOUD_UNAVAILABLE_CODES = ['SHUTTING_DOWN', 'DATABASE_UNAVAILABLE', 'REDIS_UNAVAILABLE'] as const;

export const cloudHealthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  /** Only when unavailable: SHUTTING_DOWN (SIGTERM received), else the dependency that failed. */
  code: z
    .enum(CLOUD_UNAVAILABLE_CODES)
    .optional()
    .meta({ description: 'Only when unavailable: SHUTTING_DOWN (this replica received SIGTERM), DATABASE_UNAVAILABLE or REDIS_UNAVAILABLE' }),
  checks: z.object({
    mysql: dependencyHealthSchema.meta({ description: 'The write path: a connection from the mysql2 pool (within 2 s) and SELECT 1 on it' }),
    mysqlReads: dependencyHealthSchema.meta({ description: "The operators' reads: SELECT 1 through Prisma's pool" }),
    redis: dependencyHealthSchema.meta({ description: 'PING on the shared Redis connection' }),
  }),
});
export type CloudHealth = z.infer<typeof cloudHealthSchema>;
