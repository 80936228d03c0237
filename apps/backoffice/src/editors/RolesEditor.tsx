import { storeRoleSchema, type StoreRole } from '@app/contracts';
import { useSignedIn } from '../auth/AuthContext.js';
import { plural } from '../common/format.js';
import { ErrorBanner, Loading } from '../common/ui.js';
import { CellInput, RowRemove } from './cells.js';
import { rowClassName, type DomainEditorSpec } from './domain-editor.js';
import { fieldErrors } from './field-errors.js';
import { PublishBar } from './PublishBar.js';
import { useDomainEditor } from './useDomainEditor.js';
import { useFocusRow } from './useFocusRow.js';

interface RoleDraft {
  roleId: string;
  name: string;
  /** Permissions separated by commas or spaces. */
  permissions: string;
}

export const splitList = (text: string) => text.split(/[\s,]+/).filter(Boolean);

export const rolesSpec: DomainEditorSpec<StoreRole, RoleDraft, StoreRole> = {
  domain: 'roles',
  keyField: 'roleId',
  items: (state) => (state.roles as StoreRole[] | undefined) ?? [],
  keyOf: (r) => r.roleId,
  toDraft: (r) => ({ roleId: r.roleId, name: r.name, permissions: r.permissions.join(', ') }),
  blank: () => ({ roleId: '', name: '', permissions: '' }),
  parse: (d) => {
    const checked = storeRoleSchema.safeParse({ roleId: d.roleId.trim(), name: d.name, permissions: splitList(d.permissions) });
    if (checked.success) return { ok: true, item: checked.data };
    const errors = fieldErrors(checked.error.issues);
    return { ok: false, errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.split(/[.[]/)[0]!, k.includes('[') ? `${k.slice(k.indexOf('['))} ${v}` : v])) };
  },
  payload: (roles, removeRoleIds) => ({ roles, ...(removeRoleIds.length > 0 ? { removeRoleIds } : {}) }),
  payloadList: 'roles',
  payloadShape: 'list',
  removalList: 'removeRoleIds',
};

export function RolesEditor({ storeId }: { storeId: string }) {
  const { can } = useSignedIn();
  const editor = useDomainEditor(storeId, rolesSpec);
  const focusRow = useFocusRow();
  const editable = can.publish('roles');
  if (editor.loadError) return <ErrorBanner error={editor.loadError} onRetry={() => void editor.load()} />;
  if (!editor.loaded) return <Loading what="the roles" />;
  return (
    <section aria-label="Roles editor">
      <div className="toolbar">
        <p className="muted">
          Revision {editor.loaded.revision} · {plural(editor.rows.filter((r) => r.original).length, 'role')} · permissions like <span className="code">orders.create</span> or <span className="code">orders.*</span>, separated by commas
        </p>
        {editable && (
          <button type="button" className="btn" onClick={() => focusRow(editor.add())}>
            Add role
          </button>
        )}
      </div>
      <div className="table-wrap">
        <table className="table table--editor" aria-label="Roles">
          <thead>
            <tr>
              <th scope="col">Role id</th>
              <th scope="col">Name</th>
              <th scope="col">Permissions</th>
              {editable && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {editor.rows.map((row) => {
              const d = row.draft;
              const e = editor.errors[row.key] ?? {};
              const label = d.roleId || 'new role';
              const rowEditable = editable && !row.removed;
              return (
                <tr key={row.key} data-row-key={row.key} className={rowClassName(row)}>
                  <td>
                    <CellInput label={`Role id of ${row.original ? label : 'new role'}`} editable={rowEditable && row.original === null} display={<span className="code">{d.roleId}</span>} value={d.roleId} error={e.roleId} onChange={(ev) => editor.update(row.key, { roleId: ev.target.value })} />
                  </td>
                  <td>
                    <CellInput label={`Name of ${label}`} editable={rowEditable} value={d.name} error={e.name} onChange={(ev) => editor.update(row.key, { name: ev.target.value })} />
                  </td>
                  <td>
                    <CellInput label={`Permissions of ${label}`} editable={rowEditable} value={d.permissions} error={e.permissions} className="input--wide" onChange={(ev) => editor.update(row.key, { permissions: ev.target.value })} />
                  </td>
                  {editable && (
                    <td>
                      <RowRemove label={label} removed={row.removed} isNew={row.original === null} onChange={(removed) => editor.setRemoved(row.key, removed)} />
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <PublishBar storeId={storeId} domain="roles" revision={editor.loaded.revision} editor={editor} fleet />
    </section>
  );
}
