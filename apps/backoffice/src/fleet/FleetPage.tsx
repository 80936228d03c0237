import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { SYNC_DOMAINS, type FleetResponse, type FleetStoreView } from '@app/contracts';
import { useSignedIn } from '../auth/AuthContext.js';
import { useLoad } from '../common/hooks.js';
import { ago, duration, plural } from '../common/format.js';
import { Badge, Empty, ErrorBanner, Loading } from '../common/ui.js';
import { CreateStoreForm } from './CreateStoreForm.js';

/** How often the fleet view refreshes by itself. */
export const FLEET_REFRESH_MS = 5_000;

type StatusFilter = 'all' | 'online' | 'offline' | 'drift' | 'failing';
type SortKey = 'problems' | 'code' | 'heartbeat';

/** How bad a store looks: dead letters, then offline, then failures, drift and backlog. */
function trouble(s: FleetStoreView): number {
  const drift = SYNC_DOMAINS.filter((d) => s.domains[d].drift).length;
  return s.commands.deadLettered * 1000 + (s.online ? 0 : 500) + s.commands.failed * 100 + drift * 10 + ((s.outboxDepth ?? 0) > 0 ? 1 : 0);
}

const SORTS: Record<SortKey, { label: string; compare: (a: FleetStoreView, b: FleetStoreView) => number }> = {
  problems: { label: 'Problems first', compare: (a, b) => trouble(b) - trouble(a) || a.code.localeCompare(b.code) },
  code: { label: 'Store code', compare: (a, b) => a.code.localeCompare(b.code) },
  heartbeat: {
    label: 'Oldest heartbeat first',
    compare: (a, b) => (Date.parse(a.lastHeartbeatAt ?? '') || 0) - (Date.parse(b.lastHeartbeatAt ?? '') || 0) || a.code.localeCompare(b.code),
  },
};

const FILTERS: Record<StatusFilter, { label: string; test: (s: FleetStoreView) => boolean }> = {
  all: { label: 'All stores', test: () => true },
  online: { label: 'Online', test: (s) => s.online },
  offline: { label: 'Offline', test: (s) => !s.online },
  drift: { label: 'Revision drift', test: (s) => SYNC_DOMAINS.some((d) => s.domains[d].drift) },
  failing: { label: 'Failed or dead-lettered commands', test: (s) => s.commands.failed + s.commands.deadLettered > 0 },
};

export function FleetPage() {
  const { api, can } = useSignedIn();
  const fleet = useLoad(() => api.get<FleetResponse>('/stores'), [api], FLEET_REFRESH_MS);
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<StatusFilter>('all');
  const [sort, setSort] = useState<SortKey>('problems');
  const [creating, setCreating] = useState(false);

  const stores = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (fleet.data?.stores ?? [])
      .filter((s) => FILTERS[status].test(s) && (!q || `${s.code} ${s.name} ${s.softwareVersion ?? ''}`.toLowerCase().includes(q)))
      .sort(SORTS[sort].compare);
  }, [fleet.data, search, status, sort]);
  const all = fleet.data?.stores ?? [];
  const online = all.filter((s) => s.online).length;

  return (
    <section>
      <div className="page-header">
        <div>
          <h1>Fleet</h1>
          {fleet.data && (
            <p className="muted">
              {plural(all.length, 'store')} · {online} online · {all.length - online} offline · refreshed {ago(fleet.data.generatedAt)} (every{' '}
              {FLEET_REFRESH_MS / 1000} s)
            </p>
          )}
        </div>
        {can.manageStores && (
          <button type="button" className="btn btn--primary" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
            New store
          </button>
        )}
      </div>
      {creating && (
        <CreateStoreForm
          onCreated={() => {
            setCreating(false);
            void fleet.reload();
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      <div className="toolbar">
        <div className="toolbar__field">
          <label htmlFor="fleet-search">Search</label>
          <input id="fleet-search" type="search" placeholder="Code, name or version" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="toolbar__field">
          <label htmlFor="fleet-status">Show</label>
          <select id="fleet-status" value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
            {Object.entries(FILTERS).map(([key, f]) => (
              <option key={key} value={key}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <div className="toolbar__field">
          <label htmlFor="fleet-sort">Sort</label>
          <select id="fleet-sort" value={sort} onChange={(e) => setSort(e.target.value as SortKey)}>
            {Object.entries(SORTS).map(([key, o]) => (
              <option key={key} value={key}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorBanner error={fleet.error} onRetry={() => void fleet.reload()} />
      {!fleet.data && fleet.loading && <Loading what="the fleet" />}
      {fleet.data && stores.length === 0 && <Empty>{all.length === 0 ? 'No stores yet.' : 'No store matches the filter.'}</Empty>}
      {stores.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Stores">
            <thead>
              <tr>
                <th scope="col">Store</th>
                <th scope="col">Status</th>
                <th scope="col">Last heartbeat</th>
                <th scope="col">Version</th>
                {SYNC_DOMAINS.map((d) => (
                  <th scope="col" key={d} title="applied / desired revision">
                    {d}
                  </th>
                ))}
                <th scope="col">Pending</th>
                <th scope="col">Dead-lettered</th>
                <th scope="col">Outbox</th>
                <th scope="col">Sync lag</th>
              </tr>
            </thead>
            <tbody>
              {stores.map((s) => (
                <FleetRow key={s.id} store={s} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function FleetRow({ store: s }: { store: FleetStoreView }) {
  return (
    <tr>
      <th scope="row">
        <Link to={`/stores/${s.id}`}>
          <span className="code">{s.code}</span> {s.name}
        </Link>
      </th>
      <td>{s.online ? <Badge tone="ok">online</Badge> : <Badge tone="bad">offline</Badge>}</td>
      <td title={s.lastHeartbeatAt ?? ''}>{ago(s.lastHeartbeatAt)}</td>
      <td>{s.softwareVersion ?? '—'}</td>
      {SYNC_DOMAINS.map((d) => {
        const r = s.domains[d];
        return (
          <td
            key={d}
            className={r.drift ? 'drift' : undefined}
            title={r.drift ? `drift: desired r${r.desiredRevision}, applied r${r.appliedRevision}` : 'in sync'}
          >
            {r.appliedRevision}/{r.desiredRevision}
            {r.drift && <span className="sr-only"> (drift)</span>}
          </td>
        );
      })}
      <td className="num">{s.commands.pending}</td>
      <td className={`num${s.commands.deadLettered > 0 ? ' cell--bad' : ''}`}>
        {s.commands.deadLettered > 0 ? (
          <Link to={`/stores/${s.id}/commands?status=DEAD_LETTER`} aria-label={`${plural(s.commands.deadLettered, 'dead-lettered command')} of ${s.code}`}>
            {s.commands.deadLettered}
          </Link>
        ) : (
          0
        )}
      </td>
      <td className="num">{s.outboxDepth ?? '—'}</td>
      <td>{duration(s.syncLagSeconds)}</td>
    </tr>
  );
}
