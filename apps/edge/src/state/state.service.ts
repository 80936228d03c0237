import { Injectable } from '@nestjs/common';
import {
  SYNC_DOMAINS,
  isSyncDomain,
  publicViewOf,
  type AppliedRevisions,
  type EdgeDomainStateResponse,
  type MenuStateResponse,
  type RolesStateResponse,
  type SettingsStateResponse,
  type Station,
  type SyncDomain,
  type UsersStateResponse,
} from '@app/contracts';
import { AppException } from '@app/nest-kit';
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

  /**
   * A domain's state as devices read it: its applied revision and the registry's public view
   * (users: whether a PIN is set, never the PIN or its hash).
   */
  stateOf<D extends SyncDomain>(domain: D): EdgeDomainStateResponse<D> {
    const { revision, state } = this.repository.find(domain);
    return { revision, ...(publicViewOf(domain, state) as object) } as EdgeDomainStateResponse<D>;
  }

  /** `stateOf` for a name from the wire: 404 UNKNOWN_DOMAIN for a domain this hub does not have, such as one a newer cloud added. */
  stateOfName(name: string): EdgeDomainStateResponse {
    if (!isSyncDomain(name)) throw new AppException('UNKNOWN_DOMAIN', `this hub has no domain '${name.slice(0, 64)}'; it has ${SYNC_DOMAINS.join(', ')}`, 404);
    return this.stateOf(name);
  }

  settings(): SettingsStateResponse {
    return this.stateOf('settings');
  }

  menu(): MenuStateResponse {
    return this.stateOf('menu');
  }

  users(): UsersStateResponse {
    return this.stateOf('users');
  }

  roles(): RolesStateResponse {
    return this.stateOf('roles');
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
