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
  if (!response.ok) throw new Error(`media download failed with HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new MediaTooLargeError(declared, maxBytes);
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
