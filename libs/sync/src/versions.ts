/**
 * Optimistic concurrency per aggregate: an event must carry the aggregate's current version + 1
 * (the first event of an aggregate carries 1). Anything else is stale or a gap.
 */
export type VersionCheck = { ok: true } | { ok: false; code: 'VERSION_CONFLICT'; currentVersion: number; expectedVersion: number };

export function checkNextVersion(currentVersion: number, proposedVersion: number): VersionCheck {
  const expectedVersion = currentVersion + 1;
  if (proposedVersion === expectedVersion) return { ok: true };
  return { ok: false, code: 'VERSION_CONFLICT', currentVersion, expectedVersion };
}
