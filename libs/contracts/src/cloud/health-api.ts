import { z } from 'zod';

/** `GET /healthz` of the cloud: 200 when MySQL and Redis answer, 503 naming what failed. */
export const dependencyHealthSchema = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number().int().min(0),
  /** Why the check failed. */
  error: z.string().optional(),
});
export type DependencyHealth = z.infer<typeof dependencyHealthSchema>;

export const cloudHealthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.object({ mysql: dependencyHealthSchema, redis: dependencyHealthSchema }),
});
export type CloudHealth = z.infer<typeof cloudHealthSchema>;
