import { storeRoleSchema, type StoreRole } from '@app/contracts';
import { CellInput } from './cells.js';
import type { DomainEditorSpec } from './domain-editor.js';
import { fieldErrors } from './field-errors.js';
import { ListEditor, type ListEditorLayout } from './ListEditor.js';

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
    return {
      ok: false,
      errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.split(/[.[]/)[0]!, k.includes('[') ? `${k.slice(k.indexOf('['))} ${v}` : v])),
    };
  },
  payload: (roles, removeRoleIds) => ({ roles, ...(removeRoleIds.length > 0 ? { removeRoleIds } : {}) }),
  payloadList: 'roles',
  payloadShape: 'list',
  removalList: 'removeRoleIds',
};

const rolesLayout: ListEditorLayout<RoleDraft> = {
  section: 'Roles editor',
  table: 'Roles',
  noun: 'role',
  newRow: 'new role',
  add: 'Add role',
  loading: 'the roles',
  key: { header: 'Role id', label: 'Role id' },
  removable: true,
  hint: (
    <>
      permissions like <span className="code">orders.create</span> or <span className="code">orders.*</span>, separated by commas
    </>
  ),
  columns: [
    {
      header: 'Name',
      cell: ({ draft: d, errors: e, label, editable, update }) => (
        <CellInput label={`Name of ${label}`} editable={editable} value={d.name} error={e.name} onChange={(ev) => update({ name: ev.target.value })} />
      ),
    },
    {
      header: 'Permissions',
      cell: ({ draft: d, errors: e, label, editable, update }) => (
        <CellInput
          label={`Permissions of ${label}`}
          editable={editable}
          value={d.permissions}
          error={e.permissions}
          className="input--wide"
          onChange={(ev) => update({ permissions: ev.target.value })}
        />
      ),
    },
  ],
};

export function RolesEditor({ storeId }: { storeId: string }) {
  return <ListEditor storeId={storeId} spec={rolesSpec} layout={rolesLayout} />;
}
