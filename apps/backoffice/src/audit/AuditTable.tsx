import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { AuditEntryView, AuditListResponse, FleetResponse } from '@app/contracts';
import { useSignedIn } from '../auth/AuthContext.js';
import { useLoad } from '../common/hooks.js';
import { dateTime, shortId } from '../common/format.js';
import { ActorName, Empty, ErrorBanner, Loading } from '../common/ui.js';

/** The audit log (append-only), newest first: one store's (storeId) or the tenant's, with a store filter. */
export function AuditTable({ storeId }: { storeId?: string }) {
  const { api } = useSignedIn();
  const [storeFilter, setStoreFilter] = useState('');
  const [search, setSearch] = useState('');
  const [older, setOlder] = useState<AuditEntryView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const store = storeId ?? (storeFilter || undefined);
  const first = useLoad(async () => {
    const res = await api.get<AuditListResponse>('/audit', { storeId: store, limit: 100 });
    setOlder([]);
    setCursor(res.nextCursor);
    return res;
  }, [api, store]);
  const fleet = useLoad(() => api.get<FleetResponse>('/stores'), [api]);
  const codes = new Map((fleet.data?.stores ?? []).map((s) => [s.id, s.code]));
  const loadMore = async () => {
    if (!cursor) return;
    try {
      const res = await api.get<AuditListResponse>('/audit', { storeId: store, limit: 100, cursor });
      setOlder((o) => [...o, ...res.entries]);
      setCursor(res.nextCursor);
    } catch (error) {
      setMoreError(error);
    }
  };
  const q = search.trim().toLowerCase();
  const entries = [...(first.data?.entries ?? []), ...older].filter(
    (e) => !q || `${e.action} ${e.actorLabel ?? ''} ${e.targetType} ${e.targetId ?? ''} ${JSON.stringify(e.details ?? {})}`.toLowerCase().includes(q),
  );

  return (
    <section aria-label="Audit log">
      <div className="toolbar">
        {!storeId && (
          <div className="toolbar__field">
            <label htmlFor="audit-store">Store</label>
            <select id="audit-store" value={storeFilter} onChange={(e) => setStoreFilter(e.target.value)}>
              <option value="">All stores</option>
              {(fleet.data?.stores ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.code} {s.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="toolbar__field">
          <label htmlFor="audit-search">Search</label>
          <input id="audit-search" type="search" placeholder="Action, operator, target…" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <button type="button" className="btn" onClick={() => void first.reload()}>
          Refresh
        </button>
      </div>
      <ErrorBanner error={first.error ?? moreError} onRetry={() => void first.reload()} />
      {!first.data && first.loading && <Loading what="the audit log" />}
      {first.data && entries.length === 0 && <Empty>No audit entry.</Empty>}
      {entries.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Audit entries">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                {!storeId && <th scope="col">Store</th>}
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{dateTime(e.at)}</td>
                  <td>
                    <ActorName type={e.actorType} id={e.actorId} label={e.actorLabel} />
                  </td>
                  <td>
                    <span className="code">{e.action}</span>
                  </td>
                  {!storeId && <td>{e.storeId ? <Link to={`/stores/${e.storeId}/audit`}>{codes.get(e.storeId) ?? shortId(e.storeId)}</Link> : '—'}</td>}
                  <td>
                    {e.targetType}
                    {e.targetId && <span className="muted code"> {shortId(e.targetId)}</span>}
                  </td>
                  <td className="details-cell">{e.details ? summarize(e.details) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button type="button" className="btn" onClick={() => void loadMore()}>
          Load older entries
        </button>
      )}
    </section>
  );
}

function summarize(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}
