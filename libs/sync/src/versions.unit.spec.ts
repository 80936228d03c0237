import { checkNextVersion } from './versions.js';

describe('checkNextVersion', () => {
  it('should accept version 1 for a new aggregate', () => {
    expect(checkNextVersion(0, 1)).toEqual({ ok: true });
  });

  it('should accept the current version + 1', () => {
    expect(checkNextVersion(4, 5)).toEqual({ ok: true });
  });

  it.each([
    ['a stale version', 4, 4],
    ['an older version', 4, 2],
    ['a gap', 4, 6],
    ['version 2 for a new aggregate', 0, 2],
  ])('should refuse %s with VERSION_CONFLICT and the current version', (_label, current, proposed) => {
    expect(checkNextVersion(current, proposed)).toEqual({ ok: false, code: 'VERSION_CONFLICT', currentVersion: current, expectedVersion: current + 1 });
  });
});
