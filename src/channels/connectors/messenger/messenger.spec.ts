import { createHmac } from 'node:crypto';
import { PayloadError, type ConnectorAccount, type InboundRequest } from '../connector.js';
import { fixture, notOkFixtures } from '../fixtures.js';
import { messengerConnector } from './messenger.connector.js';

const account: ConnectorAccount = {
  id: 'a2',
  network: 'messenger',
  externalId: '1067280970047460',
  settings: {},
  secrets: { appSecret: 'meta-secret', pageAccessToken: 'token', verifyToken: 'verify-me' },
};

function request(body: Buffer, signature?: string): InboundRequest {
  return {
    rawBody: body,
    headers: signature === undefined ? {} : { 'x-hub-signature-256': signature },
    url: 'https://sb.example/webhooks/messenger/a2',
    receivedAt: new Date(),
  };
}
const parse = (name: string) => messengerConnector.parse(request(fixture(import.meta.url, name)), account);

describe('Messenger payloads', () => {
  it('reads a text message from the page-scoped sender id', () => {
    expect(parse('text-message.json')).toEqual([
      {
        kind: 'message',
        providerMessageId:
          'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P',
        from: { externalId: '6954123457912345' },
        sentAt: new Date(1749416383000),
        content: { type: 'text', text: 'Can I add my son to the policy?' },
      },
    ]);
  });

  it('splits text and attachments into entries with stable derived ids', () => {
    const events = parse('attachments.json');
    expect(events.map((e) => (e.kind === 'message' ? [e.providerMessageId, e.content.type] : null))).toEqual([
      ['m_ATTACH1', 'text'],
      ['m_ATTACH1#1', 'media'],
      ['m_ATTACH1#2', 'media'],
    ]);
    expect(events[1]).toMatchObject({
      content: { media: { url: 'https://scontent.xx.fbcdn.net/v/t1.15752-9/bumper1.jpg' } },
    });
  });

  it('turns delivery and read into watermarks for the customer', () => {
    expect(parse('delivery-and-read.json')).toEqual([
      { kind: 'watermark', to: '6954123457912345', status: 'delivered', watermark: new Date(1749416499000) },
      { kind: 'watermark', to: '6954123457912345', status: 'read', watermark: new Date(1749416505000) },
    ]);
  });

  it('skips echoes of our own messages and reads Instagram the same way', () => {
    expect(parse('echo-and-instagram.json')).toMatchObject([
      { kind: 'message', from: { externalId: '17841400000000000' }, content: { text: 'hi from instagram' } },
    ]);
  });

  it.each(notOkFixtures(import.meta.url).map((f) => [f.name, f.body] as const))(
    'rejects %s',
    (_name, body) => {
      expect(() => messengerConnector.parse(request(body), account)).toThrow(PayloadError);
    },
  );
});

describe('Messenger signature', () => {
  it('accepts the app-secret HMAC and refuses a forged one', () => {
    const body = fixture(import.meta.url, 'text-message.json');
    const good = `sha256=${createHmac('sha256', 'meta-secret').update(body).digest('hex')}`;
    const forged = `sha256=${createHmac('sha256', 'guess').update(body).digest('hex')}`;
    expect(messengerConnector.verifyRequest(request(body, good), account, new Date()).ok).toBe(true);
    expect(messengerConnector.verifyRequest(request(body, forged), account, new Date()).ok).toBe(false);
  });
});
