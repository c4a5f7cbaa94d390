import { request } from 'node:http';

export interface HttpResult {
  status: number;
  body: unknown;
}

export interface RequestOptions {
  body?: unknown;
  token?: string;
  /** Source address for the connection, e.g. 127.0.0.12: per-IP limits see a different client. */
  localAddress?: string;
  timeoutMs?: number;
}

/** One JSON request over a fresh connection (no keep-alive, nothing left open). */
export function requestJson(method: string, url: string, options: RequestOptions = {}): Promise<HttpResult> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { accept: 'application/json', connection: 'close' };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, localAddress: options.localAddress, timeout: options.timeoutMs ?? 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text.length > 0 ? JSON.parse(text) : null;
        } catch {
          // not JSON; keep the text
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Like requestJson, but any status other than 2xx is an error that says what the server answered. */
export async function expectJson<T>(method: string, url: string, options: RequestOptions = {}): Promise<T> {
  const res = await requestJson(method, url, options);
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`${method} ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body as T;
}
