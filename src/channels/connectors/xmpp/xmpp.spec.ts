import { PayloadError, SendError, type ConnectorAccount, type InboundRequest } from '../connector.js';
import { fixture, notOkFixtures, okFixtures } from '../fixtures.js';
import { bareJid } from './parse-xmpp.js';
import { xmppConnector } from './xmpp.connector.js';

const RECEIVED = new Date('2026-11-26T09:00:00Z');
const account: ConnectorAccount = {
  id: 'a1',
  network: 'xmpp',
  externalId: 'claims@xmpp.insurer.example',
  settings: {},
  secrets: { password: 'bot-password' },
};

const request = (body: Buffer): InboundRequest => ({
  rawBody: body,
  headers: {},
  url: 'xmpp:claims@xmpp.insurer.example',
  receivedAt: RECEIVED,
});
const parse = (name: string) => xmppConnector.parse(request(fixture(import.meta.url, name)), account);

describe('XMPP stanzas', () => {
  it('reads a chat body from the bare JID, keyed on the sender and their origin-id', () => {
    expect(parse('chat-message.xml')).toEqual([
      {
        kind: 'message',
        providerMessageId: 'maria.rossi@chat.example.org/origin-7f3b',
        from: { externalId: 'maria.rossi@chat.example.org' },
        sentAt: RECEIVED,
        content: { type: 'text', text: 'Hello, I was rear-ended at a roundabout & need help' },
      },
    ]);
  });

  it('keys a message without ids on a hash of the stanza, and dates it by its delay stamp', () => {
    const [event] = parse('delayed-without-id.xml');
    expect(event).toMatchObject({
      kind: 'message',
      providerMessageId: expect.stringMatching(/^maria\.rossi@chat\.example\.org#[0-9a-f]{40}$/),
      sentAt: new Date('2026-11-25T21:14:03Z'),
    });
    expect(parse('delayed-without-id.xml')).toEqual([event]);
  });

  it('turns chat states into typing on and off', () => {
    expect(parse('composing.xml')).toEqual([
      { kind: 'typing', from: { externalId: 'maria.rossi@chat.example.org' }, active: true },
    ]);
    expect(parse('paused.xml')).toEqual([
      { kind: 'typing', from: { externalId: 'maria.rossi@chat.example.org' }, active: false },
    ]);
  });

  it('reads receipts as delivered, displayed markers as read and bounces as failed, for our stanza ids', () => {
    expect(parse('receipt.xml')).toEqual([
      {
        kind: 'status',
        providerMessageId: 'sb-6f1d0e8a-0b4f-4a57-9a3c-1a2b3c4d5e6f',
        status: 'delivered',
        at: RECEIVED,
      },
    ]);
    expect(parse('displayed-marker.xml')).toEqual([
      {
        kind: 'status',
        providerMessageId: 'sb-6f1d0e8a-0b4f-4a57-9a3c-1a2b3c4d5e6f',
        status: 'read',
        at: RECEIVED,
      },
    ]);
    expect(parse('bounced-error.xml')).toEqual([
      {
        kind: 'status',
        providerMessageId: 'sb-0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d',
        status: 'failed',
        reason: 'XMPP error: service-unavailable: User session not found',
        at: RECEIVED,
      },
    ]);
  });

  it('reads an XEP-0066 file as media, its body being the same URL and not text', () => {
    expect(parse('oob-file.xml')).toEqual([
      {
        kind: 'message',
        providerMessageId: 'maria.rossi@chat.example.org/origin-file-1',
        from: { externalId: 'maria.rossi@chat.example.org' },
        sentAt: RECEIVED,
        content: {
          type: 'media',
          media: {
            url: 'https://upload.chat.example.org/Tz3pX9qLwKx2/Front%20bumper.jpg',
            fileName: 'Front bumper.jpg',
          },
        },
      },
    ]);
  });

  it('keeps a body other than the file URL as the caption of the file', () => {
    expect(parse('oob-file-with-description.xml')).toEqual([
      expect.objectContaining({
        content: {
          type: 'media',
          media: { url: 'https://upload.chat.example.org/aa19/estimate.pdf', fileName: 'estimate.pdf' },
          caption: 'The repair estimate, page 2 has the total',
        },
      }),
    ]);
  });

  it('ignores group chat and copies of our own messages', () => {
    expect(parse('groupchat.xml')).toEqual([]);
    const own = Buffer.from(
      '<message from="claims@xmpp.insurer.example/phone" to="claims@xmpp.insurer.example/switchboard" type="chat"><body>x</body></message>',
    );
    expect(xmppConnector.parse(request(own), account)).toEqual([]);
  });

  it('parses every ok fixture', () => {
    for (const f of okFixtures(import.meta.url))
      expect(() => xmppConnector.parse(request(f.body), account)).not.toThrow();
  });

  it.each(notOkFixtures(import.meta.url).map((f) => [f.name, f.body] as const))(
    'rejects %s',
    (_name, body) => {
      expect(() => xmppConnector.parse(request(body), account)).toThrow(PayloadError);
    },
  );
});

describe('XMPP account rules', () => {
  it('takes no webhooks at all', () => {
    expect(
      xmppConnector.verifyRequest(request(fixture(import.meta.url, 'chat-message.xml')), account, RECEIVED),
    ).toEqual({
      ok: false,
      reason: 'XMPP accounts take no webhooks',
    });
  });

  it('normalises JIDs to bare, lower-case form and refuses what is not one', () => {
    expect(bareJid('Maria.Rossi@Chat.Example.org/Phone')).toBe('maria.rossi@chat.example.org');
    expect(bareJid('chat.example.org')).toBeNull();
    expect(bareJid('a b@example.org')).toBeNull();
    expect(bareJid(undefined)).toBeNull();
  });

  it('refuses a send to something that is not a JID, for good', async () => {
    await expect(
      xmppConnector.send(account, '+447700900123', { type: 'text', text: 'x' }, 'k'),
    ).rejects.toMatchObject({
      retryable: false,
    });
  });

  it('asks for a retry when the connection is not up', async () => {
    const sent = xmppConnector.send(account, 'maria@chat.example.org', { type: 'text', text: 'x' }, 'k');
    await expect(sent).rejects.toBeInstanceOf(SendError);
    await expect(sent).rejects.toMatchObject({ retryable: true });
  });
});
