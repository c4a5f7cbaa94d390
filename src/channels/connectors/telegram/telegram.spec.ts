import { PayloadError, SendError, type ConnectorAccount, type InboundRequest } from '../connector.js';
import { fixture, notOkFixtures, okFixtures } from '../fixtures.js';
import { readTelegramError, telegramConnector } from './telegram.connector.js';

const account: ConnectorAccount = {
  id: 'a1',
  network: 'telegram',
  externalId: '7012345678',
  settings: {},
  secrets: { botToken: '7012345678:AAE-token', webhookSecret: 'tg-secret_0123456789' },
};

function request(body: Buffer, secret?: string): InboundRequest {
  return {
    rawBody: body,
    headers: secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret },
    url: 'https://sb.example/webhooks/telegram/a1',
    receivedAt: new Date('2026-01-01T00:00:00Z'),
  };
}

const parse = (name: string) => telegramConnector.parse(request(fixture(import.meta.url, name)), account);

describe('Telegram updates', () => {
  it('reads a private text message keyed on update_id, from the chat id, with the sender name', () => {
    expect(parse('text-message.json')).toEqual([
      {
        kind: 'message',
        providerMessageId: '646911460',
        from: { externalId: '381793449', displayName: 'Aisha Khan' },
        sentAt: new Date(1764163200 * 1000),
        content: { type: 'text', text: 'Hello, I need to report a burst pipe' },
      },
    ]);
  });

  it('picks the largest size of a photo, whatever the order of the sizes', () => {
    expect(parse('photo-message.json')[0]).toMatchObject({
      providerMessageId: '646911461',
      content: {
        type: 'media',
        media: { providerMediaId: 'AgACAgQAAxkBAAMFZlarge', contentType: 'image/jpeg' },
        caption: 'Water in the kitchen',
      },
    });
  });

  it('reads a document with its file name and type, and a location', () => {
    expect(parse('document-message.json')[0]).toMatchObject({
      content: {
        type: 'media',
        media: {
          providerMediaId: 'BQACAgQAAxkBAAMGZdoc',
          contentType: 'application/pdf',
          fileName: 'plumber-invoice.pdf',
        },
      },
    });
    expect(parse('location-message.json')[0]).toMatchObject({
      content: { type: 'location', latitude: 53.4808, longitude: -2.2426 },
    });
  });

  it('ignores edits and group chats', () => {
    expect(parse('edited-message.json')).toEqual([]);
    expect(parse('group-message.json')).toEqual([]);
  });

  it('parses every ok fixture', () => {
    for (const f of okFixtures(import.meta.url))
      expect(() => telegramConnector.parse(request(f.body), account)).not.toThrow();
  });

  it.each(notOkFixtures(import.meta.url).map((f) => [f.name, f.body] as const))(
    'rejects %s',
    (_name, body) => {
      expect(() => telegramConnector.parse(request(body), account)).toThrow(PayloadError);
    },
  );
});

describe('Telegram secret token', () => {
  const body = fixture(import.meta.url, 'text-message.json');
  const verify = (secret?: string, acc = account) =>
    telegramConnector.verifyRequest(request(body, secret), acc, new Date());

  it('accepts the secret_token given to setWebhook', () => {
    expect(verify('tg-secret_0123456789')).toEqual({ ok: true });
  });

  it('refuses a missing, wrong, shorter or longer token, and any token when none is configured', () => {
    expect(verify().ok).toBe(false);
    expect(verify('tg-secret_0123456788').ok).toBe(false);
    expect(verify('tg-secret_012345678').ok).toBe(false);
    expect(verify('tg-secret_01234567890').ok).toBe(false);
    expect(verify('', { ...account, secrets: { botToken: 'x', webhookSecret: '' } }).ok).toBe(false);
  });
});

describe('Telegram errors', () => {
  it('takes retry_after from the body of a 429', () => {
    expect(
      readTelegramError(429, {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      }),
    ).toEqual({ reason: 'Telegram: Too Many Requests: retry after 7', retryAfterSeconds: 7 });
  });

  it('explains a blocked bot', () => {
    expect(
      readTelegramError(403, {
        ok: false,
        error_code: 403,
        description: 'Forbidden: bot was blocked by the user',
      }),
    ).toEqual({ reason: 'Telegram: Forbidden: bot was blocked by the user', retryAfterSeconds: undefined });
  });

  it('refuses templates before calling Telegram', async () => {
    await expect(
      telegramConnector.send(
        account,
        '1',
        { type: 'template', name: 't', language: 'en', parameters: [] },
        'k',
      ),
    ).rejects.toBeInstanceOf(SendError);
  });
});
