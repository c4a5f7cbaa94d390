import { planRetry } from './retry-plan.js';

const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 5000 };

describe('planRetry', () => {
  it('backs off exponentially with a cap', () => {
    expect([1, 2, 3].map((a) => planRetry(a, { retryable: true }, { ...policy, maxAttempts: 10 }))).toEqual([
      { retry: true, delayMs: 1000, pauseAccountMs: 0 },
      { retry: true, delayMs: 2000, pauseAccountMs: 0 },
      { retry: true, delayMs: 4000, pauseAccountMs: 0 },
    ]);
    expect(planRetry(5, { retryable: true }, { ...policy, maxAttempts: 10 })).toEqual({
      retry: true,
      delayMs: 5000,
      pauseAccountMs: 0,
    });
  });

  it('waits at least the provider retry_after and pauses the account for it', () => {
    expect(planRetry(1, { retryable: true, retryAfterSeconds: 7 }, policy)).toEqual({
      retry: true,
      delayMs: 7000,
      pauseAccountMs: 7000,
    });
  });

  it('gives up on a non-retryable error at once, and after the last attempt', () => {
    expect(planRetry(1, { retryable: false }, policy)).toEqual({ retry: false });
    expect(planRetry(4, { retryable: true }, policy)).toEqual({ retry: false });
  });
});
