import { humanSize, renderTranscript } from './transcript-text.js';

const at = (s: string) => new Date(`2026-11-26T${s}Z`);

describe('renderTranscript', () => {
  it('lists every message with its time, sender and attachments, continuation lines indented', () => {
    const text = renderTranscript({
      siteName: 'Acme Mutual',
      conversationId: 'c-1',
      customerName: 'Jane Roe',
      startedAt: at('10:00:00.000'),
      closedAt: at('10:09:30.000'),
      lines: [
        {
          createdAt: at('10:00:01.500'),
          senderKind: 'customer',
          senderName: null,
          body: 'My car was hit\nat the lights',
          attachments: [],
        },
        {
          createdAt: at('10:01:00.000'),
          senderKind: 'agent',
          senderName: 'Ana Agent',
          body: 'Sorry to hear. A photo?',
          attachments: [],
        },
        {
          createdAt: at('10:02:00.000'),
          senderKind: 'customer',
          senderName: null,
          body: '',
          attachments: [{ fileName: 'front.jpg', size: 2_150_000 }],
        },
        {
          createdAt: at('10:09:30.000'),
          senderKind: 'system',
          senderName: null,
          body: 'The chat has ended.',
          attachments: [],
        },
      ],
    });
    expect(text).toBe(
      [
        'Chat transcript — Acme Mutual',
        'Conversation c-1',
        'Started: 2026-11-26 10:00:00 UTC',
        'Ended: 2026-11-26 10:09:30 UTC',
        '',
        '[2026-11-26 10:00:01 UTC] Jane Roe: My car was hit',
        '    at the lights',
        '[2026-11-26 10:01:00 UTC] Ana Agent: Sorry to hear. A photo?',
        '[2026-11-26 10:02:00 UTC] Jane Roe: ',
        '    (attachment: front.jpg, 2.1 MB)',
        '[2026-11-26 10:09:30 UTC] Notice: The chat has ended.',
        '',
      ].join('\n'),
    );
  });

  it('names an anonymous customer "You" and an open conversation as such', () => {
    const text = renderTranscript({
      siteName: 'S',
      conversationId: 'c',
      customerName: null,
      startedAt: at('10:00:00.000'),
      closedAt: null,
      lines: [
        {
          createdAt: at('10:00:00.000'),
          senderKind: 'customer',
          senderName: null,
          body: 'hi',
          attachments: [],
        },
      ],
    });
    expect(text).toContain('Ended: still open');
    expect(text).toContain('] You: hi');
  });
});

describe('humanSize', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KB'],
    [10 * 1024 * 1024, '10.0 MB'],
  ])('%d bytes is %s', (bytes, text) => {
    expect(humanSize(bytes)).toBe(text);
  });
});
