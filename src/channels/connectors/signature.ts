import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC of `data` as lower-case hex. */
export function hmacHex(algorithm: 'sha1' | 'sha256', secret: string, data: Buffer | string): string {
  return createHmac(algorithm, secret).update(data).digest('hex');
}

/**
 * Compares a received signature with the expected one in constant time. Different lengths are
 * compared against the expected value itself so the timing does not reveal the length either.
 */
export function signaturesMatch(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}
