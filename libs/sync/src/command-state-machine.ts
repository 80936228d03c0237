/**
 * The life of a command in the cloud (SYSTEM.md 4.5). Every change of state is decided here and
 * recorded as a SyncCommandLog row by the caller.
 *
 *   PENDING --deliver--> DELIVERED --ack ok--> ACKED
 *   DELIVERED --retryable failure / ack timeout--> FAILED --retry due--> PENDING   (attempts left)
 *   DELIVERED --final failure, or the last attempt failed / timed out--> DEAD_LETTER
 *   DEAD_LETTER | FAILED --manual retry--> PENDING (attempts reset)
 *   any unfinished state --superseded by a snapshot--> SUPERSEDED
 *
 * A success that arrives late (after a timeout moved the command on) is the truth about the store
 * and is accepted from any unfinished state.
 *
 * Which failures are final is the ack code's (FINAL_ACK_ERROR_CODES in @app/contracts: a bad
 * signature, unknown key, wrong store, expired, invalid payload, or PAYLOAD_TOO_LARGE, an envelope
 * the hub refused for its size); the caller passes `retryable` accordingly.
 */
export const COMMAND_STATUSES = ['PENDING', 'DELIVERED', 'ACKED', 'FAILED', 'DEAD_LETTER', 'SUPERSEDED'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

export const TERMINAL_COMMAND_STATUSES: readonly CommandStatus[] = ['ACKED', 'SUPERSEDED'];

export type CommandEvent =
  | { type: 'DELIVER' }
  | { type: 'ACK_OK' }
  | { type: 'ACK_FAILED'; retryable: boolean }
  | { type: 'ACK_TIMEOUT' }
  | { type: 'RETRY_DUE' }
  | { type: 'MANUAL_RETRY' }
  | { type: 'SUPERSEDE' };

export interface CommandMachineState {
  status: CommandStatus;
  /** Deliveries made so far in this round (reset by a manual retry). */
  attempts: number;
  maxAttempts: number;
}

export type CommandTransition = { ok: true; status: CommandStatus; attempts: number; changed: boolean } | { ok: false; reason: string };

function to(state: CommandMachineState, status: CommandStatus, attempts = state.attempts): CommandTransition {
  return { ok: true, status, attempts, changed: status !== state.status || attempts !== state.attempts };
}

function illegal(state: CommandMachineState, event: CommandEvent): CommandTransition {
  return { ok: false, reason: `${event.type} is not allowed in state ${state.status}` };
}

export function isTerminalStatus(status: CommandStatus): boolean {
  return TERMINAL_COMMAND_STATUSES.includes(status);
}

export function nextCommandState(state: CommandMachineState, event: CommandEvent): CommandTransition {
  const lastAttempt = state.attempts >= state.maxAttempts;
  switch (event.type) {
    case 'DELIVER':
      return state.status === 'PENDING' ? to(state, 'DELIVERED', state.attempts + 1) : illegal(state, event);
    case 'ACK_OK':
      if (state.status === 'ACKED') return to(state, 'ACKED');
      return state.status === 'SUPERSEDED' ? illegal(state, event) : to(state, 'ACKED');
    case 'ACK_FAILED':
      if (state.status !== 'DELIVERED') return illegal(state, event);
      return to(state, !event.retryable || lastAttempt ? 'DEAD_LETTER' : 'FAILED');
    case 'ACK_TIMEOUT':
      if (state.status !== 'DELIVERED') return illegal(state, event);
      return to(state, lastAttempt ? 'DEAD_LETTER' : 'FAILED');
    case 'RETRY_DUE':
      return state.status === 'FAILED' ? to(state, 'PENDING') : illegal(state, event);
    case 'MANUAL_RETRY':
      return state.status === 'DEAD_LETTER' || state.status === 'FAILED' ? to(state, 'PENDING', 0) : illegal(state, event);
    case 'SUPERSEDE':
      return isTerminalStatus(state.status) ? illegal(state, event) : to(state, 'SUPERSEDED');
  }
}

/** Which status changes are possible at all: for checks on stored data and for documentation. */
export const LEGAL_STATUS_CHANGES: Readonly<Record<CommandStatus, readonly CommandStatus[]>> = {
  PENDING: ['DELIVERED', 'ACKED', 'SUPERSEDED'],
  DELIVERED: ['ACKED', 'FAILED', 'DEAD_LETTER', 'SUPERSEDED'],
  FAILED: ['PENDING', 'ACKED', 'SUPERSEDED'],
  DEAD_LETTER: ['PENDING', 'ACKED', 'SUPERSEDED'],
  ACKED: [],
  SUPERSEDED: [],
};

export function canChangeStatus(from: CommandStatus, to: CommandStatus): boolean {
  return LEGAL_STATUS_CHANGES[from].includes(to);
}
