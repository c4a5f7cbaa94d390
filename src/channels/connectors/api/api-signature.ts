import { hmacHex, signaturesMatch } from '../signature.js';

/** Requests older or newer than this are refused (replay protection). */
export const REPLAY_WINDOW_SECONDS = 300;

/** `v1=<hex HMAC-SHA256(secret, timestamp + "." + rawBody)>` */
export function apiSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v1=${hmacHex('sha256', secret, Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(rawBody)]))}`;
}

/** Checks the signature and the replay window; returns the reason on failure. */
export function checkApiSignature(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  rawBody: Buffer,
  now: Date,
): string | null {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return 'missing or malformed X-Switchboard-Timestamp';
  if (!signature) return 'missing X-Switchboard-Signature';
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > REPLAY_WINDOW_SECONDS) {
    return 'timestamp outside the 5-minute window';
  }
  const expected = apiSignature(secret, timestamp, rawBody);
  // Several comma-separated signatures are allowed so a partner can roll its secret.
  const candidates = signature.split(',').map((s) => s.trim());
  let ok = false;
  for (const candidate of candidates) ok = signaturesMatch(candidate, expected) || ok;
  return ok ? null : 'signature mismatch';
}
