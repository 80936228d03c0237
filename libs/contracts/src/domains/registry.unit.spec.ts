import {
  COMMAND_DOMAIN,
  COMMAND_PAYLOAD_SCHEMAS,
  COMMAND_TYPES,
  PATCH_TYPE_OF_DOMAIN,
  SNAPSHOT_TYPE_OF_DOMAIN,
  SYNC_DOMAINS,
  isCommandType,
  isSnapshotCommandType,
} from '../commands/index.js';
import { OPERATOR_ROLES } from '../common/operator-roles.js';
import { DOMAINS, DOMAIN_DEFINITIONS, isSyncDomain, mayPublishDomain, publicViewOf } from './registry.js';

const PIN_HASH = 'scrypt$14$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g';

describe('the domain registry', () => {
  it('should derive every domain list from the definitions', () => {
    expect([...SYNC_DOMAINS]).toEqual(['settings', 'menu', 'users', 'roles']);
    expect([...COMMAND_TYPES].sort()).toEqual(DOMAIN_DEFINITIONS.flatMap((d) => [d.patch.type, d.snapshotType]).sort());
    for (const d of DOMAIN_DEFINITIONS) {
      expect({ patch: COMMAND_DOMAIN[d.patch.type], snapshot: COMMAND_DOMAIN[d.snapshotType] }).toEqual({ patch: d.name, snapshot: d.name });
      expect({ patch: PATCH_TYPE_OF_DOMAIN[d.name], snapshot: SNAPSHOT_TYPE_OF_DOMAIN[d.name] }).toEqual({ patch: d.patch.type, snapshot: d.snapshotType });
      expect(isSnapshotCommandType(d.snapshotType)).toBe(true);
      expect(isSnapshotCommandType(d.patch.type)).toBe(false);
      expect(COMMAND_PAYLOAD_SCHEMAS[d.snapshotType]).toBe(d.state);
      expect(COMMAND_PAYLOAD_SCHEMAS[d.patch.type]).toBe(d.patch.schema);
    }
  });

  it('should declare names, types and roles that fit the wire and the database', () => {
    const names = DOMAIN_DEFINITIONS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(COMMAND_TYPES).size).toBe(COMMAND_TYPES.length);
    for (const d of DOMAIN_DEFINITIONS) {
      expect(d.name).toMatch(/^[a-z][a-z0-9_]{0,31}$/);
      expect([d.patch.type, d.snapshotType]).toEqual([expect.stringMatching(/^[A-Z][A-Z0-9_]{0,39}$/), expect.stringMatching(/^[A-Z][A-Z0-9_]{0,39}$/)]);
      expect(d.publishRoles.length).toBeGreaterThan(0);
      expect(d.publishRoles.every((r) => (OPERATOR_ROLES as readonly string[]).includes(r))).toBe(true);
      expect(d.limits.maxEntries).toBeGreaterThan(0);
    }
  });

  it("should hold each domain's empty state valid against its own state schema", () => {
    for (const d of DOMAIN_DEFINITIONS) expect({ domain: d.name, ok: d.state.safeParse(d.empty).success }).toEqual({ domain: d.name, ok: true });
  });

  it('should tell registered domains and command types from anything else', () => {
    expect(SYNC_DOMAINS.every(isSyncDomain)).toBe(true);
    expect(COMMAND_TYPES.every(isCommandType)).toBe(true);
    for (const other of ['printers', 'MENU', '', 'toString', '__proto__', null, 3]) expect(isSyncDomain(other)).toBe(false);
    for (const other of ['PRINTERS_SNAPSHOT', 'menu_snapshot', 'constructor']) expect(isCommandType(other)).toBe(false);
  });

  it('should let admins publish every domain and menu editors the menu only', () => {
    expect(SYNC_DOMAINS.filter((d) => mayPublishDomain('ADMIN', d))).toEqual([...SYNC_DOMAINS]);
    expect(SYNC_DOMAINS.filter((d) => mayPublishDomain('MENU_EDITOR', d))).toEqual(['menu']);
    expect(SYNC_DOMAINS.filter((d) => mayPublishDomain('SUPPORT', d) || mayPublishDomain('VIEWER', d))).toEqual([]);
  });

  it('should never show devices a PIN hash, and show other domains as they are', () => {
    const users = { users: [{ userId: 'u-1', displayName: 'Ana', roleIds: ['cashier'], active: true, pinHash: PIN_HASH }] };
    expect(publicViewOf('users', users)).toEqual({ users: [{ userId: 'u-1', displayName: 'Ana', roleIds: ['cashier'], active: true, hasPin: true }] });
    expect(JSON.stringify(publicViewOf('users', users))).not.toContain('scrypt');
    const settings = { values: { 'store.currency': 'GBP' } };
    expect(publicViewOf('settings', settings)).toBe(settings);
    expect(DOMAINS.menu.title).toBe('Menu');
  });
});
