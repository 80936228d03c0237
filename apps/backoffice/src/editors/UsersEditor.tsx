import { publishedUserSchema, type DomainStateResponse, type PublicStoreUser, type StoreRole } from '@app/contracts';
import type { z } from 'zod';
import { useSignedIn } from '../auth/AuthContext.js';
import { useLoad } from '../common/hooks.js';
import { CellCheckbox, CellInput } from './cells.js';
import type { DomainEditorSpec } from './domain-editor.js';
import { fieldErrors } from './field-errors.js';
import { ListEditor, type ListEditorLayout } from './ListEditor.js';
import { splitList } from './RolesEditor.js';

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
    const checked = publishedUserSchema.safeParse({
      userId: d.userId.trim(),
      displayName: d.displayName,
      roleIds: splitList(d.roleIds),
      active: d.active,
      ...(d.pin ? { pin: d.pin } : {}),
    });
    if (checked.success) return { ok: true, item: checked.data };
    return { ok: false, errors: Object.fromEntries(Object.entries(fieldErrors(checked.error.issues)).map(([k, v]) => [k.split(/[.[]/)[0]!, v])) };
  },
  payload: (users) => ({ users }),
  payloadList: 'users',
  payloadShape: 'list',
};

export function UsersEditor({ storeId }: { storeId: string }) {
  const { api } = useSignedIn();
  const roles = useLoad(() => api.get<DomainStateResponse>(`/stores/${storeId}/revisions/roles/latest`), [api, storeId]);
  const roleIds = new Set(((roles.data?.state.roles as StoreRole[] | undefined) ?? []).map((r) => r.roleId));
  /** Role ids the store's published roles do not define (a warning: the roles may be published next). */
  const unknownRoles = (text: string) => (roles.data ? splitList(text).filter((id) => !roleIds.has(id)) : []);
  const layout: ListEditorLayout<UserDraft> = {
    section: 'Users editor',
    table: 'Till users',
    noun: 'till user',
    newRow: 'new user',
    add: 'Add user',
    loading: 'the users',
    key: { header: 'User id', label: 'User id' },
    // Users are deactivated, never removed: their id stays on the orders they took.
    removable: false,
    hint: 'PINs are write-only: the cloud keeps only a hash. Deactivate a user to take them off the tills.',
    columns: [
      {
        header: 'Display name',
        cell: ({ draft: d, errors: e, label, editable, update }) => (
          <CellInput
            label={`Display name of ${label}`}
            editable={editable}
            value={d.displayName}
            error={e.displayName}
            onChange={(ev) => update({ displayName: ev.target.value })}
          />
        ),
      },
      {
        header: 'Role ids',
        cell: ({ draft: d, errors: e, label, editable, update }) => {
          const unknown = unknownRoles(d.roleIds);
          return (
            <CellInput
              label={`Role ids of ${label}`}
              editable={editable}
              value={d.roleIds}
              error={e.roleIds}
              warning={unknown.length > 0 ? `not a role of this store: ${unknown.join(', ')}` : undefined}
              onChange={(ev) => update({ roleIds: ev.target.value })}
            />
          );
        },
      },
      {
        header: 'Active',
        cell: ({ draft: d, label, editable, update }) => (
          <CellCheckbox
            label={`${label} active`}
            editable={editable}
            checked={d.active}
            text={['active', 'inactive']}
            onChange={(v) => update({ active: v })}
          />
        ),
      },
      {
        header: 'PIN',
        cell: ({ draft: d, errors: e, label, editable, update }) => (
          <CellInput
            label={`New PIN of ${label}`}
            editable={editable}
            display={d.hasPin ? 'set' : 'not set'}
            type="password"
            inputMode="numeric"
            autoComplete="new-password"
            placeholder={d.hasPin ? 'set (unchanged)' : 'not set'}
            value={d.pin}
            error={e.pin}
            onChange={(ev) => update({ pin: ev.target.value })}
          />
        ),
      },
    ],
  };
  return <ListEditor storeId={storeId} spec={usersSpec} layout={layout} />;
}
