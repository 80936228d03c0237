import { loginSourceOf } from './login-source.js';

describe(loginSourceOf.name, () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1234:5678:9abc::1', '2001:db8:1234:5678::/64'],
    ['2001:0db8:1234:5678:ffff:ffff:ffff:ffff', '2001:db8:1234:5678::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    [undefined, 'unknown'],
    ['not-an-address', 'unknown'],
  ])('should count %s as %s', (address, source) => {
    expect(loginSourceOf(address)).toBe(source);
  });

  it('should count two addresses of one IPv6 /64 as one source, and two /64s as two', () => {
    expect(loginSourceOf('2001:db8:aa:1::10')).toBe(loginSourceOf('2001:db8:aa:1:ffff::99'));
    expect(loginSourceOf('2001:db8:aa:1::10')).not.toBe(loginSourceOf('2001:db8:aa:2::10'));
  });
});
