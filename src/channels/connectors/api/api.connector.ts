import { MESSAGE_MAX_LENGTH } from '../../../realtime/contracts/common.js';
import type { Connector, ConnectorAccount, FetchedMedia, OutboundMessage, SendResult } from '../connector.js';
import { SendError } from '../connector.js';
import { callProvider, downloadLimited } from '../provider-http.js';
import { apiSignature, checkApiSignature } from './api-signature.js';
import { parseApi } from './parse-api.js';

function signedPost(
  account: ConnectorAccount,
  payload: Record<string, unknown>,
  now = new Date(),
): Promise<unknown> {
  const url = account.settings.outboundUrl;
  if (!url) throw new SendError('the account has no outboundUrl', false);
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return callProvider(
    url,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-switchboard-timestamp': timestamp,
        'x-switchboard-signature': apiSignature(account.secrets.signingSecret ?? '', timestamp, body),
        'idempotency-key': typeof payload.id === 'string' ? payload.id : '',
      },
      body,
    },
    (status, answer) => {
      const error = (answer as { error?: unknown } | null)?.error;
      const retryAfter = (answer as { retryAfter?: unknown } | null)?.retryAfter;
      return {
        reason: typeof error === 'string' ? error : `HTTP ${status}`,
        retryAfterSeconds: typeof retryAfter === 'number' ? retryAfter : undefined,
      };
    },
  );
}

/** The documented outbound message (docs/connectors/api.md): text, or a file with its caption as text. */
function messageOf(id: string, to: string, message: OutboundMessage): Record<string, unknown> {
  switch (message.type) {
    case 'text':
      return { type: 'message', id, to, text: message.text };
    case 'template':
      throw new SendError('the API channel has no template messages', false);
    case 'media': {
      const { url, contentType, fileName, size } = message;
      return {
        type: 'message',
        id,
        to,
        text: message.caption ?? '',
        attachments: [{ url, contentType, fileName, size }],
      };
    }
  }
}

/** Generic JSON webhook in and out (docs/connectors/api.md), for bridges and in-house apps. */
export const apiConnector: Connector = {
  name: 'api',
  channel: 'api',
  capabilities: {
    typing: true,
    readReceipts: true,
    media: true,
    outboundMedia: true,
    // The message text travels with the file in the same JSON, whatever its length.
    mediaCaptionMaxLength: MESSAGE_MAX_LENGTH,
    templates: false,
    messagingWindowHours: null,
  },
  accountSchema: {
    settings: [
      { name: 'outboundUrl', required: true, description: 'URL that receives agent messages (POST, JSON)' },
    ],
    secrets: [{ name: 'signingSecret', required: true, description: 'HMAC-SHA256 key for both directions' }],
  },

  verifyRequest(request, account, now) {
    const secret = account.secrets.signingSecret;
    if (!secret) return { ok: false, reason: 'account has no signingSecret' };
    const problem = checkApiSignature(
      secret,
      request.headers['x-switchboard-timestamp'],
      request.headers['x-switchboard-signature'],
      request.rawBody,
      now,
    );
    return problem ? { ok: false, reason: problem } : { ok: true };
  },

  parse: (request) => parseApi(request.rawBody, request.receivedAt),

  async send(account, to, message, idempotencyKey): Promise<SendResult> {
    const answer = await signedPost(account, messageOf(idempotencyKey, to, message));
    const id = (answer as { id?: unknown } | null)?.id;
    // A bridge that keeps no ids of its own may answer 200 without one; our id then stands for it.
    return { providerMessageId: typeof id === 'string' && id ? id : idempotencyKey };
  },

  async sendTyping(account, to, active): Promise<void> {
    await signedPost(account, { type: 'typing', to, active });
  },

  async fetchMedia(_account, media, maxBytes): Promise<FetchedMedia> {
    if (!media.url) throw new Error('API channel media needs a url');
    const file = await downloadLimited(media.url, {}, maxBytes);
    return { body: file.body, contentType: media.contentType ?? file.contentType, fileName: media.fileName };
  },
};
