import { useState, type FormEvent } from 'react';
import {
  SYNC_DOMAINS,
  idSchema,
  type BootstrapTokenResponse,
  type DeviceTokenResponse,
  type FleetStoreView,
  type LatestRevisionsResponse,
  type StoreNodesResponse,
  type StoreNodeView,
} from '@app/contracts';
import { useSignedIn } from '../auth/AuthContext.js';
import { useLoad } from '../common/hooks.js';
import { ago, dateTime, duration, plural } from '../common/format.js';
import { Badge, ErrorBanner, Field, Loading, Notice } from '../common/ui.js';

export function OverviewTab({ store, onChanged }: { store: FleetStoreView; onChanged: () => void }) {
  const { api, can } = useSignedIn();
  const revisions = useLoad(() => api.get<LatestRevisionsResponse>(`/stores/${store.id}/revisions/latest`), [api, store.id, store.lastHeartbeatAt]);
  const nodes = useLoad(() => api.get<StoreNodesResponse>(`/stores/${store.id}/nodes`), [api, store.id]);

  return (
    <div className="overview">
      <div className="cards">
        <div className="card stat">
          <h3>Node</h3>
          <p>{store.online ? <Badge tone="ok">online</Badge> : <Badge tone="bad">offline</Badge>}</p>
          <p className="muted">heartbeat {ago(store.lastHeartbeatAt)}</p>
          <p className="muted">edge {store.edgeReachable === null ? 'unknown' : store.edgeReachable ? 'reachable' : 'unreachable'}</p>
        </div>
        <div className="card stat">
          <h3>Commands</h3>
          <p>
            <strong>{store.commands.pending}</strong> pending · <strong>{store.commands.failed}</strong> failed ·{' '}
            <strong className={store.commands.deadLettered ? 'text-bad' : undefined}>{store.commands.deadLettered}</strong> dead-lettered
          </p>
        </div>
        <div className="card stat">
          <h3>Uplink</h3>
          <p>
            outbox <strong>{store.outboxDepth === null ? '—' : plural(store.outboxDepth, 'event')}</strong>
          </p>
          <p className="muted">sync lag {duration(store.syncLagSeconds)}</p>
        </div>
      </div>

      <h2>Revisions</h2>
      <ErrorBanner error={revisions.error} onRetry={() => void revisions.reload()} />
      {revisions.data ? (
        <div className="table-wrap">
          <table className="table" aria-label="Revisions per domain">
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col">Desired</th>
                <th scope="col">Applied</th>
                <th scope="col">State</th>
                <th scope="col">Published</th>
              </tr>
            </thead>
            <tbody>
              {SYNC_DOMAINS.map((d) => {
                const r = revisions.data!.domains[d];
                return (
                  <tr key={d}>
                    <th scope="row">{d}</th>
                    <td className="num">r{r.desiredRevision}</td>
                    <td className="num">
                      r{r.appliedRevision} <span className="muted">{r.appliedAt ? ago(r.appliedAt) : ''}</span>
                    </td>
                    <td className={r.drift ? 'drift' : undefined}>{r.drift ? <Badge tone="warn">drift</Badge> : <Badge tone="ok">in sync</Badge>}</td>
                    <td>{r.publishedAt ? `${dateTime(r.publishedAt)} by ${r.publishedBy ?? 'system'}` : 'never'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        revisions.loading && <Loading what="the revisions" />
      )}

      <h2>Nodes</h2>
      <ErrorBanner error={nodes.error} onRetry={() => void nodes.reload()} />
      {nodes.data && nodes.data.nodes.length === 0 && (
        <p className="muted">
          No node registered yet{can.manageNodes ? ': issue a bootstrap token below and give it to the store agent (BOOTSTRAP_TOKEN).' : '.'}
        </p>
      )}
      {nodes.data && nodes.data.nodes.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Nodes">
            <thead>
              <tr>
                <th scope="col">Hostname</th>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col">Registered</th>
                <th scope="col">Last seen</th>
                {can.manageNodes && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {nodes.data.nodes.map((n) => (
                <NodeRow
                  key={n.id}
                  node={n}
                  canRevoke={can.manageNodes}
                  onRevoked={() => {
                    void nodes.reload();
                    onChanged();
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {can.manageNodes && (
        <div className="cards">
          <BootstrapTokenCard storeId={store.id} />
          <DeviceTokenCard storeId={store.id} />
        </div>
      )}
    </div>
  );
}

function NodeRow({ node: n, canRevoke, onRevoked }: { node: StoreNodeView; canRevoke: boolean; onRevoked: () => void }) {
  const { api } = useSignedIn();
  const [revoking, setRevoking] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [reasonError, setReasonError] = useState<string | undefined>();
  const revoke = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return setReasonError('is required');
    try {
      await api.post(`/nodes/${n.id}/revoke`, { reason: reason.trim() });
      setRevoking(false);
      onRevoked();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <tr>
        <td className="code">{n.hostname}</td>
        <td>{n.softwareVersion}</td>
        <td>{n.status === 'ACTIVE' ? <Badge tone="ok">active</Badge> : <Badge tone="muted">revoked</Badge>}</td>
        <td>{dateTime(n.registeredAt)}</td>
        <td>{n.status === 'REVOKED' ? `revoked ${dateTime(n.revokedAt)}: ${n.revokedReason ?? ''}` : ago(n.lastSeenAt)}</td>
        {canRevoke && (
          <td>
            {n.status === 'ACTIVE' && (
              <button type="button" className="btn btn--small btn--danger" onClick={() => setRevoking((r) => !r)} aria-expanded={revoking}>
                Revoke
              </button>
            )}
          </td>
        )}
      </tr>
      {revoking && (
        <tr>
          <td colSpan={6}>
            <form className="inline-form" onSubmit={revoke} aria-label={`Revoke node ${n.hostname}`}>
              <ErrorBanner error={error} />
              <Field label="Reason for revoking" error={reasonError}>
                {(p) => <input {...p} value={reason} onChange={(e) => (setReason(e.target.value), setReasonError(undefined))} />}
              </Field>
              <button type="submit" className="btn btn--danger">
                Revoke node now
              </button>
              <span className="muted">The node is locked out at once; a new one registers with a new bootstrap token.</span>
            </form>
          </td>
        </tr>
      )}
    </>
  );
}

function TokenOutput({ label, token, expiresAt }: { label: string; token: string; expiresAt: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Notice kind="success">
      <Field label={label} hint={`Shown once. Expires ${dateTime(expiresAt)}.`}>
        {(p) => <input {...p} readOnly value={token} className="input--token" onFocus={(e) => e.target.select()} />}
      </Field>
      <button type="button" className="btn btn--small" onClick={() => void navigator.clipboard?.writeText(token).then(() => setCopied(true))}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </Notice>
  );
}

function BootstrapTokenCard({ storeId }: { storeId: string }) {
  const { api } = useSignedIn();
  const [hours, setHours] = useState('24');
  const [result, setResult] = useState<BootstrapTokenResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [hoursError, setHoursError] = useState<string | undefined>();
  const issue = async (e: FormEvent) => {
    e.preventDefault();
    const h = Number(hours);
    if (!Number.isFinite(h) || h < 1 / 60 || h > 168) return setHoursError('must be between 1 minute and 168 hours');
    setError(null);
    try {
      setResult(await api.post<BootstrapTokenResponse>(`/stores/${storeId}/nodes/bootstrap`, { ttlSeconds: Math.round(h * 3600) }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card" onSubmit={issue} aria-label="Bootstrap token">
      <h3>Bootstrap token</h3>
      <p className="muted">One-time token a store agent trades for its node credentials.</p>
      <ErrorBanner error={error} />
      <Field label="Bootstrap token valid for (hours)" error={hoursError}>
        {(p) => <input {...p} inputMode="decimal" value={hours} onChange={(e) => (setHours(e.target.value), setHoursError(undefined))} />}
      </Field>
      <button type="submit" className="btn btn--primary">
        Issue bootstrap token
      </button>
      {result && <TokenOutput label="Bootstrap token" token={result.token} expiresAt={result.expiresAt} />}
    </form>
  );
}

function DeviceTokenCard({ storeId }: { storeId: string }) {
  const { api } = useSignedIn();
  const [deviceId, setDeviceId] = useState('');
  const [hours, setHours] = useState('12');
  const [result, setResult] = useState<DeviceTokenResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [errors, setErrors] = useState<{ deviceId?: string; hours?: string }>({});
  const issue = async (e: FormEvent) => {
    e.preventDefault();
    const h = Number(hours);
    const next: typeof errors = {};
    const id = idSchema.safeParse(deviceId.trim());
    if (!id.success) next.deviceId = deviceId.trim() ? id.error.issues[0]!.message : 'is required';
    if (!Number.isFinite(h) || h < 1 / 60 || h > 720) next.hours = 'must be between 1 minute and 720 hours';
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setError(null);
    try {
      setResult(await api.post<DeviceTokenResponse>(`/stores/${storeId}/device-tokens`, { deviceId: deviceId.trim(), ttlSeconds: Math.round(h * 3600) }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card" onSubmit={issue} aria-label="Device token">
      <h3>Device token</h3>
      <p className="muted">A cluster token for a till, KDS or BDS to join the store hub.</p>
      <ErrorBanner error={error} />
      <Field label="Device id" error={errors.deviceId}>
        {(p) => <input {...p} value={deviceId} placeholder="till-1" onChange={(e) => setDeviceId(e.target.value)} />}
      </Field>
      <Field label="Device token valid for (hours)" error={errors.hours}>
        {(p) => <input {...p} inputMode="decimal" value={hours} onChange={(e) => setHours(e.target.value)} />}
      </Field>
      <button type="submit" className="btn btn--primary">
        Issue device token
      </button>
      {result && <TokenOutput label="Device token" token={result.token} expiresAt={result.expiresAt} />}
    </form>
  );
}
