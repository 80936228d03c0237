import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

export async function createTempDir(label: string): Promise<TempDir> {
  const dir = await mkdtemp(path.join(tmpdir(), `pos-${label.replace(/[^A-Za-z0-9]+/g, '-')}-`));
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
