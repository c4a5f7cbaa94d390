import { createHmac } from 'node:crypto';
import { identitySignature, isValidIdentitySignature, signedInVisitorId } from './identity.js';

const secret = 'f00d'.repeat(16);

describe('identity signatures', () => {
  it('is the hex HMAC-SHA256 of the user id, as a host backend computes it', () => {
    expect(identitySignature(secret, 'user-42')).toBe(
      createHmac('sha256', secret).update('user-42').digest('hex'),
    );
  });

  it('accepts the right signature, in either case', () => {
    const signature = identitySignature(secret, 'user-42');
    expect(isValidIdentitySignature(secret, 'user-42', signature)).toBe(true);
    expect(isValidIdentitySignature(secret, 'user-42', signature.toUpperCase())).toBe(true);
  });

  it('refuses the signature of another user, another secret, or a malformed one', () => {
    expect(isValidIdentitySignature(secret, 'user-43', identitySignature(secret, 'user-42'))).toBe(false);
    expect(isValidIdentitySignature(secret, 'user-42', identitySignature('another', 'user-42'))).toBe(false);
    expect(isValidIdentitySignature(secret, 'user-42', 'zz'.repeat(32))).toBe(false);
    expect(isValidIdentitySignature(secret, 'user-42', '')).toBe(false);
  });

  it('keys signed-in customers per site, apart from anonymous visitor ids', () => {
    expect(signedInVisitorId('s1', 'u1')).not.toBe(signedInVisitorId('s2', 'u1'));
    expect(signedInVisitorId('s1', 'u1')).toMatch(/^site:/);
  });
});
