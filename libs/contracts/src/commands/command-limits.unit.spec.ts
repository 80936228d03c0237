import { canonicalize } from '@app/crypto';
import { validate } from '../validation/validate.js';
import { commandEnvelopeSchema } from './command-envelope.js';
import { INT32_MAX, jsonByteLength } from '../common/primitives.js';
import { COMMAND_ENVELOPE_OVERHEAD_BYTES, MAX_COMMAND_ENVELOPE_BYTES, MAX_COMMAND_PAYLOAD_BYTES } from './command-limits.js';

describe('command limits', () => {
  describe('COMMAND_ENVELOPE_OVERHEAD_BYTES', () => {
    it('should hold every field but the payload of the largest envelope the schema allows', () => {
      // Each field at its longest; the key id made of characters JSON must escape (6 bytes each).
      const largest = {
        commandId: 'ffffffff-ffff-7fff-bfff-ffffffffffff',
        tenantId: `t${'x'.repeat(63)}`,
        storeId: `s${'x'.repeat(63)}`,
        seq: INT32_MAX,
        domain: 'settings',
        type: 'SETTINGS_PATCH',
        revision: INT32_MAX,
        baseRevision: INT32_MAX - 1,
        payload: {},
        issuedAt: '2026-12-01T10:00:00.123456789+14:00',
        expiresAt: '2026-12-08T10:00:00.123456789+14:00',
        keyId: '\u0001'.repeat(128),
        signature: 'A'.repeat(86),
      };
      expect(validate(commandEnvelopeSchema, largest).ok).toBe(true);
      const rest = jsonByteLength(largest) - jsonByteLength({});
      expect(rest).toBeLessThan(COMMAND_ENVELOPE_OVERHEAD_BYTES);
      expect(MAX_COMMAND_PAYLOAD_BYTES + COMMAND_ENVELOPE_OVERHEAD_BYTES).toBe(MAX_COMMAND_ENVELOPE_BYTES);
    });
  });

  describe('jsonByteLength', () => {
    it('should measure what a payload adds to the signed envelope: its canonical JSON in UTF-8', () => {
      const payload = { values: { 'receipt.footer': 'Merci — à bientôt 🍕', 'tables.count': 12, 'a"quote': 'line\nbreak' } };
      expect(jsonByteLength(payload)).toBe(Buffer.byteLength(canonicalize(payload), 'utf8'));
    });
  });
});
