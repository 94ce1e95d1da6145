// When and how long to wait before trying a call again.
import { ApiError, ConnectionError, TimeoutError, UnreadableResponseError, type PaymentsError } from "./errors.js";

export interface RetryOptions {
  /** Retries after the first attempt; 0 disables retrying. Default 2. */
  maxRetries?: number;
  /** First backoff, doubled per retry, with jitter. Default 500 ms. */
  baseDelayMs?: number;
  /** Longest backoff. Default 8 s. */
  maxDelayMs?: number;
  /** Longest wait a `Retry-After` may ask for; a longer one is cut to this. Default 60 s. */
  maxRetryAfterMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

/** The HTTP status an error came with; 0 for failures without one. */
function statusOf(error: PaymentsError): number {
  return error instanceof ApiError || error instanceof UnreadableResponseError ? error.status : 0;
}

/** 5xx only: a status beyond 599 (999, say) is not HTTP's, and nothing says another try helps. */
const isServerError = (status: number) => status >= 500 && status <= 599;

/** Connection failures, timeouts, 408, 429 and 5xx (an HTML 502 from a proxy included) are worth another try. */
export function isRetryable(error: PaymentsError): boolean {
  if (error instanceof ConnectionError || error instanceof TimeoutError) return true;
  const status = statusOf(error);
  return status === 408 || status === 429 || isServerError(status);
}

/**
 * True when the failed attempt may have been carried out by the provider even though no success
 * came back: the connection dropped after sending, the answer was late, or the server failed midway.
 */
export function isAmbiguous(error: PaymentsError): boolean {
  if (error instanceof ConnectionError) return error.maybeDelivered;
  if (error instanceof TimeoutError) return true;
  return isServerError(statusOf(error));
}

/** Milliseconds to wait before retry number `retry` (1-based): `Retry-After` if given, else backoff with full jitter. */
export function retryDelay(retry: number, error: PaymentsError, policy: RetryPolicy, random = Math.random): number {
  const retryAfter = error instanceof ApiError ? error.retryAfter : undefined;
  if (retryAfter !== undefined) return Math.min(retryAfter * 1000, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  // Half fixed, half random: spreads a burst of clients without ever retrying instantly.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
