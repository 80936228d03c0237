import { z } from 'zod';

/** The error body of every HTTP API of the product (SYSTEM.md section 6). */
export const apiErrorBodySchema = z.object({
  statusCode: z.number().int().meta({ description: 'The HTTP status, repeated' }),
  code: z.string().meta({ description: 'What went wrong, stable for clients to act on (e.g. VALIDATION_FAILED, NOT_FOUND, REVISION_CONFLICT)' }),
  message: z.string().meta({ description: 'For people; names the offending field when input was bad' }),
  details: z.unknown().optional().meta({ description: 'More for some codes (VALIDATION_FAILED: issues with path, code and message)' }),
  errorId: z.string().optional().meta({ description: 'Only on 500: the id of the log line with the cause' }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;
