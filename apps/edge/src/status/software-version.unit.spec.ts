import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTempDir, type TempDir } from '@app/testing';
import { readSoftwareVersion } from './software-version.js';

describe('readSoftwareVersion', () => {
  let tmp: TempDir;

  beforeEach(async () => {
    tmp = await createTempDir('software-version');
  });

  afterEach(async () => {
    await tmp.remove();
  });

  it("should find the product's package.json above the code, skipping other packages", () => {
    writeFileSync(path.join(tmp.path, 'package.json'), JSON.stringify({ name: 'pos-fleet', version: '1.2.3' }));
    const nested = path.join(tmp.path, 'dist', 'apps', 'edge', 'src', 'status');
    mkdirSync(nested, { recursive: true });
    writeFileSync(path.join(tmp.path, 'dist', 'package.json'), JSON.stringify({ name: 'something-else', version: '9.9.9' }));
    expect(readSoftwareVersion(nested)).toBe('1.2.3');
  });

  it("should say 'unknown' when there is none", () => {
    expect(readSoftwareVersion(tmp.path)).toBe('unknown');
  });
});
