import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a file URL is refused. */
export type FileSignatureCheck = 'ok' | 'expired' | 'forged';

/** hex(HMAC-SHA256(key, "<id>.<expires>")): binds the URL to one file and one expiry. */
export function fileSignature(key: Buffer, attachmentId: string, expires: number): string {
  return createHmac('sha256', key).update(`${attachmentId}.${expires}`).digest('hex');
}

/** The path and query of a signed file URL valid until `expires` (Unix seconds). */
export function signedFilePath(key: Buffer, attachmentId: string, expires: number): string {
  return `/files/${attachmentId}?expires=${expires}&signature=${fileSignature(key, attachmentId, expires)}`;
}

/**
 * Checks a file URL's query at `nowSeconds`. The signature is compared in constant time, and before the
 * expiry, so a forged URL is told apart from an expired one only when it was genuinely signed.
 */
export function checkFileSignature(
  key: Buffer,
  attachmentId: string,
  expires: unknown,
  signature: unknown,
  nowSeconds: number,
): FileSignatureCheck {
  if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires)) return 'forged';
  if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature)) return 'forged';
  const expected = Buffer.from(fileSignature(key, attachmentId, Number(expires)), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return 'forged';
  return Number(expires) < nowSeconds ? 'expired' : 'ok';
}
