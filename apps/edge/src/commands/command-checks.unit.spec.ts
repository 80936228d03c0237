import { CommandKeyring, generateEd25519KeyPair, generateEs256KeyPair, signingKeyFrom } from '@app/crypto';
import { makeMenuItem } from '@app/testing';
import { CloudSigner } from '../../test/signed-commands.js';
import { checkIfMatch, checkNotExpired, checkPayload, checkSignedEnvelope } from './command-checks.js';
import { CommandsException } from './commands.exception.js';

const realm = { tenantId: 't-demo', storeId: 's-001' };
const cloud = new CloudSigner(generateEs256KeyPair().privateKey);
const keyring = CommandKeyring.fromPublicKeys([{ keyId: cloud.commandKeys.keyId, publicKey: cloud.commandKeys.publicKeyBase64 }]);

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof CommandsException) return error.code;
    throw error;
  }
  return undefined;
}

describe('checkSignedEnvelope', () => {
  const command = cloud.command('MENU_UPSERT_BATCH', { items: [makeMenuItem()] }, { revision: 1 });

  it('should accept a command signed by a trusted key for this hub', () => {
    expect(checkSignedEnvelope(JSON.parse(JSON.stringify(command)), keyring, realm)).toMatchObject({ commandId: command.commandId, revision: 1, baseRevision: 0 });
  });

  it('should refuse a field changed after signing', () => {
    expect(codeOf(() => checkSignedEnvelope({ ...command, revision: 9 }, keyring, realm))).toBe('SIGNATURE_INVALID');
    expect(codeOf(() => checkSignedEnvelope({ ...command, extra: true }, keyring, realm))).toBe('SIGNATURE_INVALID');
  });

  it('should refuse a command signed by a key the hub does not trust, under its own or a trusted key id', () => {
    const rogue = signingKeyFrom(generateEd25519KeyPair().privateKey);
    expect(codeOf(() => checkSignedEnvelope(cloud.command('SETTINGS_SNAPSHOT', { values: {} }, { revision: 1, key: rogue }), keyring, realm))).toBe('UNKNOWN_KEY');
    const forged = cloud.command('SETTINGS_SNAPSHOT', { values: {} }, { revision: 1, key: { keyId: cloud.signingKey.keyId, privateKey: rogue.privateKey } });
    expect(codeOf(() => checkSignedEnvelope(forged, keyring, realm))).toBe('SIGNATURE_INVALID');
  });

  it('should refuse a command of another store after checking its signature', () => {
    const other = cloud.command('SETTINGS_SNAPSHOT', { values: {} }, { revision: 1, realm: { tenantId: 't-demo', storeId: 's-002' } });
    expect(codeOf(() => checkSignedEnvelope(other, keyring, realm))).toBe('WRONG_STORE');
  });

  it('should name the field of a signed but malformed envelope', () => {
    const bad = cloud.command('MENU_UPSERT_BATCH', { items: [makeMenuItem()] }, { revision: 1, baseRevision: null });
    let error: unknown;
    try {
      checkSignedEnvelope(bad, keyring, realm);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', details: { issues: [expect.objectContaining({ path: 'baseRevision' })] } });
  });

  it('should refuse a body that is not an object', () => {
    expect(codeOf(() => checkSignedEnvelope([command], keyring, realm))).toBe('INVALID_PAYLOAD');
    expect(codeOf(() => checkSignedEnvelope(null, keyring, realm))).toBe('INVALID_PAYLOAD');
  });
});

describe('checkNotExpired', () => {
  it('should refuse a command at or past its expiry', () => {
    const command = cloud.command('SETTINGS_SNAPSHOT', { values: {} }, { revision: 1, expiresInMs: 1_000 });
    expect(codeOf(() => checkNotExpired(command, Date.parse(command.expiresAt) - 1))).toBeUndefined();
    expect(codeOf(() => checkNotExpired(command, Date.parse(command.expiresAt)))).toBe('EXPIRED');
  });
});

describe('checkPayload', () => {
  it('should name the bad field of the payload', () => {
    const command = cloud.command('MENU_UPSERT_BATCH', { items: [makeMenuItem({ priceCents: -1 })] }, { revision: 1 });
    expect(() => checkPayload(command)).toThrow(expect.objectContaining({ code: 'INVALID_PAYLOAD', details: { issues: [expect.objectContaining({ path: 'payload.items[0].priceCents' })] } }));
  });
});

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
