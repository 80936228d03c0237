import { ackableIdOf } from './ackable-id.js';

describe('ackableIdOf', () => {
  it('should read the command id and seq of anything that has them', () => {
    expect(ackableIdOf({ commandId: '01937c1e-8f00-7000-8000-000000000001', seq: 3, signature: 'x' })).toEqual({
      commandId: '01937c1e-8f00-7000-8000-000000000001',
      seq: 3,
    });
    expect(ackableIdOf({ commandId: '01937c1e-8f00-7000-8000-000000000001', seq: 'x' })).toEqual({
      commandId: '01937c1e-8f00-7000-8000-000000000001',
      seq: null,
    });
  });

  it('should give up on what has no usable command id', () => {
    expect(ackableIdOf(null)).toBeNull();
    expect(ackableIdOf('x')).toBeNull();
    expect(ackableIdOf({ commandId: 'not-a-uuid' })).toBeNull();
  });
});
