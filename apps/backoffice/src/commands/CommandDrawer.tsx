import { useState, type FormEvent } from 'react';
import type { CommandDetailView } from '@app/contracts';
import { useSignedIn } from '../auth/AuthContext.js';
import { useLoad } from '../common/hooks.js';
import { dateTime, time } from '../common/format.js';
import { isNotFound } from '../common/NotFound.js';
import { ActorName, Drawer, ErrorBanner, Field, Loading, Notice, StatusBadge } from '../common/ui.js';
import { BlockedBy } from './BlockedBy.js';
import { COMMANDS_REFRESH_MS } from './refresh.js';

/** One command: what it carries, and every state change it went through (attempts, error codes, details). */
export function CommandDrawer({ commandId, onClose, onChanged }: { commandId: string; onClose: () => void; onChanged: () => void }) {
  const { api, can } = useSignedIn();
  const detail = useLoad(() => api.get<CommandDetailView>(`/commands/${commandId}`), [api, commandId], COMMANDS_REFRESH_MS);
  const c = detail.data;
  if (isNotFound(detail.error))
    return (
      <Drawer title="Command not found" onClose={onClose}>
        <p className="muted">There is no such command in your fleet.</p>
        <button type="button" className="btn" onClick={onClose}>
          Back to the commands
        </button>
      </Drawer>
    );
  return (
    <Drawer title={c ? `Command ${c.seq} · ${c.storeCode}` : 'Command'} onClose={onClose}>
      <ErrorBanner error={detail.error} onRetry={() => void detail.reload()} />
      {!c && detail.loading && <Loading what="the command" />}
      {c && (
        <>
          <dl className="facts">
            <dt>State</dt>
            <dd>
              <StatusBadge status={c.status} />
            </dd>
            <dt>Command id</dt>
            <dd className="code">{c.commandId}</dd>
            <dt>Type</dt>
            <dd>
              {c.type} ({c.domain})
            </dd>
            <dt>Revision</dt>
            <dd>
              r{c.revision} on r{c.baseRevision ?? '—'}
              {c.appliedRevision !== null && ` · applied r${c.appliedRevision}`}
            </dd>
            <dt>Attempts</dt>
            <dd>
              {c.attempts} of {c.maxAttempts}
              {c.nextAttemptAt && ` · next ${dateTime(c.nextAttemptAt)}`}
            </dd>
            <dt>Created</dt>
            <dd>{dateTime(c.createdAt)}</dd>
            <dt>Delivered</dt>
            <dd>{dateTime(c.deliveredAt)}</dd>
            <dt>Acked</dt>
            <dd>{dateTime(c.ackedAt)}</dd>
            <dt>Expires</dt>
            <dd>{dateTime(c.expiresAt)}</dd>
            {c.lastErrorCode && (
              <>
                <dt>Last error</dt>
                <dd>
                  <span className="code">{c.lastErrorCode}</span> {c.lastErrorDetail}
                </dd>
              </>
            )}
          </dl>
          {c.blockedBy && (
            <Notice kind="warning">
              Waiting: <BlockedBy blockedBy={c.blockedBy} />. The next publish of the {c.domain} replaces it with a snapshot of the whole {c.domain};
              reconciliation does the same at its next pass.
            </Notice>
          )}
          {c.status === 'DEAD_LETTER' && (
            <p className="muted">
              A dead-lettered command holds back the later commands of its domain for this store until it is retried, or until the next publish of the{' '}
              {c.domain} supersedes it with a snapshot of the whole {c.domain}.
            </p>
          )}
          {can.retryCommands && (c.status === 'DEAD_LETTER' || c.status === 'FAILED') && (
            <RetryOne
              commandId={c.commandId}
              onDone={() => {
                void detail.reload();
                onChanged();
              }}
            />
          )}
          <h3>Log</h3>
          <div className="table-wrap">
            <table className="table table--compact" aria-label="Command log">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Change</th>
                  <th scope="col">Event</th>
                  <th scope="col">Attempt</th>
                  <th scope="col">Error</th>
                  <th scope="col">By</th>
                </tr>
              </thead>
              <tbody>
                {c.logs.map((l) => (
                  <tr key={l.id}>
                    <td className="nowrap" title={dateTime(l.at)}>
                      {time(l.at)}
                    </td>
                    <td>
                      {l.fromStatus ?? '∅'} → <StatusBadge status={l.toStatus} />
                    </td>
                    <td>{l.event}</td>
                    <td className="num">{l.attempt}</td>
                    <td>
                      {l.errorCode ? <span className="code">{l.errorCode}</span> : '—'}
                      {l.errorDetail && <div className="error-detail">{l.errorDetail}</div>}
                    </td>
                    <td>
                      <ActorName type={l.actorType} id={l.actorId} label={l.actorLabel} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <details>
            <summary>Payload</summary>
            <pre className="payload">{JSON.stringify(c.payload, null, 2)}</pre>
          </details>
        </>
      )}
    </Drawer>
  );
}

function RetryOne({ commandId, onDone }: { commandId: string; onDone: () => void }) {
  const { api } = useSignedIn();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post(`/commands/${commandId}/retry`, reason.trim() ? { reason: reason.trim() } : {});
      setReason('');
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="retry-one" onSubmit={submit} aria-label="Retry this command">
      <ErrorBanner error={error} />
      <Field label="Retry reason">
        {(p) => <input {...p} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="why it should work now" />}
      </Field>
      <button type="submit" className="btn btn--primary" disabled={busy}>
        {busy ? 'Retrying…' : 'Retry command'}
      </button>
    </form>
  );
}
