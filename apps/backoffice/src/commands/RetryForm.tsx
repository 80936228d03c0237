import { useState, type FormEvent } from 'react';
import type { BulkRetryResponse } from '@app/contracts';
import { useSignedIn } from '../auth/AuthContext.js';
import { plural } from '../common/format.js';
import { ErrorBanner, Field, Notice } from '../common/ui.js';

/** Retry one or many failed or dead-lettered commands, with a reason for the audit log. */
export function RetryForm({ commandIds, onDone, onCancel }: { commandIds: string[]; onDone: (res: BulkRetryResponse) => void; onCancel: () => void }) {
  const { api } = useSignedIn();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [skipped, setSkipped] = useState<BulkRetryResponse['skipped']>([]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api.post<BulkRetryResponse>('/commands/retry', { commandIds, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      if (res.skipped.length > 0) setSkipped(res.skipped);
      else onDone(res);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card retry-form" onSubmit={submit} aria-label="Retry commands">
      <h3>Retry {plural(commandIds.length, 'command')}</h3>
      <p className="muted">
        They go back to PENDING with their attempts reset; the agent picks them up on its next poll. The retry is audited with your reason.
      </p>
      <ErrorBanner error={error} />
      {skipped.length > 0 && (
        <Notice kind="warning">
          Some were not retried:
          <ul>
            {skipped.map((s) => (
              <li key={s.commandId}>
                <span className="code">{s.commandId}</span>: {s.message} ({s.code})
              </li>
            ))}
          </ul>
        </Notice>
      )}
      <Field label="Reason" hint="e.g. edge restored after power cut">
        {(p) => <input {...p} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} autoFocus />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? 'Retrying…' : 'Retry now'}
        </button>
        <button type="button" className="btn" onClick={skipped.length > 0 ? () => onDone({ retried: [], skipped }) : onCancel}>
          {skipped.length > 0 ? 'Close' : 'Cancel'}
        </button>
      </div>
    </form>
  );
}
