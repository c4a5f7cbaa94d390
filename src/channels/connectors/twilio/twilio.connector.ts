import {
  SendError,
  type Connector,
  type ConnectorAccount,
  type FetchedMedia,
  type OutboundMessage,
  type SendResult,
} from '../connector.js';
import { mediaRule, mib, type MediaRule } from '../outbound-media.js';
import { callProvider, downloadLimited, type ProviderErrorReading } from '../provider-http.js';
import { formParams, parseTwilio, type TwilioKind } from './parse-twilio.js';
import { twilioSignatureValid } from './twilio-signature.js';

const DEFAULT_BASE = 'https://api.twilio.com';
/** Twilio error codes a later retry can fix: too many requests, queue overflow. */
const RETRYABLE_CODES = new Set([20429, 30001]);
/** WhatsApp: the 24-hour session is over; only a template (Content SID) can be sent. */
const OUTSIDE_WINDOW = 63016;

/**
 * Files by `MediaUrl`. SMS goes as MMS: 5 MB per message, these types among those Twilio accepts.
 * WhatsApp senders: WhatsApp's own limits (images JPEG/PNG up to 5 MB, PDF documents up to 16 MB).
 */
const MEDIA_RULES: Record<TwilioKind, readonly MediaRule[]> = {
  sms: [
    {
      kind: 'mms',
      contentTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf'],
      maxBytes: mib(5),
    },
  ],
  whatsapp: [
    { kind: 'image', contentTypes: ['image/jpeg', 'image/png'], maxBytes: mib(5) },
    { kind: 'document', contentTypes: ['application/pdf'], maxBytes: mib(16) },
  ],
};
/** `Body` is the caption of a file: 1600 characters for MMS, WhatsApp's 1024 for media captions. */
const CAPTION_MAX: Record<TwilioKind, number> = { sms: 1600, whatsapp: 1024 };

function base(account: ConnectorAccount): string {
  return (account.settings.apiBaseUrl || DEFAULT_BASE).replace(/\/+$/, '');
}

function basicAuth(account: ConnectorAccount): string {
  const pair = `${account.settings.accountSid ?? ''}:${account.secrets.authToken ?? ''}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

/** Twilio REST errors: `{ code, message, more_info, status }`. */
export function readTwilioError(status: number, body: unknown): ProviderErrorReading {
  const answer = (body ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof answer.code === 'number' ? answer.code : undefined;
  const text = typeof answer.message === 'string' ? answer.message : `HTTP ${status}`;
  const reason = `Twilio: ${text}${code ? ` (error ${code})` : ''}`;
  if (code === OUTSIDE_WINDOW)
    return { reason: `outside the 24-hour WhatsApp session: ${reason}`, retryable: false };
  if (code !== undefined && RETRYABLE_CODES.has(code)) return { reason, retryable: true };
  return { reason };
}

function address(kind: TwilioKind, handle: string): string {
  if (kind === 'sms') return handle;
  return `whatsapp:+${handle.replace(/^whatsapp:/, '').replace(/^\+/, '')}`;
}

function form(
  kind: TwilioKind,
  account: ConnectorAccount,
  to: string,
  message: OutboundMessage,
): URLSearchParams {
  const params = new URLSearchParams({ To: address(kind, to) });
  if (account.settings.messagingServiceSid)
    params.set('MessagingServiceSid', account.settings.messagingServiceSid);
  else params.set('From', address(kind, account.externalId));
  if (account.settings.webhookUrl) params.set('StatusCallback', account.settings.webhookUrl);
  switch (message.type) {
    case 'text':
      params.set('Body', message.text);
      break;
    case 'template':
      if (kind !== 'whatsapp') throw new SendError('SMS has no template messages', false);
      // A Content API template: its SID is the template name, variables are numbered from 1.
      params.set('ContentSid', message.name);
      params.set(
        'ContentVariables',
        JSON.stringify(Object.fromEntries(message.parameters.map((p, i) => [String(i + 1), p]))),
      );
      break;
    case 'media':
      mediaRule(kind === 'sms' ? 'MMS' : 'WhatsApp', message, MEDIA_RULES[kind]);
      params.set('MediaUrl', message.url);
      if (message.caption) params.set('Body', message.caption);
      break;
  }
  return params;
}

function twilioConnector(kind: TwilioKind): Connector {
  return {
    name: kind === 'sms' ? 'twilio' : 'twilio-whatsapp',
    channel: kind,
    capabilities: {
      typing: false,
      readReceipts: true,
      media: true,
      outboundMedia: true,
      mediaCaptionMaxLength: CAPTION_MAX[kind],
      templates: kind === 'whatsapp',
      messagingWindowHours: kind === 'whatsapp' ? 24 : null,
    },
    accountSchema: {
      settings: [
        { name: 'accountSid', required: true, description: 'The Twilio Account SID (AC…)' },
        {
          name: 'webhookUrl',
          required: false,
          description:
            "This account's public webhook URL as configured at Twilio (https://<host>/webhooks/<network>/<account id>); sent as StatusCallback and accepted for signatures",
        },
        {
          name: 'messagingServiceSid',
          required: false,
          description: 'Send through this Messaging Service (MG…) instead of From = the account number',
        },
        { name: 'apiBaseUrl', required: false, description: `REST API base URL (default ${DEFAULT_BASE})` },
        ...(kind === 'whatsapp'
          ? [
              {
                name: 'windowTemplateName',
                required: false,
                description: 'Content SID (HX…) of the approved template sent outside the 24-hour session',
              },
            ]
          : []),
      ],
      secrets: [
        {
          name: 'authToken',
          required: true,
          description: 'The Twilio Auth Token: signs webhooks, authenticates sends',
        },
      ],
    },

    verifyRequest(request, account) {
      const token = account.secrets.authToken;
      if (!token) return { ok: false, reason: 'the account has no authToken' };
      const received = request.headers['x-twilio-signature'];
      if (!received) return { ok: false, reason: 'X-Twilio-Signature is missing' };
      let params: URLSearchParams;
      try {
        params = formParams(request.rawBody);
      } catch {
        return { ok: false, reason: 'the body is not form-encoded, so it cannot be a signed Twilio webhook' };
      }
      const urls = [request.url, account.settings.webhookUrl].filter((u): u is string => Boolean(u));
      return twilioSignatureValid(token, urls, params, received)
        ? { ok: true }
        : { ok: false, reason: 'X-Twilio-Signature does not match' };
    },

    parse: (request, account) =>
      parseTwilio(request.rawBody, kind, account.settings.accountSid ?? '', request.receivedAt),

    async send(account, to, message): Promise<SendResult> {
      const sid = encodeURIComponent(account.settings.accountSid ?? '');
      const body = (await callProvider(
        `${base(account)}/2010-04-01/Accounts/${sid}/Messages.json`,
        {
          method: 'POST',
          headers: { authorization: basicAuth(account), 'content-type': 'application/x-www-form-urlencoded' },
          body: form(kind, account, to, message).toString(),
        },
        readTwilioError,
      )) as { sid?: unknown } | null;
      if (typeof body?.sid !== 'string') throw new Error('Twilio answered without a message sid');
      return { providerMessageId: body.sid };
    },

    async fetchMedia(account, media, maxBytes): Promise<FetchedMedia> {
      if (!media.url) throw new Error('Twilio media needs a MediaUrl');
      // Credentials go only to Twilio's own API (which then redirects to a signed storage URL).
      const sameOrigin = new URL(media.url).origin === new URL(base(account)).origin;
      const file = await downloadLimited(
        media.url,
        sameOrigin ? { headers: { authorization: basicAuth(account) } } : {},
        maxBytes,
      );
      return {
        body: file.body,
        contentType: media.contentType ?? file.contentType,
        fileName: media.fileName,
      };
    },
  };
}

/** Twilio Programmable Messaging, SMS: one account is one Twilio number (`externalId` = +E.164). */
export const twilioSmsConnector = twilioConnector('sms');
/** Twilio WhatsApp senders: one account is one WhatsApp-enabled Twilio number (`externalId` = +E.164). */
export const twilioWhatsappConnector = twilioConnector('whatsapp');
