import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { twilioSignature } from '../../../src/channels/connectors/twilio/twilio-signature.js';
import { FakeServer, send, type RecordedRequest } from './fake-server.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * Twilio's REST API for Programmable Messaging, with HTTP basic auth AccountSid:AuthToken:
 * - `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` (form: To, From | MessagingServiceSid,
 *   Body | ContentSid + ContentVariables, MediaUrl (repeatable), StatusCallback) → 201 with the Message
 *   resource (`sid` MM… when it has media, else SM…); Twilio fetches each MediaUrl (recorded in
 *   `fetchedFiles`)
 * - `GET /2010-04-01/Accounts/{AccountSid}/Messages/{MM…}/Media/{ME…}` (credentials required, as with
 *   "HTTP Auth on media URLs" enforced) → 307 to a storage URL, as Twilio redirects media to storage
 * Errors are `{ code, message, more_info, status }`; wrong credentials answer 401 code 20003.
 * `webhook()` plays Twilio calling us: a form-encoded POST signed with X-Twilio-Signature.
 */
export class FakeTwilioApi extends FakeServer {
  /** media path (`/2010-04-01/Accounts/.../Media/ME…`) → file. */
  readonly media = new Map<string, { body: Buffer; contentType: string }>();

  constructor(
    readonly accountSid: string,
    private readonly authToken: string,
  ) {
    super();
  }

  /** The form parameters of a recorded request. */
  static form(req: RecordedRequest): Record<string, string> {
    return Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
  }

  /** Adds a media file and returns the MediaUrl Twilio would put in the webhook. */
  addMedia(messageSid: string, body: Buffer, contentType: string): string {
    const path = `/2010-04-01/Accounts/${this.accountSid}/Messages/${messageSid}/Media/ME${hex(16)}`;
    this.media.set(path, { body, contentType });
    return `${this.baseUrl}${path}`;
  }

  /** Posts `params` to `url` as Twilio does, signed for `signedUrl` (default: `url`). */
  async webhook(
    url: string,
    params: Record<string, string>,
    options: { signedUrl?: string; authToken?: string } = {},
  ): Promise<{ status: number; body: string }> {
    const form = new URLSearchParams(params);
    const signature = twilioSignature(options.authToken ?? this.authToken, options.signedUrl ?? url, form);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature,
        'i-twilio-idempotency-token': hex(16),
      },
      body: form.toString(),
    });
    return { status: response.status, body: await response.text() };
  }

  protected isSend(req: RecordedRequest): boolean {
    return req.method === 'POST' && /\/Messages\.json$/.test(req.path);
  }

  protected async handle(req: RecordedRequest, res: ServerResponse): Promise<void> {
    const path = req.path.split('?')[0];
    const storage = path.match(/^\/storage\/(.+)$/);
    if (req.method === 'GET' && storage) {
      const file = this.media.get(decodeURIComponent(storage[1]));
      if (!file) return send(res, 404, { message: 'Not found' });
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.body.length) });
      res.end(file.body);
      return;
    }
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    if (
      req.headers.authorization !== expected ||
      !path.startsWith(`/2010-04-01/Accounts/${this.accountSid}/`)
    ) {
      return send(res, 401, {
        code: 20003,
        message: 'Authenticate',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      });
    }
    if (req.method === 'GET' && this.media.has(path)) {
      res.writeHead(307, { location: `${this.baseUrl}/storage/${encodeURIComponent(path)}` });
      res.end();
      return;
    }
    if (this.isSend(req)) {
      const form = FakeTwilioApi.form(req);
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded' || !form.To)
        return send(res, 400, {
          code: 21604,
          message: "A 'To' phone number is required.",
          more_info: 'https://www.twilio.com/docs/errors/21604',
          status: 400,
        });
      if (!form.Body && !form.ContentSid && !form.MediaUrl)
        return send(res, 400, { code: 21602, message: 'Message body is required.', status: 400 });
      const mediaUrls = new URLSearchParams(req.body.toString('utf8')).getAll('MediaUrl');
      for (const url of mediaUrls) await this.fetchFile(url);
      const now = new Date().toUTCString();
      return send(res, 201, {
        account_sid: this.accountSid,
        api_version: '2010-04-01',
        body: form.Body ?? '',
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: form.From ?? null,
        messaging_service_sid: form.MessagingServiceSid ?? null,
        num_media: String(mediaUrls.length),
        num_segments: '1',
        price: null,
        price_unit: 'USD',
        sid: `${mediaUrls.length > 0 ? 'MM' : 'SM'}${hex(16)}`,
        status: 'queued',
        to: form.To,
        uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/SM.json`,
      });
    }
    send(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
  }
}
