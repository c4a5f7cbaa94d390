import { PayloadError, type ConnectorAccount, type InboundRequest } from '../connector.js';
import { fixture, notOkFixtures } from '../fixtures.js';
import { apiConnector } from './api.connector.js';
import { apiSignature } from './api-signature.js';

const account: ConnectorAccount = {
  id: 'a3',
  network: 'api',
  externalId: 'partner',
  settings: { outboundUrl: 'http://127.0.0.1:1/out' },
  secrets: { signingSecret: 'shared-secret' },
};
const receivedAt = new Date('2026-11-26T12:00:00Z');

function request(body: Buffer, headers: Record<string, string> = {}): InboundRequest {
  return { rawBody: body, headers, url: 'https://sb.example/webhooks/api/a3', receivedAt };
}

describe('API channel payloads', () => {
  it('reads a single message event', () => {
    expect(apiConnector.parse(request(fixture(import.meta.url, 'text-message.json')), account)).toEqual([
      {
        kind: 'message',
        providerMessageId: 'ext-1001',
        from: {
          externalId: 'cust-42',
          displayName: 'Ada',
          verifiedPhone: undefined,
          verifiedEmail: undefined,
        },
        sentAt: new Date('2026-11-26T10:00:00Z'),
        content: { type: 'text', text: 'Hello from the partner app' },
      },
    ]);
  });

  it('reads a batch of location, media, status and typing; a vouched phone is verified', () => {
    const events = apiConnector.parse(request(fixture(import.meta.url, 'batch.json')), account);
    expect(events).toMatchObject([
      {
        kind: 'message',
        from: { verifiedPhone: '+441632960001' },
        sentAt: receivedAt,
        content: { type: 'location', latitude: 51.5 },
      },
      {
        kind: 'message',
        content: {
          type: 'media',
          media: { url: 'https://files.partner.example/claims/photo.jpg' },
          caption: 'front',
        },
      },
      { kind: 'status', providerMessageId: 'sb-out-1', status: 'read' },
      { kind: 'typing', from: { externalId: 'cust-42' }, active: true },
    ]);
  });

  it.each(notOkFixtures(import.meta.url).map((f) => [f.name, f.body] as const))(
    'rejects %s',
    (_name, body) => {
      expect(() => apiConnector.parse(request(body), account)).toThrow(PayloadError);
    },
  );
});

describe('API channel signature', () => {
  const body = fixture(import.meta.url, 'text-message.json');
  const now = new Date('2026-11-26T12:00:00Z');
  const ts = String(now.getTime() / 1000);

  it('accepts v1=HMAC(secret, timestamp.body) within the window', () => {
    const headers = {
      'x-switchboard-timestamp': ts,
      'x-switchboard-signature': apiSignature('shared-secret', ts, body),
    };
    expect(apiConnector.verifyRequest(request(body, headers), account, now)).toEqual({ ok: true });
  });

  it('refuses a replay older than five minutes even when correctly signed', () => {
    const old = String(now.getTime() / 1000 - 301);
    const headers = {
      'x-switchboard-timestamp': old,
      'x-switchboard-signature': apiSignature('shared-secret', old, body),
    };
    expect(apiConnector.verifyRequest(request(body, headers), account, now)).toEqual({
      ok: false,
      reason: 'timestamp outside the 5-minute window',
    });
  });

  it('refuses a signature over another timestamp, another secret, or no headers', () => {
    const other = String(now.getTime() / 1000 - 10);
    const moved = {
      'x-switchboard-timestamp': ts,
      'x-switchboard-signature': apiSignature('shared-secret', other, body),
    };
    const wrong = {
      'x-switchboard-timestamp': ts,
      'x-switchboard-signature': apiSignature('guess', ts, body),
    };
    expect(apiConnector.verifyRequest(request(body, moved), account, now).ok).toBe(false);
    expect(apiConnector.verifyRequest(request(body, wrong), account, now).ok).toBe(false);
    expect(apiConnector.verifyRequest(request(body), account, now).ok).toBe(false);
  });
});
