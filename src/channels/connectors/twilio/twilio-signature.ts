import { createHmac } from 'node:crypto';
import { signaturesMatch } from '../signature.js';

/**
 * `X-Twilio-Signature`: base64(HMAC-SHA1(auth token, URL + every POST parameter's name and value,
 * sorted by name)). Repeated names contribute each value, values sorted too.
 */
export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  const names = [...new Set(params.keys())].sort();
  let data = url;
  for (const name of names) for (const value of params.getAll(name).sort()) data += name + value;
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * The URL as Twilio may have signed it. Twilio signs the URL it was configured with, and its own
 * libraries accept a signature made with or without the port (443/80 are sometimes added or dropped
 * by proxies), so both forms are candidates.
 */
export function urlVariants(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const defaultPort = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : '';
  const path = `${parsed.pathname}${parsed.search}`;
  const auth = parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : '';
  const withoutPort = `${parsed.protocol}//${auth}${parsed.hostname}${path}`;
  const withPort = `${parsed.protocol}//${auth}${parsed.hostname}:${parsed.port || defaultPort}${path}`;
  return [...new Set([url, withoutPort, withPort])];
}

/** True when `received` is the signature of the body for any of the URL variants. Constant time per candidate. */
export function twilioSignatureValid(
  authToken: string,
  urls: string[],
  params: URLSearchParams,
  received: string,
): boolean {
  let valid = false;
  for (const url of urls.flatMap(urlVariants)) {
    // Every candidate is compared, so the time taken does not tell which one matched.
    if (signaturesMatch(received, twilioSignature(authToken, url, params))) valid = true;
  }
  return valid;
}
