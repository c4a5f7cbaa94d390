import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { isPublicAddress, publicOnlyLookup } from './public-address.js';
import { MediaTooLargeError, SendError } from './connector.js';

const TIMEOUT_MS = 15_000;

/** Seconds from a `Retry-After` header (seconds or an HTTP date), if usable. */
export function retryAfterSeconds(header: string | null, now: Date = new Date()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

/** True for answers a retry can fix: rate limits, timeouts and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** How a connector explains a provider's error answer; unset fields fall back to the HTTP status. */
export interface ProviderErrorReading {
  reason: string;
  retryable?: boolean;
  retryAfterSeconds?: number;
}

/**
 * Calls a provider API and returns the parsed JSON body of a 2xx answer. Anything else becomes a
 * `SendError` carrying the provider's reason (from `describe`), whether a retry can help (429, 408
 * and 5xx unless `describe` says otherwise) and the provider's `Retry-After`.
 */
export async function callProvider(
  url: string,
  init: RequestInit,
  describe: (status: number, body: unknown) => string | ProviderErrorReading,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new SendError(
      `provider unreachable: ${error instanceof Error ? error.message : String(error)}`,
      true,
    );
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Some error pages are HTML; the status decides.
  }
  if (response.ok) return body;
  const described = describe(response.status, body);
  const reading = typeof described === 'string' ? { reason: described } : described;
  throw new SendError(
    reading.reason,
    reading.retryable ?? isRetryableStatus(response.status),
    reading.retryAfterSeconds ?? retryAfterSeconds(response.headers.get('retry-after')),
  );
}

/** Downloads a body up to `maxBytes`, stopping early (and rejecting) when it is larger. */
export async function downloadLimited(
  url: string,
  init: RequestInit,
  maxBytes: number,
): Promise<{ body: Buffer; contentType: string }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS * 4) });
  return readLimited(response, maxBytes);
}

const MAX_REDIRECTS = 5;

function httpUrl(value: string, base?: string): URL {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    throw new Error(`media URL is not a URL: ${value.slice(0, 200)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`media URL must be http(s), not ${url.protocol}`);
  return url;
}

/**
 * A plain GET of a URL someone else gave us (an XMPP customer's upload): http(s) only, redirects
 * followed by hand so that one to another scheme is refused, the same size limit, and — unless
 * `allowPrivateHosts` — only to public addresses (see public-address.ts), checked on every hop at the
 * moment of connecting.
 */
export async function downloadHttpLimited(
  url: string,
  maxBytes: number,
  { allowPrivateHosts = false }: { allowPrivateHosts?: boolean } = {},
): Promise<{ body: Buffer; contentType: string }> {
  const signal = AbortSignal.timeout(TIMEOUT_MS * 4);
  let target = httpUrl(url);
  for (let hop = 0; ; hop++) {
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivateHosts && isIP(host) && !isPublicAddress(host))
      throw new Error(`media URL points at a non-public address: ${host}`);
    const response = await get(target, signal, allowPrivateHosts ? undefined : publicOnlyLookup);
    const location = response.headers.location;
    const status = response.statusCode ?? 0;
    if (status < 300 || status >= 400 || !location) return readLimitedStream(response, maxBytes);
    response.resume();
    if (hop >= MAX_REDIRECTS) throw new Error(`media download redirected more than ${MAX_REDIRECTS} times`);
    target = httpUrl(location, target.href);
  }
}

function get(
  target: URL,
  signal: AbortSignal,
  lookup: typeof publicOnlyLookup | undefined,
): Promise<IncomingMessage> {
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    request(target, { method: 'GET', signal, ...(lookup ? { lookup } : {}) }, resolve)
      .on('error', reject)
      .end();
  });
}

async function readLimitedStream(
  response: IncomingMessage,
  maxBytes: number,
): Promise<{ body: Buffer; contentType: string }> {
  const status = response.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    response.resume();
    throw new Error(`media download failed with HTTP ${status}`);
  }
  const declared = Number(response.headers['content-length'] ?? '0');
  if (declared > maxBytes) {
    response.destroy();
    throw new MediaTooLargeError(declared, maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      response.destroy();
      throw new MediaTooLargeError(null, maxBytes);
    }
    chunks.push(chunk);
  }
  return {
    body: Buffer.concat(chunks),
    contentType: response.headers['content-type']?.split(';')[0].trim() || 'application/octet-stream',
  };
}

async function readLimited(
  response: Response,
  maxBytes: number,
): Promise<{ body: Buffer; contentType: string }> {
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`media download failed with HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new MediaTooLargeError(declared, maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new MediaTooLargeError(null, maxBytes);
      chunks.push(Buffer.from(chunk));
    }
  }
  return {
    body: Buffer.concat(chunks),
    contentType: response.headers.get('content-type')?.split(';')[0].trim() || 'application/octet-stream',
  };
}
