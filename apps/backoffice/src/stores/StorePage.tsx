import { NavLink, useParams } from 'react-router-dom';
import type { ReactNode } from 'react';
import { DOMAINS, SYNC_DOMAINS, isSyncDomain, type FleetStoreView, type SyncDomain } from '@app/contracts';
import { AuditTable } from '../audit/AuditTable.js';
import { useSignedIn } from '../auth/AuthContext.js';
import { CommandsTable } from '../commands/CommandsTable.js';
import { useLoad } from '../common/hooks.js';
import { ago } from '../common/format.js';
import { NotFound, isNotFound } from '../common/NotFound.js';
import { Badge, ErrorBanner, Loading } from '../common/ui.js';
import { MenuEditor } from '../editors/MenuEditor.js';
import { RolesEditor } from '../editors/RolesEditor.js';
import { SettingsEditor } from '../editors/SettingsEditor.js';
import { UsersEditor } from '../editors/UsersEditor.js';
import { FLEET_REFRESH_MS } from '../fleet/FleetPage.js';
import { SalesTab } from '../sales/SalesTab.js';
import { OverviewTab } from './OverviewTab.js';

/** The editor of each registered domain: a domain added to the registry without one does not compile. */
const EDITORS: { readonly [D in SyncDomain]: (props: { storeId: string }) => ReactNode } = {
  menu: MenuEditor,
  settings: SettingsEditor,
  users: UsersEditor,
  roles: RolesEditor,
};

/** The store's sections: the overview, a tab per registered domain (the menu first), then the store's activity. */
const DOMAIN_TABS: [SyncDomain, string][] = [...SYNC_DOMAINS].sort((a, b) => Number(b === 'menu') - Number(a === 'menu')).map((d) => [d, DOMAINS[d].title]);
const TABS: [string, string][] = [['overview', 'Overview'], ...DOMAIN_TABS, ['commands', 'Commands'], ['sales', 'Sales'], ['audit', 'Audit']];

function DomainEditor({ domain, storeId }: { domain: SyncDomain; storeId: string }) {
  const Editor = EDITORS[domain];
  return <Editor storeId={storeId} />;
}

export function StorePage() {
  const { storeId = '', tab = 'overview' } = useParams();
  const { api } = useSignedIn();
  const store = useLoad(() => api.get<FleetStoreView>(`/stores/${storeId}`), [api, storeId], FLEET_REFRESH_MS);
  const s = store.data;
  const current = TABS.find(([t]) => t === tab)?.[0];
  if (!current) return <NotFound back={{ to: `/stores/${storeId}`, label: 'Back to the store' }} />;
  if (isNotFound(store.error)) return <NotFound title="Store not found">There is no store {storeId} in your fleet.</NotFound>;

  return (
    <section>
      <div className="page-header">
        <div>
          <p className="crumbs">
            <NavLink to="/">Fleet</NavLink> / store
          </p>
          <h1>{s ? `${s.code} · ${s.name}` : 'Store'}</h1>
          {s && (
            <p className="muted">
              {s.online ? <Badge tone="ok">online</Badge> : <Badge tone="bad">offline</Badge>} last heartbeat {ago(s.lastHeartbeatAt)} · version{' '}
              {s.softwareVersion ?? '—'} · {s.timezone}
              {s.commands.deadLettered > 0 && (
                <>
                  {' '}
                  ·{' '}
                  <NavLink to={`/stores/${storeId}/commands?status=DEAD_LETTER`}>
                    <Badge tone="bad">{s.commands.deadLettered} dead-lettered</Badge>
                  </NavLink>
                </>
              )}
            </p>
          )}
        </div>
      </div>
      <ErrorBanner error={store.error} onRetry={() => void store.reload()} />
      {!s && store.loading && <Loading what="the store" />}
      {s && (
        <>
          <nav className="tabs" aria-label="Store sections">
            {TABS.map(([key, label]) => (
              <NavLink
                key={key}
                to={`/stores/${storeId}/${key}`}
                className={() => (key === current ? 'tab tab--active' : 'tab')}
                aria-current={key === current ? 'page' : undefined}
              >
                {label}
              </NavLink>
            ))}
          </nav>
          <div className="tab-panel">
            {current === 'overview' && <OverviewTab store={s} onChanged={() => void store.reload()} />}
            {isSyncDomain(current) && <DomainEditor domain={current} storeId={storeId} />}
            {current === 'commands' && <CommandsTable storeId={storeId} />}
            {current === 'sales' && <SalesTab storeId={storeId} timeZone={s.timezone} />}
            {current === 'audit' && <AuditTable storeId={storeId} />}
          </div>
        </>
      )}
    </section>
  );
}
