import { repairReason, type DomainSyncState } from './repair-rule.js';

const now = new Date('2026-11-22T10:00:00Z');
const later = new Date('2026-11-29T10:00:00Z');
const earlier = new Date('2026-11-21T10:00:00Z');
const head = (status: NonNullable<DomainSyncState['head']>['status'], lastErrorCode: string | null = null, expiresAt = later, revision = 3) => ({
  status,
  revision,
  lastErrorCode,
  expiresAt,
});

describe('repairReason', () => {
  describe('given a domain that was never published', () => {
    it('should never repair it, whatever the store reports', () => {
      expect(repairReason({ desiredRevision: 0, appliedRevision: 3, head: null }, now)).toBeNull();
    });
  });

  describe('given no open command', () => {
    it('should leave a store that holds the desired revision alone', () => {
      expect(repairReason({ desiredRevision: 4, appliedRevision: 4, head: null }, now)).toBeNull();
    });

    it.each([
      ['behind', 2],
      ['reset to nothing', 0],
      ['ahead', 7],
    ])('should repair a store that is %s', (_label, applied) => {
      expect(repairReason({ desiredRevision: 4, appliedRevision: applied, head: null }, now)).toBe('drift');
    });
  });

  describe('given an open command on its way', () => {
    it.each(['PENDING', 'DELIVERED', 'FAILED'] as const)('should wait for a %s command that has not expired', (status) => {
      expect(repairReason({ desiredRevision: 4, appliedRevision: 2, head: head(status) }, now)).toBeNull();
    });

    it('should repair when the head was dead-lettered with REVISION_CONFLICT', () => {
      expect(repairReason({ desiredRevision: 4, appliedRevision: 2, head: head('DEAD_LETTER', 'REVISION_CONFLICT') }, now)).toBe('revision-conflict');
    });

    it.each(['EDGE_UNAVAILABLE', 'SIGNATURE_INVALID', 'ACK_TIMEOUT', 'PAYLOAD_TOO_LARGE'])(
      'should leave a head dead-lettered with %s at the desired revision to support',
      (code) => {
        expect(repairReason({ desiredRevision: 4, appliedRevision: 2, head: head('DEAD_LETTER', code, later, 4) }, now)).toBeNull();
      },
    );

    it.each(['EDGE_UNAVAILABLE', 'SIGNATURE_INVALID', 'ACK_TIMEOUT', 'PAYLOAD_TOO_LARGE', 'INVALID_PAYLOAD'])(
      'should replace a head dead-lettered with %s once a later revision waits behind it',
      (code) => {
        expect(repairReason({ desiredRevision: 4, appliedRevision: 2, head: head('DEAD_LETTER', code, later, 3) }, now)).toBe('behind-dead-letter');
      },
    );

    it.each(['PENDING', 'FAILED'] as const)('should replace an expired %s head', (status) => {
      expect(repairReason({ desiredRevision: 4, appliedRevision: 2, head: head(status, null, earlier) }, now)).toBe('expired');
    });

    it('should replace a head the store refused as EXPIRED', () => {
      expect(repairReason({ desiredRevision: 4, appliedRevision: 2, head: head('DEAD_LETTER', 'EXPIRED') }, now)).toBe('expired');
    });

    it('should not touch an expired command while it is delivered (its ack is on its way)', () => {
      expect(repairReason({ desiredRevision: 4, appliedRevision: 2, head: head('DELIVERED', null, earlier) }, now)).toBeNull();
    });
  });
});
