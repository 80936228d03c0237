import {
  COMMAND_STATUSES,
  LEGAL_STATUS_CHANGES,
  canChangeStatus,
  nextCommandState,
  type CommandEvent,
  type CommandMachineState,
  type CommandStatus,
} from './command-state-machine.js';

function given(status: CommandStatus, attempts = 1, maxAttempts = 5): CommandMachineState {
  return { status, attempts, maxAttempts };
}

describe('nextCommandState', () => {
  describe('delivery', () => {
    it('should deliver a pending command and count the attempt', () => {
      expect(nextCommandState(given('PENDING', 0), { type: 'DELIVER' })).toEqual({ ok: true, status: 'DELIVERED', attempts: 1, changed: true });
    });

    it.each(['DELIVERED', 'FAILED', 'DEAD_LETTER', 'ACKED', 'SUPERSEDED'] as const)('should not deliver a %s command', (status) => {
      expect(nextCommandState(given(status), { type: 'DELIVER' })).toMatchObject({ ok: false });
    });
  });

  describe('acks', () => {
    it('should finish a delivered command on success', () => {
      expect(nextCommandState(given('DELIVERED'), { type: 'ACK_OK' })).toMatchObject({ ok: true, status: 'ACKED' });
    });

    it('should treat a repeated success as no change', () => {
      expect(nextCommandState(given('ACKED'), { type: 'ACK_OK' })).toEqual({ ok: true, status: 'ACKED', attempts: 1, changed: false });
    });

    it.each(['PENDING', 'FAILED', 'DEAD_LETTER'] as const)('should accept a late success from %s: the store did apply it', (status) => {
      expect(nextCommandState(given(status), { type: 'ACK_OK' })).toMatchObject({ ok: true, status: 'ACKED' });
    });

    it('should not revive a superseded command', () => {
      expect(nextCommandState(given('SUPERSEDED'), { type: 'ACK_OK' })).toMatchObject({ ok: false });
    });

    it('should wait for a retry after a retryable failure with attempts left', () => {
      expect(nextCommandState(given('DELIVERED', 2), { type: 'ACK_FAILED', retryable: true })).toMatchObject({ ok: true, status: 'FAILED', attempts: 2 });
    });

    it('should dead-letter a retryable failure on the last attempt', () => {
      expect(nextCommandState(given('DELIVERED', 5), { type: 'ACK_FAILED', retryable: true })).toMatchObject({ ok: true, status: 'DEAD_LETTER' });
    });

    it('should dead-letter a final failure at once', () => {
      expect(nextCommandState(given('DELIVERED', 1), { type: 'ACK_FAILED', retryable: false })).toMatchObject({ ok: true, status: 'DEAD_LETTER' });
    });

    it('should ignore a failure for a command that is no longer delivered', () => {
      expect(nextCommandState(given('PENDING'), { type: 'ACK_FAILED', retryable: true })).toMatchObject({ ok: false });
      expect(nextCommandState(given('ACKED'), { type: 'ACK_FAILED', retryable: false })).toMatchObject({ ok: false });
    });
  });

  describe('timeouts and retries', () => {
    it('should treat an ack timeout like a retryable failure', () => {
      expect(nextCommandState(given('DELIVERED', 1), { type: 'ACK_TIMEOUT' })).toMatchObject({ ok: true, status: 'FAILED' });
      expect(nextCommandState(given('DELIVERED', 5), { type: 'ACK_TIMEOUT' })).toMatchObject({ ok: true, status: 'DEAD_LETTER' });
    });

    it('should ignore a timeout that fires after the ack', () => {
      expect(nextCommandState(given('ACKED'), { type: 'ACK_TIMEOUT' })).toMatchObject({ ok: false });
    });

    it('should make a failed command deliverable again when its retry is due, keeping the count', () => {
      expect(nextCommandState(given('FAILED', 3), { type: 'RETRY_DUE' })).toEqual({ ok: true, status: 'PENDING', attempts: 3, changed: true });
    });

    it('should let support retry a dead-lettered or failed command with the attempts reset', () => {
      expect(nextCommandState(given('DEAD_LETTER', 5), { type: 'MANUAL_RETRY' })).toEqual({ ok: true, status: 'PENDING', attempts: 0, changed: true });
      expect(nextCommandState(given('FAILED', 2), { type: 'MANUAL_RETRY' })).toMatchObject({ ok: true, status: 'PENDING', attempts: 0 });
    });

    it.each(['PENDING', 'DELIVERED', 'ACKED', 'SUPERSEDED'] as const)('should refuse a manual retry of a %s command', (status) => {
      expect(nextCommandState(given(status), { type: 'MANUAL_RETRY' })).toMatchObject({ ok: false });
    });
  });

  describe('supersede', () => {
    it.each(['PENDING', 'DELIVERED', 'FAILED', 'DEAD_LETTER'] as const)('should supersede an unfinished %s command', (status) => {
      expect(nextCommandState(given(status), { type: 'SUPERSEDE' })).toMatchObject({ ok: true, status: 'SUPERSEDED' });
    });

    it('should not supersede an acked command', () => {
      expect(nextCommandState(given('ACKED'), { type: 'SUPERSEDE' })).toMatchObject({ ok: false });
    });
  });

  describe('a whole life', () => {
    it('should run delivered, timed out, failed, dead-lettered, retried by support and acked', () => {
      const events: CommandEvent[] = [
        { type: 'DELIVER' },
        { type: 'ACK_TIMEOUT' },
        { type: 'RETRY_DUE' },
        { type: 'DELIVER' },
        { type: 'ACK_FAILED', retryable: true },
        { type: 'RETRY_DUE' },
        { type: 'DELIVER' },
        { type: 'ACK_FAILED', retryable: true },
        { type: 'MANUAL_RETRY' },
        { type: 'DELIVER' },
        { type: 'ACK_OK' },
      ];
      let state = given('PENDING', 0, 3);
      const seen: CommandStatus[] = [];
      for (const event of events) {
        const next = nextCommandState(state, event);
        if (!next.ok) throw new Error(next.reason);
        state = { ...state, status: next.status, attempts: next.attempts };
        seen.push(next.status);
      }
      expect(seen).toEqual(['DELIVERED', 'FAILED', 'PENDING', 'DELIVERED', 'FAILED', 'PENDING', 'DELIVERED', 'DEAD_LETTER', 'PENDING', 'DELIVERED', 'ACKED']);
      expect(state.attempts).toBe(1);
    });
  });

  describe('LEGAL_STATUS_CHANGES', () => {
    it('should list exactly the changes the machine can make', () => {
      const allEvents: CommandEvent[] = [
        { type: 'DELIVER' },
        { type: 'ACK_OK' },
        { type: 'ACK_FAILED', retryable: true },
        { type: 'ACK_FAILED', retryable: false },
        { type: 'ACK_TIMEOUT' },
        { type: 'RETRY_DUE' },
        { type: 'MANUAL_RETRY' },
        { type: 'SUPERSEDE' },
      ];
      for (const from of COMMAND_STATUSES) {
        const reachable = new Set<CommandStatus>();
        for (const attempts of [1, 5]) {
          for (const event of allEvents) {
            const next = nextCommandState(given(from, attempts, 5), event);
            if (next.ok && next.status !== from) reachable.add(next.status);
          }
        }
        expect([...reachable].sort()).toEqual([...LEGAL_STATUS_CHANGES[from]].sort());
      }
      expect(canChangeStatus('ACKED', 'PENDING')).toBe(false);
      expect(canChangeStatus('DEAD_LETTER', 'PENDING')).toBe(true);
    });
  });
});
