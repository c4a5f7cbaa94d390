import { createHmac } from 'node:crypto';
import { PayloadError, type ConnectorAccount, type InboundEvent, type InboundRequest } from '../connector.js';
import { fixture, notOkFixtures, okFixtures } from '../fixtures.js';
import { whatsappConnector } from './whatsapp.connector.js';

const account: ConnectorAccount = {
  id: 'a1',
  network: 'whatsapp',
  externalId: '106540352242922',
  settings: {},
  secrets: { appSecret: 'app-secret-1', accessToken: 'token', verifyToken: 'verify-me' },
};

function request(body: Buffer, signature?: string): InboundRequest {
  return {
    rawBody: body,
    headers: signature === undefined ? {} : { 'x-hub-signature-256': signature },
    url: 'https://sb.example/webhooks/whatsapp/a1',
    receivedAt: new Date('2026-01-01T00:00:00Z'),
  };
}

const sign = (body: Buffer, secret = 'app-secret-1') =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const parse = (name: string): InboundEvent[] =>
  whatsappConnector.parse(request(fixture(import.meta.url, name)), account);

describe('WhatsApp payloads', () => {
  it('reads a text message keyed on the phone (wa_id) with the profile name', () => {
    expect(parse('text-message.json')).toEqual([
      {
        kind: 'message',
        providerMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        from: { externalId: '16505551234', displayName: 'Sheena Nelson', verifiedPhone: '+16505551234' },
        sentAt: new Date(1749416383 * 1000),
        content: { type: 'text', text: 'My windscreen cracked on the motorway' },
      },
    ]);
  });

  it('keys a sender without a phone number on the business-scoped user id, with no verified phone', () => {
    const [event] = parse('bsuid-only-sender.json');
    expect(event).toMatchObject({
      kind: 'message',
      from: { externalId: 'US.13491208655302741918', displayName: 'Jane' },
    });
    expect(event.kind === 'message' && event.from.verifiedPhone).toBeFalsy();
  });

  it('reads an image as media with the media id, type and caption', () => {
    expect(parse('image-message.json')[0]).toMatchObject({
      content: {
        type: 'media',
        media: { providerMediaId: '1003383421387256', contentType: 'image/jpeg' },
        caption: 'The damage',
      },
    });
  });

  it('reads a location with coordinates', () => {
    expect(parse('location-message.json')[0]).toMatchObject({
      content: {
        type: 'location',
        latitude: 51.752,
        longitude: -0.336,
        name: 'Hard shoulder',
        address: 'A1, junction 7',
      },
    });
  });

  it('reads statuses for our messages, with the failure reason', () => {
    expect(parse('statuses.json')).toEqual([
      {
        kind: 'status',
        providerMessageId: 'wamid.OUT0001',
        status: 'delivered',
        reason: undefined,
        at: new Date(1749416700000),
      },
      {
        kind: 'status',
        providerMessageId: 'wamid.OUT0002',
        status: 'failed',
        reason: 'Message Undeliverable.',
        at: new Date(1749416701000),
      },
    ]);
  });

  it('ignores changes of other fields', () => {
    expect(parse('unrelated-field.json')).toEqual([]);
  });

  it('parses every ok fixture', () => {
    for (const f of okFixtures(import.meta.url))
      expect(() => whatsappConnector.parse(request(f.body), account)).not.toThrow();
  });

  it.each(notOkFixtures(import.meta.url).map((f) => [f.name, f.body] as const))(
    'rejects %s',
    (_name, body) => {
      expect(() => whatsappConnector.parse(request(body), account)).toThrow(PayloadError);
    },
  );
});

describe('WhatsApp signature and handshake', () => {
  const body = fixture(import.meta.url, 'text-message.json');

  it('accepts the app-secret HMAC of the raw body', () => {
    expect(whatsappConnector.verifyRequest(request(body, sign(body)), account, new Date())).toEqual({
      ok: true,
    });
  });

  it('refuses a signature made with another secret, a missing header and a changed body', () => {
    expect(whatsappConnector.verifyRequest(request(body, sign(body, 'other')), account, new Date()).ok).toBe(
      false,
    );
    expect(whatsappConnector.verifyRequest(request(body), account, new Date()).ok).toBe(false);
    const changed = Buffer.from(body.toString().replace('cracked', 'broken'));
    expect(whatsappConnector.verifyRequest(request(changed, sign(body)), account, new Date()).ok).toBe(false);
  });

  it('echoes hub.challenge only for the right verify token', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' };
    expect(whatsappConnector.handshake?.(query, account)).toEqual({
      status: 200,
      contentType: 'text/plain',
      body: '1158201444',
    });
    expect(whatsappConnector.handshake?.({ ...query, 'hub.verify_token': 'guess' }, account)).toBeNull();
    expect(whatsappConnector.handshake?.({ ...query, 'hub.mode': 'unsubscribe' }, account)).toBeNull();
  });
});
