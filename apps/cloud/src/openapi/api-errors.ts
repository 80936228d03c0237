import { z } from 'zod';
import {
  ContractValidationError,
  MAX_COMMAND_ENVELOPE_BYTES,
  MAX_COMMAND_PAYLOAD_BYTES,
  SYNC_DOMAINS,
  idSchema,
  nonNegativeIntSchema,
  type ApiErrorBody,
} from '@app/contracts';
import { NotFoundException, toErrorBody } from '@app/nest-kit';
import { AuthException, type AuthErrorCode } from '../auth/auth.exception.js';
import { TooManyLoginAttemptsException } from '../auth/login-throttle.service.js';
import { CommandsException } from '../commands/commands.exception.js';
import { IngestException } from '../ingest/ingest.exception.js';
import { NodesException } from '../nodes/nodes.exception.js';
import { DependencyUnavailableException } from '../outages/dependency-unavailable.exception.js';
import { RevisionsException } from '../revisions/revisions.exception.js';
import { StoresException } from '../stores/stores.exception.js';

/** One error a route answers, as the OpenAPI document lists it. */
export interface DocumentedError {
  status: number;
  code: string;
  /** When it happens, for people reading the document. */
  when: string;
  /** A real body: what the global filter makes of the sample exception. */
  example: ApiErrorBody;
  /** The shape of `details`, for codes that carry some. */
  details?: z.ZodType;
}

/**
 * An error documented from a sample of the very exception the code throws, passed through the
 * global filter's own mapping: status, code and message cannot drift from what clients get.
 */
export function documentedError(sample: unknown, when: string, details?: z.ZodType): DocumentedError {
  const { body } = toErrorBody(sample);
  return { status: body.statusCode, code: body.code, when, example: body, ...(details ? { details } : {}) };
}

// Realistic ids for the examples (the cloud's ids are UUIDv7).
const STORE_ID = '01939a6e-5f3c-7d2a-9b41-3c8e2f6a7d10';
const COMMAND_ID = '01939a70-0b12-7c44-8e5d-6f1a2b3c4d5e';
const NODE_ID = '01939a6f-2a8b-7e19-a0c3-9d4e5f6a7b8c';

const auth = (code: AuthErrorCode, message: string, when: string) => documentedError(new AuthException(code, message), when);

const validationIssueSchema = z.object({
  path: z.string().meta({ description: 'The field, e.g. payload.items[2].priceCents' }),
  code: z.string(),
  message: z.string(),
});
const validationDetails = z.object({ issues: z.array(validationIssueSchema) });

/*
 * Errors raised before a handler runs. route-docs.ts gives them to each route from what it
 * declares (its access policy, its zod pipes, whether it reads a body), so no route can forget them.
 */
export const VALIDATION_FAILED = documentedError(
  new ContractValidationError(
    [{ path: 'storeId', code: 'invalid_format', message: 'must be 1-64 letters, digits, or _ . : - (starting with a letter or digit)' }],
    'path parameter storeId',
  ),
  'a path parameter, the query or the body breaks its contract (its schema, or a rule the service checks); details.issues names each bad field',
  validationDetails,
);
export const MALFORMED_JSON = documentedError({ type: 'entity.parse.failed', message: 'Unexpected token' }, 'the body is not valid JSON');
export const PAYLOAD_TOO_LARGE = documentedError({ type: 'entity.too.large', message: 'request entity too large' }, 'the body is larger than 8 MB');
export const TOKEN_MISSING = auth('UNAUTHORIZED', 'a bearer token is required', 'no bearer token');
export const TOKEN_EXPIRED = auth('TOKEN_EXPIRED', 'the access token has expired', 'the token has expired: renew it (nodes) or log in again (operators)');
export const TOKEN_INVALID = auth(
  'TOKEN_INVALID',
  'the access token is not valid here',
  'the token is malformed, badly signed, of the other kind, or its operator or node no longer exists',
);
export const OPERATOR_DISABLED = auth('OPERATOR_DISABLED', 'this operator is disabled', 'the operator has been disabled');
export const ROLE_FORBIDDEN = auth('FORBIDDEN', 'role VIEWER may not do this', "the operator's role is not one the route allows");
export const NODE_REVOKED = auth('NODE_REVOKED', 'this node was revoked: replaced', 'the node has been revoked (or replaced by a newer registration)');
const outageDetails = z.object({ retryAfterSeconds: nonNegativeIntSchema.meta({ description: 'Also in the Retry-After header' }) });
export const DATABASE_UNAVAILABLE = documentedError(
  new DependencyUnavailableException('database'),
  'MySQL cannot be reached (refused, lost, a pool with no connection to give within its bound): nothing was changed; keep the session or ' +
    'token and retry after Retry-After',
  outageDetails,
);
export const REDIS_UNAVAILABLE = documentedError(
  new DependencyUnavailableException('redis'),
  'Redis cannot be reached and this request needs it (most routes do without: timers are re-armed from MySQL once it is back); retry after Retry-After',
  outageDetails,
);
export const INTERNAL = {
  ...documentedError(new Error('a bug'), 'an unexpected error; errorId is also in the log line with the cause'),
  example: { ...toErrorBody(new Error('a bug')).body, errorId: '5b0c8a4e-2f7d-4c1b-9e3a-7d6f5c4b3a21' },
};

/* Errors of particular routes, named on the handler with @ApiErrors(...). */
export const STORE_NOT_FOUND = documentedError(
  new NotFoundException('store', STORE_ID),
  "no store with this id in the operator's tenant (another tenant's store answers the same)",
);
export const COMMAND_NOT_FOUND = documentedError(
  new NotFoundException('command', COMMAND_ID),
  'no command with this id in the tenant (for a node: of its store)',
);
export const NODE_NOT_FOUND = documentedError(new NotFoundException('node', NODE_ID), 'no node with this id in the tenant');
export const STORE_CODE_TAKEN = documentedError(StoresException.codeTaken('LON-01'), 'the tenant already has a store with this code');
export const REVISION_CONFLICT = documentedError(
  RevisionsException.stale(41, 42),
  'ifMatchRevision is stale: another revision was published since; reload and edit again',
  z.object({ currentRevision: nonNegativeIntSchema }),
);
export const REVISION_TOO_LARGE = documentedError(
  RevisionsException.tooLarge({ storeId: STORE_ID, domain: 'settings', part: 'payload', sizeBytes: 2_500_000, limitBytes: MAX_COMMAND_PAYLOAD_BYTES }),
  `the command this revision makes would be larger than a store's hub accepts (${MAX_COMMAND_ENVELOPE_BYTES} bytes an envelope): the change ` +
    `itself (part payload), or the whole state after it, which a repair sends as one snapshot (part state); nothing is stored`,
  z.object({
    storeId: idSchema.meta({ description: 'The store (of a fleet publish) whose command would be too large' }),
    domain: z.enum(SYNC_DOMAINS),
    part: z.enum(['payload', 'state']),
    sizeBytes: nonNegativeIntSchema.meta({ description: 'Its size as JSON, in UTF-8 bytes' }),
    limitBytes: nonNegativeIntSchema.meta({ description: 'The most a command payload may be' }),
  }),
);
export const MENU_EDITOR_DOMAIN = documentedError(
  new AuthException('FORBIDDEN', 'a menu editor may only publish the menu'),
  'a menu editor published another domain than the menu',
);
export const COMMAND_NOT_RETRYABLE = documentedError(
  CommandsException.notRetryable(COMMAND_ID, 'ACKED'),
  'only FAILED and DEAD_LETTER commands can be retried',
  z.object({ status: z.string().meta({ description: "The command's status" }) }),
);
export const NODE_ALREADY_REVOKED = documentedError(NodesException.alreadyRevoked(NODE_ID), 'the node is already revoked');
export const BATCH_TOO_LARGE = documentedError(
  IngestException.batchTooLarge(1_200),
  'the batch holds more events than one request may (1,000 from a node, 500 from HQ)',
  z.object({ maxEvents: nonNegativeIntSchema }),
);
export const LOGIN_INVALID_CREDENTIALS = auth(
  'INVALID_CREDENTIALS',
  'email or password is wrong',
  'unknown email or wrong password (the same answer for both)',
);
export const LOGIN_RATE_LIMITED = documentedError(
  new TooManyLoginAttemptsException(40),
  'too many login attempts from this IP or for this email; the Retry-After header and details say when to try again',
  z.object({ retryAfterSeconds: nonNegativeIntSchema }),
);
export const NODE_INVALID_CREDENTIALS = auth('INVALID_CREDENTIALS', 'unknown node or wrong node secret', 'unknown node id or wrong node secret');
export const BOOTSTRAP_TOKEN_INVALID = auth('BOOTSTRAP_TOKEN_INVALID', 'unknown bootstrap token', 'no such bootstrap token');
export const BOOTSTRAP_TOKEN_USED = auth(
  'BOOTSTRAP_TOKEN_USED',
  'this bootstrap token was already used: ask HQ for a new one',
  'the bootstrap token was already used (it is one-time)',
);
export const BOOTSTRAP_TOKEN_EXPIRED = auth(
  'BOOTSTRAP_TOKEN_EXPIRED',
  'this bootstrap token has expired: ask HQ for a new one',
  'the bootstrap token has expired',
);
export const SALES_RANGE_INVALID = documentedError(
  new ContractValidationError([{ path: 'to', code: 'invalid_range', message: 'must be at most 366 days after from' }], 'query'),
  'from is after to, or the range is longer than 366 days',
  validationDetails,
);
