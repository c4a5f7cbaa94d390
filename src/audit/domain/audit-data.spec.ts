import { AUDIT_DATA_MAX_CHARS, auditData, REDACTED } from './audit-data.js';

describe('auditData', () => {
  it('keeps what was asked for, with every secret replaced at any depth', () => {
    expect(
      auditData({
        params: { id: 'q-1' },
        body: {
          email: 'sam@example.com',
          password: 'hunter2-hunter2',
          credentials: { appSecret: 's', accessToken: 't', phoneNumberId: '123' },
          webhookSecret: 'w',
          apiKey: 'k',
          identity: { userId: 'u-1', signature: 'abc' },
          skills: { claims: 3 },
        },
      }),
    ).toEqual({
      params: { id: 'q-1' },
      body: {
        email: 'sam@example.com',
        password: REDACTED,
        credentials: REDACTED,
        webhookSecret: REDACTED,
        apiKey: REDACTED,
        identity: { userId: 'u-1', signature: REDACTED },
        skills: { claims: 3 },
      },
    });
  });

  it('cuts long texts and long lists, and drops undefined values', () => {
    const data = auditData({
      body: { greeting: 'x'.repeat(2000), tags: Array.from({ length: 80 }, (_, i) => i), gone: undefined },
    });
    const body = data.body as { greeting: string; tags: number[] };
    expect(body.greeting).toHaveLength(501);
    expect(body.tags).toHaveLength(50);
    expect('gone' in body).toBe(false);
  });

  it('keeps only the keys of an input too large to store whole', () => {
    const big = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`field${i}`, 'y'.repeat(400)]));
    const data = auditData({ body: big, query: {} });
    expect(data).toEqual({ truncated: true, keys: ['body', 'query'], size: expect.any(Number) });
    expect(data.size as number).toBeGreaterThan(AUDIT_DATA_MAX_CHARS);
  });
});
