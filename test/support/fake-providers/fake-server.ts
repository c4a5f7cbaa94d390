import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  json: any;
}

/** A scripted answer: the next matching request gets this instead of the normal one. */
export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void;

/** A file the provider fetched from a URL it was given, as it received it. */
export interface FetchedFile {
  url: string;
  status: number;
  contentType: string | null;
  body: Buffer;
}

/** A local HTTP server that records requests; subclasses imitate one provider's API. */
export abstract class FakeServer {
  readonly requests: RecordedRequest[] = [];
  /** Files fetched from URLs in sends (providers download agents' files from our public address). */
  readonly fetchedFiles: FetchedFile[] = [];
  private server?: Server;
  private readonly script: ScriptedReply[] = [];
  baseUrl = '';

  protected abstract handle(req: RecordedRequest, res: ServerResponse): void | Promise<void>;

  /** Whether a request is a send (scripted failures apply to sends only). */
  protected abstract isSend(req: RecordedRequest): boolean;

  /** The next sends get these answers, in order, before normal service resumes. */
  failNextSends(...replies: ScriptedReply[]): void {
    this.script.push(...replies);
  }

  sends(): RecordedRequest[] {
    return this.requests.filter((r) => this.isSend(r));
  }

  /**
   * Downloads a file named by URL in a send, as the provider does before (or while) it answers, and
   * records what came back. Never rejects: an unreachable URL is recorded with status 0.
   */
  protected async fetchFile(url: string): Promise<FetchedFile> {
    let fetched: FetchedFile;
    try {
      const response = await fetch(url, { redirect: 'follow' });
      fetched = {
        url,
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: Buffer.from(await response.arrayBuffer()),
      };
    } catch {
      fetched = { url, status: 0, contentType: null, body: Buffer.alloc(0) };
    }
    this.fetchedFiles.push(fetched);
    return fetched;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        let json: unknown = null;
        try {
          json = body.length ? JSON.parse(body.toString('utf8')) : null;
        } catch {
          json = null;
        }
        const recorded = {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          body,
          json,
        };
        this.requests.push(recorded);
        if (this.isSend(recorded) && this.script.length > 0) {
          const reply = this.script.shift() as ScriptedReply;
          send(res, reply.status, reply.body ?? {}, reply.headers);
          return;
        }
        void Promise.resolve(this.handle(recorded, res)).catch(() => {
          if (!res.headersSent) send(res, 500, { error: 'fake provider failed' });
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json',
    ...headers,
  });
  res.end(text);
}
