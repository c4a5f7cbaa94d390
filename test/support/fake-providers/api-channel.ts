import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { apiSignature } from '../../../src/channels/connectors/api/api-signature.js';
import { FakeServer, send, type RecordedRequest } from './fake-server.js';

/**
 * A partner app behind the generic API channel: `POST /outbound` receives agent messages, checks
 * `X-Switchboard-Signature` (401 on mismatch), downloads the `attachments[].url` of a message (recorded
 * in `fetchedFiles`) and answers `{ id }`.
 */
export class FakeApiPartner extends FakeServer {
  constructor(private readonly secret: string) {
    super();
  }

  get outboundUrl(): string {
    return `${this.baseUrl}/outbound`;
  }

  protected isSend(req: RecordedRequest): boolean {
    return req.method === 'POST' && req.path === '/outbound' && req.json?.type === 'message';
  }

  protected async handle(req: RecordedRequest, res: ServerResponse): Promise<void> {
    const ts = String(req.headers['x-switchboard-timestamp'] ?? '');
    if (req.headers['x-switchboard-signature'] !== apiSignature(this.secret, ts, req.body)) {
      send(res, 401, { error: 'bad signature' });
      return;
    }
    const attachments = (req.json as { attachments?: unknown } | null)?.attachments;
    if (Array.isArray(attachments))
      for (const file of attachments as { url?: unknown }[]) await this.fetchFile(String(file.url));
    send(res, 200, { id: `partner-${randomBytes(6).toString('hex')}` });
  }
}
