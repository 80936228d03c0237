import { ACK_ERROR_CODES, type AckErrorCode } from '@app/contracts';
import { HttpUnreachableError, errorOf, type HttpAnswer } from '../common/http-json.js';

export type ApplyOutcome = { ok: true; appliedRevision: number; alreadyApplied: boolean } | { ok: false; code: AckErrorCode; detail: string };

/** The final codes the hub's own check of the envelope may answer with (an older hub: UNKNOWN_DOMAIN). */
const EDGE_SIGNATURE_CODES = new Set<AckErrorCode>(['SIGNATURE_INVALID', 'UNKNOWN_KEY', 'UNKNOWN_DOMAIN', 'WRONG_STORE', 'EXPIRED']);

function detailOf(answer: HttpAnswer): string {
  const { code, message } = errorOf(answer.body);
  const details = answer.body && typeof answer.body === 'object' ? (answer.body as { details?: unknown }).details : undefined;
  const extra = details === undefined ? '' : ` ${JSON.stringify(details).slice(0, 2_000)}`;
  return `edge answered ${answer.status}${code ? ` ${code}` : ''}: ${message}${extra}`;
}

/**
 * Maps the hub's answer to `POST /api/v1/commands/apply` to an ack: 2xx applied; 409 revision
 * conflict; 413 the envelope is larger than the hub accepts (final: the same bytes never fit);
 * 422 invalid payload (or the hub's own signature verdict); no answer or 5xx the hub is
 * unavailable; anything else is unexpected (INTERNAL, retryable).
 */
export function applyOutcomeOf(answer: HttpAnswer | HttpUnreachableError): ApplyOutcome {
  if (answer instanceof HttpUnreachableError) return { ok: false, code: 'EDGE_UNAVAILABLE', detail: answer.message };
  const { status, body } = answer;
  if (status >= 200 && status < 300) {
    const revision = body && typeof body === 'object' ? (body as { appliedRevision?: unknown }).appliedRevision : undefined;
    if (typeof revision !== 'number' || !Number.isInteger(revision) || revision < 1) {
      return { ok: false, code: 'INTERNAL', detail: `edge answered ${status} without an appliedRevision: ${JSON.stringify(body).slice(0, 300)}` };
    }
    return { ok: true, appliedRevision: revision, alreadyApplied: (body as { alreadyApplied?: unknown }).alreadyApplied === true };
  }
  if (status === 409) {
    const current = body && typeof body === 'object' ? (body as { currentRevision?: unknown }).currentRevision : undefined;
    return { ok: false, code: 'REVISION_CONFLICT', detail: `${detailOf(answer)}${typeof current === 'number' ? ` (edge is at revision ${current})` : ''}` };
  }
  if (status === 413) return { ok: false, code: 'PAYLOAD_TOO_LARGE', detail: detailOf(answer) };
  if (status === 422) {
    const { code } = errorOf(body);
    const known = code !== null && (ACK_ERROR_CODES as readonly string[]).includes(code) && EDGE_SIGNATURE_CODES.has(code as AckErrorCode);
    return { ok: false, code: known ? (code as AckErrorCode) : 'INVALID_PAYLOAD', detail: detailOf(answer) };
  }
  if (status >= 500) return { ok: false, code: 'EDGE_UNAVAILABLE', detail: detailOf(answer) };
  return { ok: false, code: 'INTERNAL', detail: detailOf(answer) };
}
