import { createHmac, timingSafeEqual } from 'node:crypto';

/** Longest user id a host site may pass. */
export const USER_ID_MAX_LENGTH = 200;

/** What the host site's backend computes: hex(HMAC-SHA256(identity secret, userId)). */
export function identitySignature(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/** Constant-time check of a host-signed user id. */
export function isValidIdentitySignature(secret: string, userId: string, signature: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  const expected = Buffer.from(identitySignature(secret, userId), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

/**
 * The web identity of a signed-in customer: per site, so one user id on two sites is two contacts, and
 * never equal to an anonymous visitor id (those are UUIDs).
 */
export function signedInVisitorId(siteId: string, userId: string): string {
  return `site:${siteId}:user:${userId}`;
}
