import {
  MediaTooLargeError,
  SendError,
  type Connector,
  type ConnectorAccount,
  type FetchedMedia,
  type OutboundMessage,
  type SendResult,
} from '../connector.js';
import { mediaRule, mib, type MediaRule } from '../outbound-media.js';
import { callProvider, downloadLimited, type ProviderErrorReading } from '../provider-http.js';
import { signaturesMatch } from '../signature.js';
import { parseTelegram } from './parse-telegram.js';

const DEFAULT_BASE = 'https://api.telegram.org';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/**
 * Files sent by URL ("Sending files"): photos up to 5 MB, other files up to 20 MB, and sendDocument
 * fetches only GIF, PDF and ZIP files from a URL.
 */
const MEDIA_RULES: readonly MediaRule[] = [
  { kind: 'sendPhoto', contentTypes: ['image/jpeg', 'image/png', 'image/webp'], maxBytes: mib(5) },
  { kind: 'sendDocument', contentTypes: ['application/pdf', 'image/gif'], maxBytes: mib(20) },
];
/** Media captions, 0-1024 characters. */
const CAPTION_MAX = 1024;

function base(account: ConnectorAccount): string {
  return (account.settings.apiBaseUrl || DEFAULT_BASE).replace(/\/+$/, '');
}

/** `<base>/bot<token>/<method>`; the token is a secret, so these URLs never reach a log or an error. */
function methodUrl(account: ConnectorAccount, method: string): string {
  return `${base(account)}/bot${account.secrets.botToken ?? ''}/${method}`;
}

/**
 * Telegram answers `{ ok: false, error_code, description, parameters: { retry_after } }`. A flood
 * limit (429) says how long to wait in the body, not in a header.
 */
export function readTelegramError(status: number, body: unknown): ProviderErrorReading {
  const answer = (body ?? {}) as { description?: unknown; error_code?: unknown; parameters?: unknown };
  const description = typeof answer.description === 'string' ? answer.description : `HTTP ${status}`;
  const retryAfter = (answer.parameters as { retry_after?: unknown } | undefined)?.retry_after;
  return {
    reason: `Telegram: ${description}`,
    retryAfterSeconds: typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter : undefined,
  };
}

async function call(account: ConnectorAccount, method: string, payload: unknown): Promise<unknown> {
  const body = (await callProvider(
    methodUrl(account, method),
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) },
    readTelegramError,
  )) as { ok?: unknown; result?: unknown } | null;
  // Telegram always sets ok=false together with a non-2xx status; a 200 without ok is not Telegram.
  if (body?.ok !== true) throw new SendError('Telegram answered without ok=true', true);
  return body.result;
}

/** The Bot API method and parameters that send `message` to the chat `to`. */
function sendCall(
  to: string,
  message: OutboundMessage,
): { method: string; payload: Record<string, unknown> } {
  switch (message.type) {
    case 'text':
      return { method: 'sendMessage', payload: { chat_id: to, text: message.text } };
    case 'template':
      throw new SendError('Telegram has no template messages', false);
    case 'media': {
      const method = mediaRule('Telegram', message, MEDIA_RULES).kind;
      const field = method === 'sendPhoto' ? 'photo' : 'document';
      const caption = message.caption ? { caption: message.caption } : {};
      return { method, payload: { chat_id: to, [field]: message.url, ...caption } };
    }
  }
}

/** Telegram Bot API: one account is one bot (`externalId` = the bot's numeric id or username). */
export const telegramConnector: Connector = {
  name: 'telegram',
  channel: 'telegram',
  capabilities: {
    typing: true,
    readReceipts: false,
    media: true,
    outboundMedia: true,
    mediaCaptionMaxLength: CAPTION_MAX,
    templates: false,
    messagingWindowHours: null,
  },
  accountSchema: {
    settings: [
      { name: 'apiBaseUrl', required: false, description: `Bot API base URL (default ${DEFAULT_BASE})` },
    ],
    secrets: [
      { name: 'botToken', required: true, description: 'The bot token from @BotFather (123456:ABC-…)' },
      {
        name: 'webhookSecret',
        required: true,
        description:
          'The secret_token given to setWebhook (1–256 of A-Z a-z 0-9 _ -); Telegram sends it in X-Telegram-Bot-Api-Secret-Token',
      },
    ],
  },

  verifyRequest(request, account) {
    const expected = account.secrets.webhookSecret;
    if (!expected) return { ok: false, reason: 'the account has no webhookSecret' };
    const received = request.headers[SECRET_HEADER];
    if (!received) return { ok: false, reason: 'X-Telegram-Bot-Api-Secret-Token is missing' };
    return signaturesMatch(received, expected)
      ? { ok: true }
      : { ok: false, reason: 'X-Telegram-Bot-Api-Secret-Token does not match' };
  },

  parse: (request) => parseTelegram(request.rawBody),

  async send(account, to, message): Promise<SendResult> {
    const { method, payload } = sendCall(to, message);
    const result = (await call(account, method, payload)) as {
      message_id?: unknown;
    } | null;
    if (typeof result?.message_id !== 'number') throw new Error('Telegram answered without a message_id');
    // Message ids count per chat: the chat id makes ours unique per bot.
    return { providerMessageId: `${to}:${result.message_id}` };
  },

  async sendTyping(account, to, active): Promise<void> {
    // Telegram clears "typing…" by itself after 5 seconds or when our message arrives.
    if (!active) return;
    await call(account, 'sendChatAction', { chat_id: to, action: 'typing' });
  },

  async fetchMedia(account, media, maxBytes): Promise<FetchedMedia> {
    if (!media.providerMediaId) throw new Error('Telegram media needs a file_id');
    const file = (await call(account, 'getFile', { file_id: media.providerMediaId })) as {
      file_path?: unknown;
      file_size?: unknown;
    } | null;
    if (typeof file?.file_path !== 'string') throw new Error('Telegram getFile returned no file_path');
    if (typeof file.file_size === 'number' && file.file_size > maxBytes)
      throw new MediaTooLargeError(file.file_size, maxBytes);
    const path = file.file_path.split('/').map(encodeURIComponent).join('/');
    const downloaded = await downloadLimited(
      `${base(account)}/file/bot${account.secrets.botToken ?? ''}/${path}`,
      {},
      maxBytes,
    );
    return {
      body: downloaded.body,
      // Telegram serves every file as application/octet-stream; the update said what it is.
      contentType: media.contentType ?? downloaded.contentType,
      fileName: media.fileName,
    };
  },
};
