import { generateEs256KeyPair } from '@app/crypto';
import { CloudSigner } from '../../test/signed-commands.js';
import { checkIfMatch } from './if-match-check.js';
import { CommandsException } from './commands.exception.js';

const cloud = new CloudSigner(generateEs256KeyPair().privateKey);

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof CommandsException) return error.code;
    throw error;
  }
  return undefined;
}

describe('checkIfMatch', () => {
  const patch = cloud.command('SETTINGS_PATCH', { values: { tax: 20 } }, { revision: 4, baseRevision: 3 });
  const snapshot = cloud.command('SETTINGS_SNAPSHOT', { values: {} }, { revision: 4 });

  it('should accept the base revision bare or quoted', () => {
    expect(codeOf(() => checkIfMatch('3', patch))).toBeUndefined();
    expect(codeOf(() => checkIfMatch('"3"', patch))).toBeUndefined();
  });

  it('should require it on a patch and refuse one that is not the signed base revision', () => {
    expect(codeOf(() => checkIfMatch(undefined, patch))).toBe('IF_MATCH_REQUIRED');
    expect(codeOf(() => checkIfMatch('2', patch))).toBe('IF_MATCH_INVALID');
    expect(codeOf(() => checkIfMatch('three', patch))).toBe('IF_MATCH_INVALID');
    expect(codeOf(() => checkIfMatch('-3', patch))).toBe('IF_MATCH_INVALID');
  });

  it('should not require it on a snapshot, but still refuse garbage', () => {
    expect(codeOf(() => checkIfMatch(undefined, snapshot))).toBeUndefined();
    expect(codeOf(() => checkIfMatch('1', snapshot))).toBeUndefined();
    expect(codeOf(() => checkIfMatch('*x', snapshot))).toBe('IF_MATCH_INVALID');
  });
});
