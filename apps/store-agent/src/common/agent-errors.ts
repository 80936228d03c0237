/** Exit codes of the agent process, for supervisors: do not restart-loop on these. */
export const EXIT_CONFIG = 78; // EX_CONFIG: the environment or the bootstrap token is unusable
export const EXIT_REVOKED = 3; // the cloud revoked this node (or no longer knows it)

/**
 * An error no retry can cure: the process stops with `exitCode` and says why. Every loop lets it
 * through instead of backing off.
 */
export class AgentFatalError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'AgentFatalError';
  }
}

/** An answer of the cloud that is neither success nor one of the cases a caller handles. */
export class CloudRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'CloudRequestError';
  }
}

/** An answer of the edge that is neither success nor one of the cases a caller handles. */
export class EdgeRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'EdgeRequestError';
  }
}
