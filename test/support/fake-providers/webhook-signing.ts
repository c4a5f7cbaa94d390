import { createHmac } from 'node:crypto';
import { apiSignature } from '../../../src/channels/connectors/api/api-signature.js';

/** `X-Hub-Signature-256` as Meta computes it. */
export const metaSignature = (body: string, secret: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** Headers of a generic API channel request signed at `at`. */
export function apiHeaders(body: string, secret: string, at = new Date()): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    'content-type': 'application/json',
    'x-switchboard-timestamp': timestamp,
    'x-switchboard-signature': apiSignature(secret, timestamp, body),
  };
}

export async function until<T>(probe: () => Promise<T | undefined | null | false>, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
