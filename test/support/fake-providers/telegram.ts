import { http } from '../clients.js';
import type { TestNode } from '../test-app.js';
import type { ServerResponse } from 'node:http';
import { FakeServer, send, type RecordedRequest } from './fake-server.js';

/**
 * The Telegram Bot API as a bot uses it (every method answers `{ ok, result }` or
 * `{ ok: false, error_code, description, parameters? }`):
 * - `POST /bot<token>/sendMessage` (JSON `{ chat_id, text }`) → `{ ok: true, result: Message }`
 * - `POST /bot<token>/sendPhoto` (`{ chat_id, photo, caption? }`) and `sendDocument` (`{ chat_id,
 *   document, caption? }`) with an HTTP URL: Telegram downloads it (recorded in `fetchedFiles`) and
 *   answers the Message, or 400 `Bad Request: wrong file identifier/HTTP URL specified`
 * - `POST /bot<token>/sendChatAction` → `{ ok: true, result: true }`
 * - `POST /bot<token>/getFile` (`{ file_id }`) → `{ ok: true, result: { file_id, file_unique_id, file_size, file_path } }`
 * - `GET /file/bot<token>/<file_path>` → the bytes, as application/octet-stream
 * A wrong token answers 401 `Unauthorized`, an unknown file 400 `Bad Request: invalid file_id`.
 */
export class FakeTelegramApi extends FakeServer {
  /** file_id → file. */
  readonly files = new Map<string, { body: Buffer; path: string }>();
  private nextMessageId = 500;

  constructor(private readonly token: string) {
    super();
  }

  /** Requests to one method (`sendMessage`, `sendChatAction`, `getFile`). */
  calls(method: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path === `/bot${this.token}/${method}`);
  }

  protected isSend(req: RecordedRequest): boolean {
    return req.method === 'POST' && /\/(sendMessage|sendPhoto|sendDocument)$/.test(req.path);
  }

  private message(chatId: unknown, extra: Record<string, unknown>): Record<string, unknown> {
    return {
      message_id: this.nextMessageId++,
      from: { id: Number(this.token.split(':')[0]), is_bot: true, first_name: 'Claims bot' },
      chat: { id: Number(chatId), type: 'private' },
      date: Math.floor(Date.now() / 1000),
      ...extra,
    };
  }

  protected async handle(req: RecordedRequest, res: ServerResponse): Promise<void> {
    const path = req.path.split('?')[0];
    const download = path.match(/^\/file\/bot([^/]+)\/(.+)$/);
    if (req.method === 'GET' && download) {
      const file = [...this.files.values()].find((f) => f.path === decodeURIComponent(download[2]));
      if (download[1] !== this.token)
        return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      if (!file) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(file.body.length),
      });
      res.end(file.body);
      return;
    }
    const call = path.match(/^\/bot([^/]+)\/([A-Za-z]+)$/);
    if (!call || req.method !== 'POST')
      return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (call[1] !== this.token)
      return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const params = req.json ?? {};
    switch (call[2]) {
      case 'sendMessage':
        if (!params.chat_id || typeof params.text !== 'string' || !params.text)
          return send(res, 400, {
            ok: false,
            error_code: 400,
            description: 'Bad Request: message text is empty',
          });
        return send(res, 200, { ok: true, result: this.message(params.chat_id, { text: params.text }) });
      case 'sendPhoto':
      case 'sendDocument': {
        const field = call[2] === 'sendPhoto' ? 'photo' : 'document';
        const url: unknown = params[field];
        const fetched = typeof url === 'string' && /^https?:/.test(url) ? await this.fetchFile(url) : null;
        if (!params.chat_id || !fetched || fetched.status !== 200)
          return send(res, 400, {
            ok: false,
            error_code: 400,
            description: 'Bad Request: wrong file identifier/HTTP URL specified',
          });
        const file = {
          file_id: `AgAC${this.nextMessageId}`,
          file_unique_id: `AQAD${this.nextMessageId}`,
          file_size: fetched.body.length,
        };
        const caption: unknown = params.caption;
        return send(res, 200, {
          ok: true,
          result: this.message(params.chat_id, {
            ...(field === 'photo' ? { photo: [{ ...file, width: 1, height: 1 }] } : { document: file }),
            ...(typeof caption === 'string' ? { caption } : {}),
          }),
        });
      }
      case 'sendChatAction':
        return send(res, 200, { ok: true, result: true });
      case 'getFile': {
        const file = this.files.get(params.file_id);
        if (!file)
          return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
        return send(res, 200, {
          ok: true,
          result: {
            file_id: params.file_id,
            file_unique_id: 'u1',
            file_size: file.body.length,
            file_path: file.path,
          },
        });
      }
      default:
        return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    }
  }
}

/** The bot the tests' Telegram account stands for. */
export const TEST_BOT = {
  externalId: '7012345678',
  botToken: '7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
  webhookSecret: 'claims-bot_webhook-secret-42',
};

/** Creates a Telegram channel account for TEST_BOT through the admin API, pointed at `api`; returns its id. */
export async function createTelegramAccount(
  node: TestNode,
  adminToken: string,
  defaultQueueId: string,
  api: FakeTelegramApi,
): Promise<string> {
  const created = await http<{ id: string }>(node, 'POST', '/admin/channel-accounts', {
    token: adminToken,
    body: {
      network: 'telegram',
      name: 'Claims bot',
      externalId: TEST_BOT.externalId,
      defaultQueueId,
      settings: { apiBaseUrl: api.baseUrl },
      secrets: { botToken: TEST_BOT.botToken, webhookSecret: TEST_BOT.webhookSecret },
    },
  });
  if (created.status !== 201)
    throw new Error(`channel account refused: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}

let nextUpdateId = 880_000_000 + Math.floor(Math.random() * 100_000) * 1000;

/**
 * A Telegram `Update` with a private-chat message from Aisha Khan (`message` adds `text`, `photo`, …),
 * as the Bot API posts it to a webhook. Update ids are unique within the test run unless given.
 */
export function telegramUpdate(
  chatId: number,
  message: Record<string, unknown>,
  id = ++nextUpdateId,
): string {
  return JSON.stringify({
    update_id: id,
    message: {
      message_id: id % 100_000,
      from: { id: chatId, is_bot: false, first_name: 'Aisha', last_name: 'Khan', language_code: 'en' },
      chat: { id: chatId, first_name: 'Aisha', last_name: 'Khan', type: 'private' },
      date: Math.floor(Date.now() / 1000),
      ...message,
    },
  });
}
