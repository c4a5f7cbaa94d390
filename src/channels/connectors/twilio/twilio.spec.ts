import { PayloadError, type ConnectorAccount, type InboundRequest } from '../connector.js';
import { fixture, notOkFixtures, okFixtures } from '../fixtures.js';
import { readTwilioError, twilioSmsConnector, twilioWhatsappConnector } from './twilio.connector.js';
import { twilioSignature, urlVariants } from './twilio-signature.js';

const ACCOUNT_SID = 'ACd3b4f1a9e07c42b6a5e8f9c1d2b3a4e5';
const AUTH_TOKEN = 'twilio-auth-token-0123456789abcdef';
const RECEIVED = new Date('2026-01-01T00:00:00Z');

const account = (network: string): ConnectorAccount => ({
  id: 'a1',
  network,
  externalId: '+447700900100',
  settings: { accountSid: ACCOUNT_SID },
  secrets: { authToken: AUTH_TOKEN },
});
const sms = account('twilio');
const wa = account('twilio-whatsapp');

function request(
  body: Buffer,
  url = 'https://sb.example/webhooks/twilio/a1',
  signature?: string,
): InboundRequest {
  return {
    rawBody: body,
    headers: signature === undefined ? {} : { 'x-twilio-signature': signature },
    url,
    receivedAt: RECEIVED,
  };
}

const connectorFor = (name: string) =>
  name.startsWith('whatsapp-') ? twilioWhatsappConnector : twilioSmsConnector;
const accountFor = (name: string) => (name.startsWith('whatsapp-') ? wa : sms);
const parse = (name: string) =>
  connectorFor(name).parse(request(fixture(import.meta.url, name)), accountFor(name));

describe('Twilio webhooks', () => {
  it('reads an SMS with its text (form-decoded) and the sender number, which is not taken as verified', () => {
    expect(parse('sms-text.form')).toEqual([
      {
        kind: 'message',
        providerMessageId: 'SM1f0e7a3c5b9d4e2f8a6c0b1d3e5f7a9c',
        from: { externalId: '+447700900123', displayName: undefined },
        sentAt: RECEIVED,
        content: { type: 'text', text: 'Hi there, my boiler leaks & the floor is wet' },
      },
    ]);
  });

  it('reads an MMS as one media event per file, the first carrying the text and the message SID', () => {
    const events = parse('sms-two-photos.form');
    expect(events.map((e) => e.kind === 'message' && [e.providerMessageId, e.content])).toEqual([
      [
        'MM2a1b3c4d5e6f708192a3b4c5d6e7f801',
        {
          type: 'media',
          media: {
            url: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM2a1b3c4d5e6f708192a3b4c5d6e7f801/Media/ME0aa1bb2cc3dd4ee5ff60718293a4b5c`,
            contentType: 'image/jpeg',
          },
          caption: 'Photos of the damage',
        },
      ],
      [
        'MM2a1b3c4d5e6f708192a3b4c5d6e7f801/1',
        {
          type: 'media',
          media: {
            url: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM2a1b3c4d5e6f708192a3b4c5d6e7f801/Media/ME1bb2cc3dd4ee5ff60718293a4b5c6d`,
            contentType: 'image/png',
          },
          caption: undefined,
        },
      ],
    ]);
  });

  it('reads status callbacks: failures with their error code, intermediate states not at all', () => {
    expect(parse('sms-status-undelivered.form')).toEqual([
      {
        kind: 'status',
        providerMessageId: 'SM9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a41',
        status: 'failed',
        reason: 'Twilio undelivered: error 30003: Unreachable destination handset',
        at: RECEIVED,
      },
    ]);
    expect(parse('sms-status-delivered.form')).toMatchObject([
      { kind: 'status', status: 'delivered', reason: undefined },
    ]);
    expect(parse('sms-status-queued.form')).toEqual([]);
    expect(parse('whatsapp-status-read.form')).toMatchObject([{ kind: 'status', status: 'read' }]);
  });

  it('keys WhatsApp senders on the number digits (as the Cloud API does), verified, with the profile name', () => {
    expect(parse('whatsapp-text.form')).toEqual([
      {
        kind: 'message',
        providerMessageId: 'SM3c4d5e6f708192a3b4c5d6e7f8091a2b',
        from: { externalId: '447700900456', displayName: 'Priya Shah', verifiedPhone: '+447700900456' },
        sentAt: RECEIVED,
        content: { type: 'text', text: 'Can I add my son to the policy?' },
      },
    ]);
    expect(parse('whatsapp-location.form')[0]).toMatchObject({
      content: {
        type: 'location',
        latitude: 51.5072,
        longitude: -0.1276,
        name: 'Where it happened',
        address: 'Trafalgar Square',
      },
    });
  });

  it('refuses a WhatsApp webhook on an SMS account', () => {
    expect(() =>
      twilioSmsConnector.parse(request(fixture(import.meta.url, 'whatsapp-text.form')), sms),
    ).toThrow(PayloadError);
  });

  it('parses every ok fixture', () => {
    for (const f of okFixtures(import.meta.url))
      expect(() => connectorFor(f.name).parse(request(f.body), accountFor(f.name))).not.toThrow();
  });

  it.each(notOkFixtures(import.meta.url).map((f) => [f.name, f.body] as const))(
    'rejects %s',
    (name, body) => {
      expect(() => connectorFor(name).parse(request(body), accountFor(name))).toThrow(PayloadError);
    },
  );
});

describe('X-Twilio-Signature', () => {
  it("matches Twilio's documented example", () => {
    const params = new URLSearchParams({
      CallSid: 'CA1234567890ABCDE',
      Caller: '+12349013030',
      Digits: '1234',
      From: '+12349013030',
      To: '+18005551212',
    });
    expect(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe(
      '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
    );
  });

  it('offers the URL with and without its port', () => {
    expect(urlVariants('https://sb.example/webhooks/twilio/a1?x=1')).toEqual([
      'https://sb.example/webhooks/twilio/a1?x=1',
      'https://sb.example:443/webhooks/twilio/a1?x=1',
    ]);
    expect(urlVariants('http://127.0.0.1:8080/w')).toEqual(['http://127.0.0.1:8080/w', 'http://127.0.0.1/w']);
  });

  const body = fixture(import.meta.url, 'sms-text.form');
  const signed = (url: string, token = AUTH_TOKEN) =>
    twilioSignature(token, url, new URLSearchParams(body.toString()));
  const verify = (url: string, signature: string | undefined, acc = sms) =>
    twilioSmsConnector.verifyRequest(request(body, url, signature), acc, RECEIVED).ok;

  it('accepts a signature made for the URL with or without the port', () => {
    expect(
      verify('https://sb.example/webhooks/twilio/a1', signed('https://sb.example/webhooks/twilio/a1')),
    ).toBe(true);
    expect(
      verify('https://sb.example/webhooks/twilio/a1', signed('https://sb.example:443/webhooks/twilio/a1')),
    ).toBe(true);
    expect(
      verify('https://sb.example:443/webhooks/twilio/a1', signed('https://sb.example/webhooks/twilio/a1')),
    ).toBe(true);
  });

  it('accepts a signature made for the configured public webhook URL when a proxy changed the one we saw', () => {
    const pub = 'https://chat.insurer.example/webhooks/twilio/a1';
    const behindProxy = { ...sms, settings: { ...sms.settings, webhookUrl: pub } };
    expect(verify('http://10.0.0.5:3000/webhooks/twilio/a1', signed(pub), behindProxy)).toBe(true);
    expect(verify('http://10.0.0.5:3000/webhooks/twilio/a1', signed(pub))).toBe(false);
  });

  it('refuses another token, another URL, a changed parameter, a missing header and a JSON body', () => {
    const url = 'https://sb.example/webhooks/twilio/a1';
    expect(verify(url, signed(url, 'other-token'))).toBe(false);
    expect(verify(url, signed('https://sb.example/webhooks/twilio/a2'))).toBe(false);
    expect(verify(url, undefined)).toBe(false);
    const changed = Buffer.from(body.toString().replace('Body=Hi', 'Body=Yo'));
    expect(twilioSmsConnector.verifyRequest(request(changed, url, signed(url)), sms, RECEIVED).ok).toBe(
      false,
    );
    const json = fixture(import.meta.url, 'sms-json-body.json', 'not-ok');
    expect(twilioSmsConnector.verifyRequest(request(json, url, signed(url)), sms, RECEIVED).ok).toBe(false);
  });
});

describe('Twilio send errors', () => {
  it('retries 20429 and server errors, not validation errors, and explains the closed WhatsApp session', () => {
    expect(readTwilioError(429, { code: 20429, message: 'Too Many Requests', status: 429 })).toEqual({
      reason: 'Twilio: Too Many Requests (error 20429)',
      retryable: true,
    });
    expect(
      readTwilioError(400, {
        code: 21211,
        message: "The 'To' number is not a valid phone number.",
        status: 400,
      }),
    ).toEqual({
      reason: "Twilio: The 'To' number is not a valid phone number. (error 21211)",
    });
    expect(
      readTwilioError(400, { code: 63016, message: 'Failed to send freeform message', status: 400 }),
    ).toMatchObject({
      reason: expect.stringMatching(/^outside the 24-hour WhatsApp session/),
      retryable: false,
    });
  });
});
