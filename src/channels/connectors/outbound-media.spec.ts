import { SendError, type OutboundMedia } from './connector.js';
import { mediaRule, mib } from './outbound-media.js';
import { connectorFor } from './registry.js';

const rules = [
  { kind: 'image', contentTypes: ['image/jpeg', 'image/png'], maxBytes: mib(5) },
  { kind: 'document', contentTypes: ['application/pdf'], maxBytes: mib(100) },
];
const media = (contentType: string, size: number): OutboundMedia => ({
  type: 'media',
  url: 'https://switchboard.example/files/x',
  contentType,
  fileName: 'claim-file',
  size,
});

describe('mediaRule', () => {
  it('picks the kind the network sends a file as, up to its size limit', () => {
    expect(mediaRule('WhatsApp', media('image/png', mib(5)), rules).kind).toBe('image');
    expect(mediaRule('WhatsApp', media('application/pdf', mib(60)), rules).kind).toBe('document');
  });

  it('refuses, for good, a type the network does not take or a file over its limit', () => {
    const refusal = (m: OutboundMedia) => {
      try {
        mediaRule('WhatsApp', m, rules);
      } catch (error) {
        return error;
      }
      return null;
    };
    expect(refusal(media('image/gif', 10))).toEqual(
      new SendError(
        'WhatsApp does not take image/gif files ("claim-file"); it takes image/jpeg, image/png, application/pdf',
        false,
      ),
    );
    expect(refusal(media('image/jpeg', mib(5) + 1))).toMatchObject({
      reason: `"claim-file" is ${mib(5) + 1} bytes; WhatsApp takes image/jpeg files up to ${mib(5)} bytes`,
      retryable: false,
    });
  });
});

describe("each network's documented file limits, checked before calling the provider", () => {
  // Nothing listens here: a file that passed the limits would fail as "unreachable" (retryable).
  const account = {
    id: 'a1',
    network: 'x',
    externalId: '1067280970047460',
    settings: { apiBaseUrl: 'http://127.0.0.1:9', accountSid: 'AC1' },
    secrets: {},
  };
  const refused = async (name: string, m: OutboundMedia) => {
    const error: unknown = await connectorFor(name)!
      .send(account, '447700900123', m, 'k')
      .catch((e: unknown) => e);
    return error instanceof SendError && !error.retryable ? error.reason : null;
  };

  it.each([
    ['whatsapp', 'image/jpeg', mib(5) + 1],
    ['whatsapp', 'image/gif', 10],
    ['messenger', 'application/pdf', mib(25) + 1],
    ['telegram', 'image/png', mib(5) + 1],
    ['telegram', 'application/pdf', mib(20) + 1],
    ['twilio', 'image/jpeg', mib(5) + 1],
    ['twilio-whatsapp', 'image/webp', 10],
  ])('%s refuses %s of %i bytes', async (name, contentType, size) => {
    expect(await refused(name, media(contentType, size))).toEqual(expect.stringContaining('"claim-file"'));
  });

  it.each([
    ['whatsapp', 'application/pdf', mib(50)],
    ['telegram', 'image/gif', mib(10)],
    ['twilio-whatsapp', 'application/pdf', mib(10)],
  ])('%s sends %s of %i bytes', async (name, contentType, size) => {
    expect(await refused(name, media(contentType, size))).toBeNull();
  });
});
