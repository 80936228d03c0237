import type { CommandStatus } from './command-state-machine.js';
import { blockingDeadLetter, planRevisionCommand, supersedesDeadLetter, type OpenDomainCommand } from './dead-letter-rule.js';

let nextSeq = 10;
function command(status: CommandStatus, revision: number, lastErrorCode: string | null = null): OpenDomainCommand {
  nextSeq += 1;
  return { id: `cmd-${nextSeq}`, seq: nextSeq, status, revision, lastErrorCode };
}

describe('supersedesDeadLetter', () => {
  describe('given a dead-lettered head', () => {
    it.each(['PAYLOAD_TOO_LARGE', 'INVALID_PAYLOAD', 'EDGE_UNAVAILABLE', 'SIGNATURE_INVALID', 'ACK_TIMEOUT'])(
      'should give way to a later revision whatever the code (%s)',
      (code) => {
        expect(supersedesDeadLetter(command('DEAD_LETTER', 3, code), 4)).toBe(true);
      },
    );

    it('should wait for support while nothing later was published', () => {
      expect(supersedesDeadLetter(command('DEAD_LETTER', 3, 'PAYLOAD_TOO_LARGE'), 3)).toBe(false);
    });
  });

  describe('given a head still on its way', () => {
    it.each(['PENDING', 'DELIVERED', 'FAILED'] as const)('should never supersede a %s head', (status) => {
      expect(supersedesDeadLetter(command(status, 3), 9)).toBe(false);
    });
  });

  describe('given no open command', () => {
    it('should have nothing to supersede', () => {
      expect(supersedesDeadLetter(null, 4)).toBe(false);
    });
  });
});

describe('planRevisionCommand', () => {
  describe('given no open command of the domain', () => {
    it('should send the patch', () => {
      expect(planRevisionCommand([], 1)).toEqual({ send: 'patch' });
    });
  });

  describe('given commands on their way', () => {
    it('should queue the patch behind them', () => {
      expect(planRevisionCommand([command('DELIVERED', 4), command('PENDING', 5)], 6)).toEqual({ send: 'patch' });
      expect(planRevisionCommand([command('FAILED', 4, 'EDGE_UNAVAILABLE')], 5)).toEqual({ send: 'patch' });
    });
  });

  describe('given a dead-lettered head', () => {
    describe('when a later revision is published', () => {
      it('should send a snapshot of the new state that supersedes the dead letter and everything queued behind it', () => {
        const dead = command('DEAD_LETTER', 4, 'PAYLOAD_TOO_LARGE');
        const queued = command('PENDING', 5);
        // A patch of revision 6 would build on 5, which builds on 4, which the store never applied.
        expect(planRevisionCommand([dead, queued], 6)).toEqual({
          send: 'snapshot',
          supersede: [dead.id, queued.id],
          deadLetter: { commandId: dead.id, errorCode: 'PAYLOAD_TOO_LARGE' },
        });
      });
    });
  });
});

describe('blockingDeadLetter', () => {
  const dead = command('DEAD_LETTER', 4, 'INVALID_PAYLOAD');

  describe('given a pending command behind a dead-lettered head', () => {
    it('should name the dead letter it waits behind', () => {
      expect(blockingDeadLetter(command('PENDING', 5), dead)).toBe(dead);
    });
  });

  describe('given a command that is not waiting behind a dead letter', () => {
    it('should name nothing for the dead letter itself, a command ahead of it, or a head still on its way', () => {
      expect(blockingDeadLetter(dead, dead)).toBeNull();
      expect(blockingDeadLetter({ seq: dead.seq - 1, status: 'PENDING' }, dead)).toBeNull();
      expect(blockingDeadLetter(command('PENDING', 6), command('DELIVERED', 5))).toBeNull();
      expect(blockingDeadLetter(command('PENDING', 6), null)).toBeNull();
      expect(blockingDeadLetter(command('SUPERSEDED', 6), dead)).toBeNull();
    });
  });
});
