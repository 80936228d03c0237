import { createHash } from 'node:crypto';

/** The longest DNS label (RFC 1035): a longer one makes mDNS browsers drop the whole packet. */
export const DNS_LABEL_MAX_BYTES = 63;

/** The hex digits of the realm's hash in the instance name: 64 bits, no collision between stores. */
const REALM_HASH_HEX = 16;

/**
 * The hub's DNS-SD instance name: `poshub-` and a hash of its realm, 23 bytes whatever the ids
 * (a tenant and a store UUID side by side are 80: avahi and python-zeroconf then find nothing).
 * Unique per store, so two hubs on one LAN never collide; the realm itself is in the TXT records,
 * which is what a device matches on.
 */
export function mdnsServiceName(tenantId: string, storeId: string): string {
  // JSON keeps the two ids apart: ('a-b', 'c') and ('a', 'b-c') hash differently.
  const digest = createHash('sha256')
    .update(JSON.stringify([tenantId, storeId]))
    .digest('hex');
  return `poshub-${digest.slice(0, REALM_HASH_HEX)}`;
}

/**
 * The SRV target and A record name: `<host>.local`, where `<host>` is the first label of the
 * machine's host name made a valid host label (letters, digits, inner hyphens; at most 63 bytes).
 * A bare host name, as bonjour-service sends by default, is not a name a device can resolve by
 * mDNS; a dotted one (`hub.example.com`) would make a name outside `.local`.
 */
export function mdnsHostName(hostname: string): string {
  const label = (hostname.split('.')[0] ?? '')
    .normalize('NFKD') // é is e and a combining accent: the accent goes, the e stays
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, DNS_LABEL_MAX_BYTES)
    .replace(/-+$/, '');
  return `${label || 'poshub'}.local`;
}
