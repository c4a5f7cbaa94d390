import { bearerTokenMatches } from './metrics-token.guard.js';

describe('bearerTokenMatches', () => {
  const token = 'scrape-token-0123456789';

  it('accepts the token as a bearer credential, whatever the scheme case and spacing', () => {
    expect(bearerTokenMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerTokenMatches(`bearer ${token}`, token)).toBe(true);
    expect(bearerTokenMatches(`  BEARER   ${token} `, token)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['the scheme alone', 'Bearer'],
    ['another scheme', `Basic ${token}`],
    ['the token without a scheme', token],
    ['a wrong token of the same length', `Bearer ${token.slice(0, -1)}x`],
    ['a prefix of the token', `Bearer ${token.slice(0, 8)}`],
    ['the token with more after it', `Bearer ${token}x`],
    ['extra words', `Bearer ${token} ${token}`],
  ])('refuses %s', (_, header) => {
    expect(bearerTokenMatches(header, token)).toBe(false);
  });
});
