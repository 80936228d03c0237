import { hashSecret, randomToken, sha256Hex, verifySecret } from './secrets.js';

const FAST = { logN: 10, r: 8, p: 1 };

describe('hashSecret', () => {
  it('should produce a salted, self-describing scrypt hash that verifies', async () => {
    const a = await hashSecret('correct horse', FAST);
    const b = await hashSecret('correct horse', FAST);
    expect(a).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    await expect(verifySecret('correct horse', a)).resolves.toBe(true);
  });

  it('should refuse a wrong secret and a malformed hash', async () => {
    const hash = await hashSecret('correct horse', FAST);
    await expect(verifySecret('correct hörse', hash)).resolves.toBe(false);
    await expect(verifySecret('x', 'plain')).resolves.toBe(false);
    await expect(verifySecret('x', 'scrypt$99$8$1$a$b')).resolves.toBe(false);
  });

  it('should use the password cost by default', async () => {
    await expect(hashSecret('pw')).resolves.toMatch(/^scrypt\$15\$8\$1\$/);
  });
});

describe('randomToken and sha256Hex', () => {
  it('should give url-safe tokens of the asked entropy and a stable digest', () => {
    const token = randomToken(32);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(token);
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
