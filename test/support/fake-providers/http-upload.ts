import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeServer, send, type RecordedRequest } from './fake-server.js';

/**
 * The file host behind an XMPP server's HTTP File Upload (XEP-0363), as a customer's client leaves a
 * file there: `GET /<slot>/<name>` serves it with its type; the client then sends the URL as OOB data.
 */
export class FakeHttpUpload extends FakeServer {
  private readonly files = new Map<string, { body: Buffer; contentType: string }>();

  /** Stores a file as an upload slot would and returns its GET URL. */
  put(name: string, body: Buffer, contentType: string): string {
    const path = `/${randomBytes(8).toString('hex')}/${encodeURIComponent(name)}`;
    this.files.set(path, { body, contentType });
    return `${this.baseUrl}${path}`;
  }

  protected isSend(_req: RecordedRequest): boolean {
    return false;
  }

  protected handle(req: RecordedRequest, res: ServerResponse): void {
    const file = req.method === 'GET' ? this.files.get(req.path) : undefined;
    if (!file) return send(res, 404, { error: 'not found' });
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.body.length) });
    res.end(file.body);
  }
}
