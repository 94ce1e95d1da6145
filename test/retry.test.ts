import { describe, expect, test } from "vitest";
import { parseRetryAfter } from "../src/errors.js";
import { defaultRetryPolicy, retryDelay } from "../src/retry.js";
import { PaddleApiError } from "../src/paddle.js";

const rateLimited = (retryAfter: string | null) =>
  new PaddleApiError(
    {
      error: { type: "request_error", code: "too_many_requests", detail: "slow down", documentation_url: "https://developer.paddle.com/errors/shared/too_many_requests" },
      meta: { request_id: "r" },
    },
    new Response(null, { status: 429, headers: retryAfter === null ? {} : { "retry-after": retryAfter } }),
  );

describe("Retry-After", () => {
  test("delta-seconds, HTTP date, garbage", () => {
    const now = Date.parse("2026-11-23T10:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter("Mon, 23 Nov 2026 10:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("Mon, 23 Nov 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  test("is honoured, and capped at maxRetryAfterMs", () => {
    expect(retryDelay(1, rateLimited("3"), defaultRetryPolicy)).toBe(3_000);
    expect(retryDelay(1, rateLimited("3600"), defaultRetryPolicy)).toBe(defaultRetryPolicy.maxRetryAfterMs);
  });
});

describe("backoff", () => {
  test("doubles per retry between half and all of its ceiling, up to maxDelayMs", () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1_000 };
    const error = rateLimited(null);
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, error, policy, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, error, policy, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
  });
});
