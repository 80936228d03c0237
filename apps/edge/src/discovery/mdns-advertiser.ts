import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Bonjour, type Service } from 'bonjour-service';
import { EdgeConfig } from '../config/edge-config.js';
import { readSoftwareVersion } from '../status/software-version.js';

/** DNS-SD service type devices browse for: `_poshub._tcp`. */
export const MDNS_SERVICE_TYPE = 'poshub';

/** The hub's advertised name: unique per store, so two hubs on one LAN never collide. */
export function mdnsServiceName(tenantId: string, storeId: string): string {
  return `poshub-${tenantId}-${storeId}`;
}

/**
 * multicast-dns options (the library's typings do not declare them). With an interface, queries
 * are sent and the group joined on that interface only, but the socket binds 0.0.0.0: bound to
 * the interface's own address it would never receive the group's packets, and so never answer.
 */
export function mdnsSocketOptions(networkInterface: string | null): ConstructorParameters<typeof Bonjour>[0] {
  return (networkInterface ? { interface: networkInterface, bind: '0.0.0.0' } : {}) as ConstructorParameters<typeof Bonjour>[0];
}

/**
 * Advertises the hub on the store LAN with mDNS so tills and displays find it without
 * configuration: `_poshub._tcp` on the edge port, TXT `tenantId`, `storeId`, `version`. On
 * `MDNS_INTERFACE` (an IPv4 address) when set, else on every interface. Unpublished (goodbye
 * packets) when the hub shuts down, so devices drop it at once rather than after the TTL.
 */
@Injectable()
export class MdnsAdvertiser implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MdnsAdvertiser.name);
  private bonjour: Bonjour | null = null;
  private service: Service | null = null;

  constructor(private readonly config: EdgeConfig) {}

  onApplicationBootstrap(): void {
    if (!this.config.mdnsEnabled) return;
    const options = mdnsSocketOptions(this.config.mdnsInterface);
    // The library's default error callback throws from a socket event: log instead, the hub
    // works without mDNS (devices can be given its address).
    this.bonjour = new Bonjour(options, (error: Error) => this.logger.error({ err: error }, `mDNS error: ${error.message}`));
    this.service = this.bonjour.publish({
      name: mdnsServiceName(this.config.tenantId, this.config.storeId),
      type: MDNS_SERVICE_TYPE,
      protocol: 'tcp',
      port: this.config.port,
      txt: { tenantId: this.config.tenantId, storeId: this.config.storeId, version: readSoftwareVersion() },
    });
    this.service.on('error', (error: Error) => this.logger.error({ err: error }, `mDNS advertisement failed: ${error.message}`));
    this.logger.log(`advertising _${MDNS_SERVICE_TYPE}._tcp on port ${this.config.port} (${this.config.mdnsInterface ?? 'all interfaces'})`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const bonjour = this.bonjour;
    if (!bonjour) return;
    this.bonjour = null;
    this.service = null;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2_000);
      bonjour.unpublishAll(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    await new Promise<void>((resolve) => bonjour.destroy(() => resolve()));
  }
}
