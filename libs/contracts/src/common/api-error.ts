import { z } from 'zod';

/** The error body of every HTTP API of the product (SYSTEM.md section 6). */
export const apiErrorBodySchema = z.object({
  statusCode: z.number().int(),
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
  errorId: z.string().optional(),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;
