import { mdnsServiceName, mdnsSocketOptions } from './mdns-advertiser.js';

describe('mdnsSocketOptions', () => {
  it('should use every interface by default', () => {
    expect(mdnsSocketOptions(null)).toEqual({});
  });

  it('should send and join on the chosen interface but bind the wildcard address, or it would never receive the group', () => {
    expect(mdnsSocketOptions('192.168.1.10')).toEqual({ interface: '192.168.1.10', bind: '0.0.0.0' });
  });
});

describe('mdnsServiceName', () => {
  it('should be unique per store', () => {
    expect(mdnsServiceName('t-demo', 's-001')).toBe('poshub-t-demo-s-001');
    expect(mdnsServiceName('t-demo', 's-002')).not.toBe(mdnsServiceName('t-demo', 's-001'));
  });
});
