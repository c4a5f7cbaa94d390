import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { FakeServer, send, type RecordedRequest } from './fake-server.js';

const VERSION = 'v23.0';

/** A JPEG header and a few bytes: enough for a content sniffer to call it image/jpeg. */
export const FAKE_JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  Buffer.from('JFIF fake image bytes'),
  Buffer.from([0xff, 0xd9]),
]);

/**
 * The Graph API as WhatsApp Cloud API and Messenger use it:
 * - `POST /{version}/{phone-number-id}/messages` → `{ messaging_product, contacts: [{ input, wa_id }], messages: [{ id }] }`
 * - `GET /{version}/{media-id}` → `{ url, mime_type, sha256, file_size, id, messaging_product }`
 * - `GET <that url>` (bearer token required) → the bytes
 * - `POST /{version}/me/messages` → `{ recipient_id, message_id }`
 * Media sends name a URL Meta downloads (`image.link` / `document.link` on WhatsApp,
 * `attachment.payload.url` on Messenger); the imitation downloads it too (`fetchedFiles`), and Messenger
 * answers code 100 / subcode 2018008 when it cannot.
 * Errors use Graph's `{ error: { message, type, code, fbtrace_id } }`; a wrong token answers 401 code 190.
 */
export class FakeGraphApi extends FakeServer {
  readonly media = new Map<string, { body: Buffer; mimeType: string }>();

  constructor(private readonly accessToken: string) {
    super();
  }

  get apiBaseUrl(): string {
    return this.baseUrl;
  }

  protected isSend(req: RecordedRequest): boolean {
    return req.method === 'POST' && /\/messages$/.test(req.path) && req.json?.sender_action === undefined;
  }

  protected async handle(req: RecordedRequest, res: ServerResponse): Promise<void> {
    if (req.headers.authorization !== `Bearer ${this.accessToken}`) {
      send(res, 401, {
        error: {
          message: 'Invalid OAuth access token - Cannot parse access token',
          type: 'OAuthException',
          code: 190,
          fbtrace_id: 'Afake',
        },
      });
      return;
    }
    const path = req.path.split('?')[0];
    const waSend = path.match(new RegExp(`^/${VERSION}/(\\d+)/messages$`));
    if (req.method === 'POST' && waSend) {
      const to = req.json?.to ?? req.json?.recipient;
      const type: unknown = req.json?.type;
      if (type === 'image' || type === 'document') {
        const link: unknown = (req.json as Record<typeof type, { link?: unknown } | undefined>)[type]?.link;
        if (typeof link !== 'string')
          return send(res, 400, {
            error: { message: `(#100) Param ${type}['link'] is required`, type: 'OAuthException', code: 100 },
          });
        await this.fetchFile(link);
      }
      send(res, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: `wamid.${randomBytes(12).toString('hex')}` }],
      });
      return;
    }
    if (req.method === 'POST' && path === `/${VERSION}/me/messages`) {
      if (req.json?.sender_action) {
        send(res, 200, { recipient_id: req.json.recipient?.id });
        return;
      }
      const url: unknown = req.json?.message?.attachment?.payload?.url;
      if (typeof url === 'string' && (await this.fetchFile(url)).status !== 200) {
        send(res, 400, {
          error: {
            message: '(#100) Failed to fetch the file from the url',
            type: 'OAuthException',
            code: 100,
            error_subcode: 2018008,
          },
        });
        return;
      }
      send(res, 200, {
        recipient_id: req.json?.recipient?.id,
        message_id: `m_${randomBytes(12).toString('hex')}`,
      });
      return;
    }
    const download = path.match(/^\/download\/(.+)$/);
    if (req.method === 'GET' && download && this.media.has(download[1])) {
      const file = this.media.get(download[1])!;
      res.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(file.body.length) });
      res.end(file.body);
      return;
    }
    const lookup = path.match(new RegExp(`^/${VERSION}/(\\d+)$`));
    if (req.method === 'GET' && lookup && this.media.has(lookup[1])) {
      const file = this.media.get(lookup[1])!;
      send(res, 200, {
        messaging_product: 'whatsapp',
        url: `${this.baseUrl}/download/${lookup[1]}`,
        mime_type: file.mimeType,
        sha256: 'fake',
        file_size: file.body.length,
        id: lookup[1],
      });
      return;
    }
    send(res, 404, { error: { message: 'Unsupported request', type: 'GraphMethodException', code: 100 } });
  }
}
