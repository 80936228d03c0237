import { isRetryableAckError } from '@app/contracts';
import { HttpUnreachableError } from '../common/http-json.js';
import { applyOutcomeOf } from './edge-apply-outcome.js';

describe('applyOutcomeOf', () => {
  it('should read a success and whether it was a repeat', () => {
    expect(applyOutcomeOf({ status: 200, body: { commandId: 'c', appliedRevision: 4, alreadyApplied: false } })).toEqual({
      ok: true,
      appliedRevision: 4,
      alreadyApplied: false,
    });
    expect(applyOutcomeOf({ status: 201, body: { commandId: 'c', appliedRevision: 4, alreadyApplied: true } })).toEqual({
      ok: true,
      appliedRevision: 4,
      alreadyApplied: true,
    });
  });

  it('should take a success without a revision as INTERNAL', () => {
    expect(applyOutcomeOf({ status: 200, body: {} })).toEqual(expect.objectContaining({ ok: false, code: 'INTERNAL' }));
  });

  it('should map 409 to REVISION_CONFLICT with the hub revision', () => {
    const outcome = applyOutcomeOf({
      status: 409,
      body: { statusCode: 409, code: 'REVISION_CONFLICT', message: 'base revision 1 is not the current revision 3', currentRevision: 3 },
    });
    expect(outcome).toEqual({
      ok: false,
      code: 'REVISION_CONFLICT',
      detail: 'edge answered 409 REVISION_CONFLICT: base revision 1 is not the current revision 3 (edge is at revision 3)',
    });
  });

  it('should map 422 to INVALID_PAYLOAD with the reasons, or to the hub signature code', () => {
    const invalid = applyOutcomeOf({
      status: 422,
      body: { statusCode: 422, code: 'INVALID_PAYLOAD', message: 'bad', details: [{ path: 'payload.items[0].sku' }] },
    });
    expect(invalid).toEqual({ ok: false, code: 'INVALID_PAYLOAD', detail: 'edge answered 422 INVALID_PAYLOAD: bad [{"path":"payload.items[0].sku"}]' });
    expect(applyOutcomeOf({ status: 422, body: { code: 'SIGNATURE_INVALID', message: 'no' } })).toEqual(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
    expect(applyOutcomeOf({ status: 422, body: { code: 'UNKNOWN_KEY', message: 'no' } })).toEqual(expect.objectContaining({ code: 'UNKNOWN_KEY' }));
    // An agent newer than its hub: the hub lacks the domain, and says so with the final code.
    expect(applyOutcomeOf({ status: 422, body: { code: 'UNKNOWN_DOMAIN', message: "this version does not know the domain 'features'" } })).toEqual(
      expect.objectContaining({ code: 'UNKNOWN_DOMAIN' }),
    );
    expect(applyOutcomeOf({ status: 422, body: { code: 'REVISION_CONFLICT', message: 'odd' } })).toEqual(expect.objectContaining({ code: 'INVALID_PAYLOAD' }));
  });

  it('should map 413 to the final PAYLOAD_TOO_LARGE, never to the retryable INTERNAL', () => {
    const outcome = applyOutcomeOf({ status: 413, body: { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' } });
    expect(outcome).toEqual({ ok: false, code: 'PAYLOAD_TOO_LARGE', detail: 'edge answered 413 PAYLOAD_TOO_LARGE: request body is too large' });
    expect(isRetryableAckError('PAYLOAD_TOO_LARGE')).toBe(false);
    // A proxy in front of the hub may answer 413 without our body.
    expect(applyOutcomeOf({ status: 413, body: null })).toEqual({ ok: false, code: 'PAYLOAD_TOO_LARGE', detail: 'edge answered 413: no body' });
  });

  it('should map no answer and 5xx to EDGE_UNAVAILABLE', () => {
    expect(applyOutcomeOf(new HttpUnreachableError('http://127.0.0.1:1/api/v1/commands/apply', 'ECONNREFUSED'))).toEqual({
      ok: false,
      code: 'EDGE_UNAVAILABLE',
      detail: 'http://127.0.0.1:1/api/v1/commands/apply is unreachable: ECONNREFUSED',
    });
    expect(applyOutcomeOf({ status: 503, body: null })).toEqual({ ok: false, code: 'EDGE_UNAVAILABLE', detail: 'edge answered 503: no body' });
  });

  it('should map anything else to INTERNAL', () => {
    expect(applyOutcomeOf({ status: 401, body: { statusCode: 401, code: 'UNAUTHORIZED', message: 'unauthorized' } })).toEqual({
      ok: false,
      code: 'INTERNAL',
      detail: 'edge answered 401 UNAUTHORIZED: unauthorized',
    });
    expect(applyOutcomeOf({ status: 404, body: null })).toEqual(expect.objectContaining({ code: 'INTERNAL' }));
  });
});
