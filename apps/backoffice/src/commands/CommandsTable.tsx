import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { COMMAND_STATUS_NAMES, type CommandListResponse, type CommandStatusName, type CommandView, type FleetResponse } from '@app/contracts';
import { useSignedIn } from '../auth/AuthContext.js';
import { useLoad } from '../common/hooks.js';
import { ago, shortId } from '../common/format.js';
import { Empty, ErrorBanner, Loading, StatusBadge } from '../common/ui.js';
import { CommandDrawer } from './CommandDrawer.js';
import { BlockedBy } from './BlockedBy.js';
import { COMMANDS_REFRESH_MS } from './refresh.js';
import { RetryForm } from './RetryForm.js';

const RETRYABLE: CommandStatusName[] = ['FAILED', 'DEAD_LETTER'];

/**
 * Commands of one store (storeId) or of the tenant (with a store filter): filter by state, open one
 * for its logs, retry the failed and dead-lettered ones (support and admin). Filters live in the
 * URL so a link shows the same list.
 */
export function CommandsTable({ storeId }: { storeId?: string }) {
  const { api, can } = useSignedIn();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') ?? '') as CommandStatusName | '';
  const storeFilter = storeId ?? params.get('store') ?? '';
  const open = params.get('command');
  const [limit, setLimit] = useState(50);
  const [selected, setSelected] = useState<string[]>([]);
  const [retrying, setRetrying] = useState<string[] | null>(null);

  const list = useLoad(
    () =>
      api.get<CommandListResponse>(storeId ? `/stores/${storeId}/commands` : '/commands', {
        status: status || undefined,
        limit,
        ...(storeId ? {} : { storeId: storeFilter || undefined }),
      }),
    [api, storeId, status, storeFilter, limit],
    COMMANDS_REFRESH_MS,
  );
  const fleet = useLoad(() => (storeId ? Promise.resolve(null) : api.get<FleetResponse>('/stores')), [api, storeId]);

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: key !== 'command' });
  };
  const commands = list.data?.commands ?? [];
  const retryable = commands.filter((c) => RETRYABLE.includes(c.status));
  const selectedNow = selected.filter((id) => retryable.some((c) => c.commandId === id));
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)));

  return (
    <section aria-label="Commands">
      <div className="toolbar">
        <div className="toolbar__field">
          <label htmlFor="commands-status">State</label>
          <select id="commands-status" value={status} onChange={(e) => setParam('status', e.target.value || null)}>
            <option value="">All states</option>
            {COMMAND_STATUS_NAMES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        {!storeId && (
          <div className="toolbar__field">
            <label htmlFor="commands-store">Store</label>
            <select id="commands-store" value={storeFilter} onChange={(e) => setParam('store', e.target.value || null)}>
              <option value="">All stores</option>
              {(fleet.data?.stores ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.code} {s.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <p className="muted live" aria-live="off">
          {list.loadedAt ? `Live · updated ${list.loadedAt.toLocaleTimeString()}` : ''}
        </p>
        {can.retryCommands && (
          <button type="button" className="btn btn--primary" disabled={selectedNow.length === 0} onClick={() => setRetrying(selectedNow)}>
            Retry selected ({selectedNow.length})
          </button>
        )}
      </div>
      {retrying && (
        <RetryForm
          commandIds={retrying}
          onDone={() => {
            setRetrying(null);
            setSelected([]);
            void list.reload();
          }}
          onCancel={() => setRetrying(null)}
        />
      )}
      <ErrorBanner error={list.error} onRetry={() => void list.reload()} />
      {!list.data && list.loading && <Loading what="the commands" />}
      {list.data && commands.length === 0 && <Empty>No command {status ? `in state ${status}` : 'yet'}.</Empty>}
      {commands.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Command list">
            <thead>
              <tr>
                {can.retryCommands && (
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label="Select all retryable commands"
                      checked={retryable.length > 0 && selectedNow.length === retryable.length}
                      disabled={retryable.length === 0}
                      onChange={(e) => setSelected(e.target.checked ? retryable.map((c) => c.commandId) : [])}
                    />
                  </th>
                )}
                <th scope="col">Command</th>
                {!storeId && <th scope="col">Store</th>}
                <th scope="col">Seq</th>
                <th scope="col">Type</th>
                <th scope="col">Revision</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {commands.map((c) => (
                <CommandRow
                  key={c.commandId}
                  command={c}
                  showStore={!storeId}
                  selectable={can.retryCommands}
                  selected={selected.includes(c.commandId)}
                  onSelect={toggle}
                  onOpen={() => setParam('command', c.commandId)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data?.nextCursor && (
        <button type="button" className="btn" onClick={() => setLimit((l) => Math.min(200, l + 50))} disabled={limit >= 200}>
          Show more
        </button>
      )}
      {open && <CommandDrawer commandId={open} onClose={() => setParam('command', null)} onChanged={() => void list.reload()} />}
    </section>
  );
}

function CommandRow({
  command: c,
  showStore,
  selectable,
  selected,
  onSelect,
  onOpen,
}: {
  command: CommandView;
  showStore: boolean;
  selectable: boolean;
  selected: boolean;
  onSelect: (id: string, on: boolean) => void;
  onOpen: () => void;
}) {
  const retryable = RETRYABLE.includes(c.status);
  return (
    <tr className={c.status === 'DEAD_LETTER' ? 'row--bad' : undefined}>
      {selectable && (
        <td>
          {retryable && (
            <input
              type="checkbox"
              aria-label={`Select command ${c.seq} of ${c.storeCode}`}
              checked={selected}
              onChange={(e) => onSelect(c.commandId, e.target.checked)}
            />
          )}
        </td>
      )}
      <td>
        <button type="button" className="link" onClick={onOpen} aria-label={`Open command ${c.seq} of ${c.storeCode}`}>
          <span className="code">{shortId(c.commandId)}</span>
        </button>
      </td>
      {showStore && (
        <td>
          <Link to={`/stores/${c.storeId}/commands`}>{c.storeCode}</Link>
        </td>
      )}
      <td className="num">{c.seq}</td>
      <td>{c.type}</td>
      <td className="num">
        r{c.revision}
        {c.appliedRevision !== null && c.appliedRevision !== c.revision && <span className="muted"> (applied r{c.appliedRevision})</span>}
      </td>
      <td>
        <StatusBadge status={c.status} />
      </td>
      <td className="num">
        {c.attempts}/{c.maxAttempts}
      </td>
      <td className="error-cell" title={c.lastErrorDetail ?? ''}>
        {c.lastErrorCode ? <span className="code">{c.lastErrorCode}</span> : c.blockedBy ? <BlockedBy blockedBy={c.blockedBy} /> : '—'}
      </td>
      <td title={c.createdAt}>{ago(c.createdAt)}</td>
    </tr>
  );
}
