/** What to do after a failed send attempt. */
export type RetryDecision = { retry: true; delayMs: number; pauseAccountMs: number } | { retry: false };

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  /** Upper bound of one backoff step. */
  maxDelayMs: number;
}

export interface SendFailure {
  retryable: boolean;
  retryAfterSeconds?: number;
}

/**
 * Exponential backoff (base · 2^(attempt−1), capped) for retryable failures until `maxAttempts`.
 * A provider's `retry_after` wins when longer, and pauses the whole account's queue for that long: a
 * rate limit is about the account, not the one message.
 */
export function planRetry(attempt: number, failure: SendFailure, policy: RetryPolicy): RetryDecision {
  if (!failure.retryable || attempt >= policy.maxAttempts) return { retry: false };
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const retryAfterMs = Math.max(0, (failure.retryAfterSeconds ?? 0) * 1000);
  return { retry: true, delayMs: Math.max(backoff, retryAfterMs), pauseAccountMs: retryAfterMs };
}
