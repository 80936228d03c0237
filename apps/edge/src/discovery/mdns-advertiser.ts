import { hostname } from 'node:os';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Bonjour, type Service } from 'bonjour-service';
import { EdgeConfig } from '../config/edge-config.js';
import { readSoftwareVersion } from '../status/software-version.js';
import { mdnsHostName, mdnsServiceName } from './mdns-names.js';

/** DNS-SD service type devices browse for: `_poshub._tcp`. */
export const MDNS_SERVICE_TYPE = 'poshub';

/**
 * multicast-dns options (the library's typings do not declare them). With an interface, queries
 * are sent and the group joined on that interface only, but the socket binds 0.0.0.0: bound to
 * the interface's own address it would never receive the group's packets, and so never answer.
 */
export function mdnsSocketOptions(networkInterface: string | null): ConstructorParameters<typeof Bonjour>[0] {
  return (networkInterface ? { interface: networkInterface, bind: '0.0.0.0' } : {}) as ConstructorParameters<typeof Bonjour>[0];
}

/**
 * Makes a published service's address records that one IPv4 address. bonjour-service builds an A
 * or AAAA record for every external interface (`Service.records()` reads os.networkInterfaces()),
 * whatever interface its socket uses, and never one for loopback: with MDNS_INTERFACE set, a
 * device would be handed addresses of other networks, or none. The records are built when the
 * service is announced, after its probe (at least 250 ms after publish()), and again for the
 * goodbye, so replacing the method right after publish() is in time for both.
 */
export function advertiseAddress(service: Service, address: string): void {
  const records = service.records.bind(service);
  service.records = () => [
    ...records().filter((record) => record.type !== 'A' && record.type !== 'AAAA'),
    { name: service.host, type: 'A', ttl: 120, data: address },
  ];
}

/**
 * Advertises the hub on the store LAN with mDNS so tills and displays find it without
 * configuration: `_poshub._tcp` on the edge port, named after a hash of the realm (mdns-names.ts),
 * TXT `tenantId`, `storeId`, `version`, SRV target `<host>.local`. On `MDNS_INTERFACE` (an IPv4
 * address) when set, with that address only in the A record; else on every interface, with each
 * one's. Unpublished (goodbye packets) when the hub shuts down, so devices drop it at once rather
 * than after the TTL.
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
    const name = mdnsServiceName(this.config.tenantId, this.config.storeId);
    const host = mdnsHostName(hostname());
    this.service = this.bonjour.publish({
      name,
      type: MDNS_SERVICE_TYPE,
      protocol: 'tcp',
      port: this.config.port,
      host,
      // Probing (the default) is what defers the first announcement past advertiseAddress().
      probe: true,
      txt: { tenantId: this.config.tenantId, storeId: this.config.storeId, version: readSoftwareVersion() },
    });
    if (this.config.mdnsInterface) advertiseAddress(this.service, this.config.mdnsInterface);
    this.service.on('error', (error: Error) => this.logger.error({ err: error }, `mDNS advertisement failed: ${error.message}`));
    this.logger.log(
      { name, host, port: this.config.port, interface: this.config.mdnsInterface ?? 'all' },
      `advertising ${name}._${MDNS_SERVICE_TYPE}._tcp.local on ${host}:${this.config.port} (${this.config.mdnsInterface ?? 'all interfaces'})`,
    );
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
