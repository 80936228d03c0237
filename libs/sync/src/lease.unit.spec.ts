import { LEASE_DEFAULT_SECONDS, activeLease, checkLeaseForWrite, clampLeaseSeconds, decideLease, type Lease } from './lease.js';

const NOW = 1_000_000;
const heldByA: Lease = { holder: 'till-a', expiresAt: NOW + 30_000 };

describe('lease rules', () => {
  describe('decideLease acquire', () => {
    it('should give a free order to the first device for the asked time', () => {
      // given no lease, when till-a acquires for 40 s, then till-a holds it for 40 s
      expect(decideLease(null, 'acquire', 'till-a', NOW, 40)).toEqual({ ok: true, lease: { holder: 'till-a', expiresAt: NOW + 40_000 } });
    });

    it('should refuse a second device while the lease is active', () => {
      expect(decideLease(heldByA, 'acquire', 'till-b', NOW + 1_000)).toEqual({ ok: false, code: 'LOCKED', holder: 'till-a', expiresAt: heldByA.expiresAt });
    });

    it('should give the order to another device once the lease has expired', () => {
      const decision = decideLease(heldByA, 'acquire', 'till-b', heldByA.expiresAt);
      expect(decision).toEqual({ ok: true, lease: { holder: 'till-b', expiresAt: heldByA.expiresAt + LEASE_DEFAULT_SECONDS * 1000 } });
    });
  });

  describe('decideLease renew', () => {
    it('should extend the holder lease from now', () => {
      expect(decideLease(heldByA, 'renew', 'till-a', NOW + 20_000, 60)).toEqual({ ok: true, lease: { holder: 'till-a', expiresAt: NOW + 80_000 } });
    });

    it('should refuse a renewal by another device', () => {
      expect(decideLease(heldByA, 'renew', 'till-b', NOW)).toMatchObject({ ok: false, code: 'LOCKED' });
    });
  });

  describe('decideLease release', () => {
    it('should free the order when the holder releases it', () => {
      expect(decideLease(heldByA, 'release', 'till-a', NOW)).toEqual({ ok: true, lease: null });
    });

    it('should refuse a release by another device', () => {
      expect(decideLease(heldByA, 'release', 'till-b', NOW)).toMatchObject({ ok: false, code: 'LOCKED', holder: 'till-a' });
    });
  });

  describe('checkLeaseForWrite', () => {
    it('should let the holder and nobody else write while the lease is active', () => {
      expect(checkLeaseForWrite(heldByA, 'till-a', NOW)).toEqual({ ok: true, lease: heldByA });
      expect(checkLeaseForWrite(heldByA, 'kds-1', NOW)).toMatchObject({ ok: false, code: 'LOCKED' });
    });

    it('should let anyone write to an unleased or expired order', () => {
      expect(checkLeaseForWrite(null, 'kds-1', NOW)).toEqual({ ok: true, lease: null });
      expect(checkLeaseForWrite(heldByA, 'kds-1', heldByA.expiresAt + 1)).toEqual({ ok: true, lease: null });
    });
  });

  describe('clampLeaseSeconds', () => {
    it('should keep leases between 30 and 60 seconds', () => {
      expect(clampLeaseSeconds(5)).toBe(30);
      expect(clampLeaseSeconds(3600)).toBe(60);
      expect(clampLeaseSeconds(42.9)).toBe(42);
      expect(clampLeaseSeconds(undefined)).toBe(LEASE_DEFAULT_SECONDS);
    });
  });

  describe('activeLease', () => {
    it('should treat the expiry instant as expired', () => {
      expect(activeLease(heldByA, heldByA.expiresAt - 1)).toBe(heldByA);
      expect(activeLease(heldByA, heldByA.expiresAt)).toBeNull();
    });
  });
});
