import type { Connector, ConnectorAccount, FetchedMedia, OutboundMessage, SendResult } from '../connector.js';
import { SendError } from '../connector.js';
import { graphBase, graphErrorReason, metaHandshake, verifyMetaSignature } from '../meta-webhook.js';
import { mediaRule, mib, type MediaRule } from '../outbound-media.js';
import { callProvider, downloadLimited, type ProviderErrorReading } from '../provider-http.js';
import { parseMessenger } from './parse-messenger.js';

const THROTTLING_CODES = new Set([4, 32, 613]);

function readGraphError(status: number, body: unknown): ProviderErrorReading {
  const error = (body as { error?: { code?: unknown; error_subcode?: unknown } } | null)?.error;
  const reason = graphErrorReason(status, body);
  if (error?.code === 10 && error.error_subcode === 2018278) {
    return { reason: `outside the 24-hour messaging window: ${reason}`, retryable: false };
  }
  if (typeof error?.code === 'number' && THROTTLING_CODES.has(error.code)) return { reason, retryable: true };
  return { reason };
}

/** Send API attachments by URL: 25 MB each; images Messenger does not render inline go as `file`. */
const MEDIA_RULES: readonly MediaRule[] = [
  { kind: 'image', contentTypes: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: mib(25) },
  { kind: 'file', contentTypes: ['application/pdf', 'image/webp'], maxBytes: mib(25) },
];

/** The Send API `message` object; an attachment carries no text, so files take no caption. */
function messageOf(message: OutboundMessage): Record<string, unknown> {
  switch (message.type) {
    case 'text':
      return { text: message.text };
    case 'template':
      throw new SendError('Messenger has no template messages', false);
    case 'media':
      return {
        attachment: {
          type: mediaRule('Messenger', message, MEDIA_RULES).kind,
          // Not reusable: every file is sent once, and Meta need not keep it.
          payload: { url: message.url, is_reusable: false },
        },
      };
  }
}

function post(account: ConnectorAccount, body: Record<string, unknown>): Promise<unknown> {
  return callProvider(
    `${graphBase(account)}/me/messages`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${account.secrets.pageAccessToken ?? ''}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    },
    readGraphError,
  );
}

/** Facebook Messenger and Instagram messaging (same platform); `externalId` = page / Instagram account id. */
export const messengerConnector: Connector = {
  name: 'messenger',
  channel: 'messenger',
  capabilities: {
    typing: true,
    readReceipts: true,
    media: true,
    outboundMedia: true,
    mediaCaptionMaxLength: null,
    templates: false,
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
    ],
    secrets: [
      { name: 'appSecret', required: true, description: 'Meta app secret: checks X-Hub-Signature-256' },
      { name: 'pageAccessToken', required: true, description: 'Page access token with pages_messaging' },
      {
        name: 'verifyToken',
        required: true,
        description: 'The verify token entered in the app webhook settings',
      },
    ],
  },

  verifyRequest: (request, account) => verifyMetaSignature(request, account),
  handshake: metaHandshake,
  parse: (request, account) => parseMessenger(request.rawBody, account.externalId),

  async send(account, to, message: OutboundMessage): Promise<SendResult> {
    const body = await post(account, {
      recipient: { id: to },
      messaging_type: 'RESPONSE',
      message: messageOf(message),
    });
    const id = (body as { message_id?: unknown } | null)?.message_id;
    if (typeof id !== 'string') throw new Error('Messenger answered without a message_id');
    return { providerMessageId: id };
  },

  async sendTyping(account, to, active): Promise<void> {
    await post(account, { recipient: { id: to }, sender_action: active ? 'typing_on' : 'typing_off' });
  },

  async fetchMedia(account, media, maxBytes): Promise<FetchedMedia> {
    // Attachment URLs are pre-signed CDN links: no token needed (and none is sent to the CDN).
    if (!media.url) throw new Error('Messenger media needs a url');
    const file = await downloadLimited(media.url, {}, maxBytes);
    return { body: file.body, contentType: media.contentType ?? file.contentType, fileName: media.fileName };
  },
};
