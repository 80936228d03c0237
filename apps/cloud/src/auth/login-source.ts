import { isIPv4, isIPv6 } from 'node:net';

/**
 * The source a login is counted against: the client's IPv4 address, or the /64 of an IPv6 one (one
 * subscriber holds a whole /64, so counting single IPv6 addresses would give an attacker 2^64
 * fresh sources). IPv4-mapped IPv6 (`::ffff:10.0.0.1`) counts as the IPv4 address.
 */
export function loginSourceOf(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return 'unknown';
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : new Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...middle, ...right].map((group) => group.replace(/^0+(?=.)/, ''));
}
