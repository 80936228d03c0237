/**
 * Order lease locks (seed 000 section 3): a device that edits an order holds a lease of 30 to 60 s,
 * renewable; while it is active every other device's write to that order is LOCKED. A lease ends
 * when released by its holder or when it expires. Time is the hub's clock, never the device's.
 */
export const LEASE_MIN_SECONDS = 30;
export const LEASE_MAX_SECONDS = 60;
export const LEASE_DEFAULT_SECONDS = 45;

export interface Lease {
  holder: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type LeaseAction = 'acquire' | 'renew' | 'release';

export type LeaseDecision = { ok: true; lease: Lease | null } | { ok: false; code: 'LOCKED'; holder: string; expiresAt: number };

export function activeLease(lease: Lease | null, now: number): Lease | null {
  return lease && lease.expiresAt > now ? lease : null;
}

export function clampLeaseSeconds(ttlSeconds: number | undefined): number {
  if (ttlSeconds === undefined) return LEASE_DEFAULT_SECONDS;
  return Math.min(LEASE_MAX_SECONDS, Math.max(LEASE_MIN_SECONDS, Math.trunc(ttlSeconds)));
}

/** May `deviceId` write to an order with this lease now? */
export function checkLeaseForWrite(lease: Lease | null, deviceId: string, now: number): LeaseDecision {
  const active = activeLease(lease, now);
  if (active && active.holder !== deviceId) return { ok: false, code: 'LOCKED', holder: active.holder, expiresAt: active.expiresAt };
  return { ok: true, lease: active };
}

/** The lease after `deviceId` acquires, renews or releases it, or LOCKED when another holds it. */
export function decideLease(lease: Lease | null, action: LeaseAction, deviceId: string, now: number, ttlSeconds?: number): LeaseDecision {
  const check = checkLeaseForWrite(lease, deviceId, now);
  if (!check.ok) return check;
  switch (action) {
    case 'acquire':
    case 'renew':
      // Renewing a lease that lapsed with nobody else taking it is the same as acquiring it again.
      return { ok: true, lease: { holder: deviceId, expiresAt: now + clampLeaseSeconds(ttlSeconds) * 1000 } };
    case 'release':
      return { ok: true, lease: null };
  }
}
