import {
  MediaTooLargeError,
  type Connector,
  type ConnectorAccount,
  type FetchedMedia,
  type MediaRef,
  type OutboundMessage,
  type SendResult,
} from '../connector.js';
import { metaHandshake, graphBase, graphErrorReason, verifyMetaSignature } from '../meta-webhook.js';
import { mediaRule, mib, type MediaRule } from '../outbound-media.js';
import { callProvider, downloadLimited, type ProviderErrorReading } from '../provider-http.js';
import { parseWhatsapp } from './parse-whatsapp.js';

/** Graph error codes a later retry can fix: throttling (account, app, per-pair, spam-rate). */
const THROTTLING_CODES = new Set([4, 80007, 130429, 131048, 131056]);
/** Business-scoped user ids look like `US.13491208655302741918`; phones are digits. */
const BSUID = /^[A-Z]{2}\.[A-Za-z0-9.]+$/;

function readGraphError(status: number, body: unknown): ProviderErrorReading {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  const reason = graphErrorReason(status, body);
  if (code === 131047)
    return { reason: `outside the 24-hour customer service window: ${reason}`, retryable: false };
  if (typeof code === 'number' && THROTTLING_CODES.has(code)) return { reason, retryable: true };
  return { reason };
}

/** Cloud API "supported media types", as sent by link (GIF and WebP are not among them). */
const MEDIA_RULES: readonly MediaRule[] = [
  { kind: 'image', contentTypes: ['image/jpeg', 'image/png'], maxBytes: mib(5) },
  { kind: 'document', contentTypes: ['application/pdf'], maxBytes: mib(100) },
];
/** Captions of images and documents. */
const CAPTION_MAX = 1024;

function authorised(account: ConnectorAccount): Record<string, string> {
  return { authorization: `Bearer ${account.secrets.accessToken ?? ''}` };
}

function messageBody(to: string, message: OutboundMessage): Record<string, unknown> {
  const recipient = BSUID.test(to) ? { recipient: to } : { to };
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', ...recipient };
  switch (message.type) {
    case 'text':
      return { ...base, type: 'text', text: { body: message.text, preview_url: false } };
    case 'template':
      return {
        ...base,
        type: 'template',
        template: {
          name: message.name,
          language: { code: message.language },
          components:
            message.parameters.length > 0
              ? [{ type: 'body', parameters: message.parameters.map((text) => ({ type: 'text', text })) }]
              : [],
        },
      };
    case 'media': {
      const kind = mediaRule('WhatsApp', message, MEDIA_RULES).kind;
      const caption = message.caption ? { caption: message.caption } : {};
      return kind === 'image'
        ? { ...base, type: 'image', image: { link: message.url, ...caption } }
        : {
            ...base,
            type: 'document',
            document: { link: message.url, ...caption, filename: message.fileName },
          };
    }
  }
}

/** WhatsApp Business Cloud API: one account is one business phone number (`externalId` = phone number id). */
export const whatsappConnector: Connector = {
  name: 'whatsapp',
  channel: 'whatsapp',
  capabilities: {
    typing: false,
    readReceipts: true,
    media: true,
    outboundMedia: true,
    mediaCaptionMaxLength: CAPTION_MAX,
    templates: true,
    messagingWindowHours: 24,
  },
  accountSchema: {
    settings: [
      {
        name: 'apiBaseUrl',
        required: false,
        description: 'Graph API base URL (default https://graph.facebook.com)',
      },
      { name: 'apiVersion', required: false, description: 'Graph API version (default v23.0)' },
      {
        name: 'windowTemplateName',
        required: false,
        description: 'Template offered to agents outside the 24-hour window',
      },
      {
        name: 'windowTemplateLanguage',
        required: false,
        description: 'Language code of that template (default en)',
      },
    ],
    secrets: [
      { name: 'appSecret', required: true, description: 'Meta app secret: checks X-Hub-Signature-256' },
      {
        name: 'accessToken',
        required: true,
        description: 'System user access token with whatsapp_business_messaging',
      },
      {
        name: 'verifyToken',
        required: true,
        description: 'The verify token entered in the app webhook settings',
      },
    ],
  },

  verifyRequest: (request, account) => verifyMetaSignature(request, account),
  handshake: metaHandshake,
  parse: (request, account) => parseWhatsapp(request.rawBody, account.externalId),

  async send(account, to, message): Promise<SendResult> {
    const body = await callProvider(
      `${graphBase(account)}/${encodeURIComponent(account.externalId)}/messages`,
      {
        method: 'POST',
        headers: { ...authorised(account), 'content-type': 'application/json' },
        body: JSON.stringify(messageBody(to, message)),
      },
      readGraphError,
    );
    const id = (body as { messages?: { id?: unknown }[] } | null)?.messages?.[0]?.id;
    if (typeof id !== 'string') throw new Error('WhatsApp answered without a message id');
    return { providerMessageId: id };
  },

  async fetchMedia(account, media: MediaRef, maxBytes): Promise<FetchedMedia> {
    if (!media.providerMediaId) throw new Error('WhatsApp media needs a media id');
    // Step 1: the media id resolves to a short-lived URL; step 2: that URL needs the same token.
    const info = (await callProvider(
      `${graphBase(account)}/${encodeURIComponent(media.providerMediaId)}`,
      { headers: authorised(account) },
      graphErrorReason,
    )) as { url?: unknown; mime_type?: unknown; file_size?: unknown } | null;
    if (typeof info?.url !== 'string') throw new Error('WhatsApp media lookup returned no url');
    if (typeof info.file_size === 'number' && info.file_size > maxBytes) {
      throw new MediaTooLargeError(info.file_size, maxBytes);
    }
    const file = await downloadLimited(info.url, { headers: authorised(account) }, maxBytes);
    return {
      body: file.body,
      contentType: typeof info.mime_type === 'string' ? info.mime_type : file.contentType,
      fileName: media.fileName,
    };
  },
};
