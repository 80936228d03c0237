import { publishedUserSchema, type DomainStateResponse, type PublicStoreUser, type StoreRole } from '@app/contracts';
import type { z } from 'zod';
import { useSignedIn } from '../auth/AuthContext.js';
import { useLoad } from '../common/hooks.js';
import { plural } from '../common/format.js';
import { ErrorBanner, Loading } from '../common/ui.js';
import { CellCheckbox, CellInput, RowRemove } from './cells.js';
import { rowClassName, type DomainEditorSpec } from './domain-editor.js';
import { fieldErrors } from './field-errors.js';
import { PublishBar } from './PublishBar.js';
import { splitList } from './RolesEditor.js';
import { useDomainEditor } from './useDomainEditor.js';
import { useFocusRow } from './useFocusRow.js';

type PublishedUser = z.infer<typeof publishedUserSchema>;

interface UserDraft {
  userId: string;
  displayName: string;
  roleIds: string;
  active: boolean;
  hasPin: boolean;
  /** A new PIN, write-only: empty keeps the one the user has. */
  pin: string;
}

export const usersSpec: DomainEditorSpec<PublicStoreUser, UserDraft, PublishedUser> = {
  domain: 'users',
  keyField: 'userId',
  items: (state) => (state.users as PublicStoreUser[] | undefined) ?? [],
  keyOf: (u) => u.userId,
  toDraft: (u) => ({ userId: u.userId, displayName: u.displayName, roleIds: u.roleIds.join(', '), active: u.active, hasPin: u.hasPin, pin: '' }),
  blank: () => ({ userId: '', displayName: '', roleIds: '', active: true, hasPin: false, pin: '' }),
  parse: (d) => {
    const checked = publishedUserSchema.safeParse({ userId: d.userId.trim(), displayName: d.displayName, roleIds: splitList(d.roleIds), active: d.active, ...(d.pin ? { pin: d.pin } : {}) });
    if (checked.success) return { ok: true, item: checked.data };
    return { ok: false, errors: Object.fromEntries(Object.entries(fieldErrors(checked.error.issues)).map(([k, v]) => [k.split(/[.[]/)[0]!, v])) };
  },
  payload: (users) => ({ users }),
  payloadList: 'users',
  payloadShape: 'list',
};

export function UsersEditor({ storeId }: { storeId: string }) {
  const { api, can } = useSignedIn();
  const editor = useDomainEditor(storeId, usersSpec);
  const focusRow = useFocusRow();
  const editable = can.publish('users');
  const roles = useLoad(() => api.get<DomainStateResponse>(`/stores/${storeId}/revisions/roles/latest`), [api, storeId]);
  const roleIds = new Set(((roles.data?.state.roles as StoreRole[] | undefined) ?? []).map((r) => r.roleId));
  /** Role ids the store's published roles do not define (a warning: the roles may be published next). */
  const unknownRoles = (text: string) => (roles.data ? splitList(text).filter((id) => !roleIds.has(id)) : []);
  if (editor.loadError) return <ErrorBanner error={editor.loadError} onRetry={() => void editor.load()} />;
  if (!editor.loaded) return <Loading what="the users" />;
  return (
    <section aria-label="Users editor">
      <div className="toolbar">
        <p className="muted">
          Revision {editor.loaded.revision} · {plural(editor.rows.filter((r) => r.original).length, 'till user')} · PINs are write-only: the cloud keeps only a hash. Deactivate a user to take them off the tills.
        </p>
        {editable && (
          <button type="button" className="btn" onClick={() => focusRow(editor.add())}>
            Add user
          </button>
        )}
      </div>
      <div className="table-wrap">
        <table className="table table--editor" aria-label="Till users">
          <thead>
            <tr>
              <th scope="col">User id</th>
              <th scope="col">Display name</th>
              <th scope="col">Role ids</th>
              <th scope="col">Active</th>
              <th scope="col">PIN</th>
              {editable && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {editor.rows.map((row) => {
              const d = row.draft;
              const e = editor.errors[row.key] ?? {};
              const label = d.userId || 'new user';
              const rowEditable = editable && !row.removed;
              return (
                <tr key={row.key} data-row-key={row.key} className={rowClassName(row)}>
                  <td>
                    <CellInput label={`User id of ${row.original ? label : 'new user'}`} editable={rowEditable && row.original === null} display={<span className="code">{d.userId}</span>} value={d.userId} error={e.userId} onChange={(ev) => editor.update(row.key, { userId: ev.target.value })} />
                  </td>
                  <td>
                    <CellInput label={`Display name of ${label}`} editable={rowEditable} value={d.displayName} error={e.displayName} onChange={(ev) => editor.update(row.key, { displayName: ev.target.value })} />
                  </td>
                  <td>
                    <CellInput
                      label={`Role ids of ${label}`}
                      editable={rowEditable}
                      value={d.roleIds}
                      error={e.roleIds}
                      warning={unknownRoles(d.roleIds).length > 0 ? `not a role of this store: ${unknownRoles(d.roleIds).join(', ')}` : undefined}
                      onChange={(ev) => editor.update(row.key, { roleIds: ev.target.value })}
                    />
                  </td>
                  <td>
                    <CellCheckbox label={`${label} active`} editable={rowEditable} checked={d.active} text={['active', 'inactive']} onChange={(v) => editor.update(row.key, { active: v })} />
                  </td>
                  <td>
                    <CellInput
                      label={`New PIN of ${label}`}
                      editable={rowEditable}
                      display={d.hasPin ? 'set' : 'not set'}
                      type="password"
                      inputMode="numeric"
                      autoComplete="new-password"
                      placeholder={d.hasPin ? 'set (unchanged)' : 'not set'}
                      value={d.pin}
                      error={e.pin}
                      onChange={(ev) => editor.update(row.key, { pin: ev.target.value })}
                    />
                  </td>
                  {editable && <td>{row.original === null && <RowRemove label={label} removed={false} isNew onChange={(removed) => editor.setRemoved(row.key, removed)} />}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <PublishBar storeId={storeId} domain="users" revision={editor.loaded.revision} editor={editor} fleet />
    </section>
  );
}
