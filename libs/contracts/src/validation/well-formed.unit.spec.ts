import { loneSurrogateIssue } from './well-formed.js';

describe('loneSurrogateIssue', () => {
  it('should take well-formed text, surrogate pairs included, anywhere', () => {
    expect(loneSurrogateIssue({ name: 'Café 😀 北京', list: ['ok', { 'clé-🔑': 'ü' }], n: 1, none: null })).toBeNull();
  });

  it.each([
    ['a value', { store: { name: 'Kiosk \ud800' } }, 'store.name', ''],
    ['a value in a list', { reasons: ['fine', 'bad \udfff'] }, 'reasons[1]', ''],
    ['a key', { values: { ['footer\udc00']: 1 } }, 'values.footer\udc00', 'key '],
    ['the body itself', '\ud83d', '', ''],
  ])('should name the path of a lone surrogate in %s', (_label, body, path, prefix) => {
    expect(loneSurrogateIssue(body)).toEqual({ path, code: 'custom', message: `${prefix}must be well-formed UTF-16 (no lone surrogate)` });
  });

  it('should walk a body nested far past any schema without exhausting the stack', () => {
    let deep: unknown = 'bottom \udc00';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(loneSurrogateIssue(deep)?.message).toContain('surrogate');
  });
});
