import { Injectable } from '@nestjs/common';
import {
  SYNC_DOMAINS,
  toPublicStoreUser,
  type AppliedRevisions,
  type MenuStateResponse,
  type RolesStateResponse,
  type SettingsStateResponse,
  type Station,
  type SyncDomain,
  type UsersStateResponse,
} from '@app/contracts';
import type { DomainStates } from '@app/sync';
import { StateRepository, type StoredDomainState } from './state.repository.js';

/**
 * The store's synced state as devices and the agent read it, and the menu routing the order rules
 * use. Writes go through the commands feature only (a signed command, applied in a transaction).
 */
@Injectable()
export class StateService {
  /** sku -> station of the current menu; rebuilt lazily after the menu changes. */
  private stations: Map<string, Station | null> | null = null;

  constructor(private readonly repository: StateRepository) {}

  current<D extends SyncDomain>(domain: D): StoredDomainState<D> {
    return this.repository.find(domain);
  }

  /** Inside the caller's transaction; call `changed` once it has committed. */
  replace(domain: SyncDomain, revision: number, state: DomainStates[SyncDomain]): void {
    this.repository.save(domain, revision, state);
  }

  /** A committed change: forgets what was derived from the old state. */
  changed(domain: SyncDomain): void {
    if (domain === 'menu') this.stations = null;
  }

  appliedRevisions(): AppliedRevisions {
    const revisions = this.repository.revisions();
    return Object.fromEntries(SYNC_DOMAINS.map((d) => [d, revisions.get(d) ?? 0])) as AppliedRevisions;
  }

  settings(): SettingsStateResponse {
    const { revision, state } = this.repository.find('settings');
    return { revision, values: state.values };
  }

  menu(): MenuStateResponse {
    const { revision, state } = this.repository.find('menu');
    return { revision, items: state.items };
  }

  /** Users as devices see them: whether a PIN is set, never the PIN or its hash. */
  users(): UsersStateResponse {
    const { revision, state } = this.repository.find('users');
    return { revision, users: state.users.map(toPublicStoreUser) };
  }

  roles(): RolesStateResponse {
    const { revision, state } = this.repository.find('roles');
    return { revision, roles: state.roles };
  }

  /**
   * Where an order line of this sku is prepared: `'kitchen'` or `'bar'`, `null` when the menu item
   * goes to no station, `undefined` when the sku is not on the current menu.
   */
  stationForSku(sku: string): Station | null | undefined {
    this.stations ??= new Map(this.repository.find('menu').state.items.map((item) => [item.sku, item.station]));
    return this.stations.get(sku);
  }
}
