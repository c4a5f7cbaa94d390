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

/** A download's answer as both HTTP clients give it, read the same way by `readCapped`. */
interface Answer {
  status: number;
  header(name: string): string | null | undefined;
  body: AsyncIterable<Uint8Array> | null;
  /** Stops the transfer (what is not read is not downloaded). */
  discard(): Promise<void> | void;
}

function readLimitedStream(
  response: IncomingMessage,
  maxBytes: number,
): Promise<{ body: Buffer; contentType: string }> {
  return readCapped(
    {
      status: response.statusCode ?? 0,
      header: (name) => {
        const value = response.headers[name];
        return Array.isArray(value) ? value[0] : value;
      },
      body: response,
      discard: () => void response.destroy(),
    },
    maxBytes,
  );
}

function readLimited(response: Response, maxBytes: number): Promise<{ body: Buffer; contentType: string }> {
  return readCapped(
    {
      status: response.status,
      header: (name) => response.headers.get(name),
      body: response.body,
      discard: () => response.body?.cancel(),
    },
    maxBytes,
  );
}

/** The body up to `maxBytes` (declared or counted while reading), with its content type. */
async function readCapped(answer: Answer, maxBytes: number): Promise<{ body: Buffer; contentType: string }> {
  if (answer.status < 200 || answer.status >= 300) {
    await answer.discard();
    throw new Error(`media download failed with HTTP ${answer.status}`);
  }
  const declared = Number(answer.header('content-length') ?? '0');
  if (declared > maxBytes) {
    await answer.discard();
    throw new MediaTooLargeError(declared, maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of answer.body ?? []) {
    size += chunk.byteLength;
    // Leaving the loop ends the stream (the iterator's return), so nothing more is downloaded.
    if (size > maxBytes) throw new MediaTooLargeError(null, maxBytes);
    chunks.push(Buffer.from(chunk));
  }
  return {
    body: Buffer.concat(chunks),
    contentType: answer.header('content-type')?.split(';')[0].trim() || 'application/octet-stream',
  };
}
