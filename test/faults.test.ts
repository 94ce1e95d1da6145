// Faults injected on the wire between the clients and the Prism mocks: what each call ends in,
// how many creates reached the mock, and (PayPal) that every attempt carried the same request id.
import { afterEach, beforeEach, describe, expect, inject, test } from "vitest";
import {
  AbortedError,
  ConnectionError,
  createPaddleClient,
  createPayPalClient,
  PaddleApiError,
  PaddleCustomerExistsError,
  PayPalApiError,
  TimeoutError,
  UnreadableResponseError,
  type PaymentsError,
} from "../src/index.js";
import { startFaultProxy, type Fault, type FaultProxy } from "./support/fault-proxy.js";

const fast = { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 50 };
const timeoutMs = 400;

interface Outcome {
  ok: boolean;
  error: PaymentsError | undefined;
  /** The HTTP status of a success (201, or 200 for a PayPal replay). */
  status: number | undefined;
  ms: number;
}

interface Provider {
  name: "paddle" | "paypal";
  path: string;
  mockUrl: () => string;
  create(proxyUrl: string, options?: { maxRetries?: number; signal?: AbortSignal; timeoutMs?: number }): Promise<Outcome>;
}

let emailCounter = 0;
const providers: Provider[] = [
  {
    name: "paddle",
    path: "/customers",
    mockUrl: () => inject("paddleMockUrl"),
    async create(proxyUrl, options = {}) {
      const client = createPaddleClient({ baseUrl: proxyUrl, apiKey: "pdl_sdbx_apikey_faults", retry: fast, timeoutMs });
      const started = performance.now();
      const result = await client.customers.create({ email: `jo+${++emailCounter}@example.com` }, options);
      return { ok: !result.error, error: result.error, status: result.response?.status, ms: performance.now() - started };
    },
  },
  {
    name: "paypal",
    path: "/v1/commerce/billing/customers",
    mockUrl: () => inject("paypalMockUrl"),
    async create(proxyUrl, options = {}) {
      const client = createPayPalClient({ baseUrl: proxyUrl, auth: { clientId: "faults", clientSecret: "faults-secret" }, retry: fast, timeoutMs });
      // The token first, so that the timings below measure the create alone.
      await client.getAccessToken();
      const started = performance.now();
      const result = await client.customers.create({ name: "John Doe", external_id: `ext_faults_${++emailCounter}`, email: "abc@test.com" }, options);
      return { ok: !result.error, error: result.error, status: result.response?.status, ms: performance.now() - started };
    },
  },
];

describe.each(providers)("$name under faults", (provider) => {
  let proxy: FaultProxy;
  beforeEach(async () => {
    proxy = await startFaultProxy(provider.mockUrl(), { provider: provider.name });
  });
  afterEach(() => proxy.close());

  const attempts = () => proxy.received.filter((r) => r.path === provider.path);
  const reached = () => proxy.forwarded.filter((r) => r.path === provider.path).length;
  /** PayPal: every attempt of the call carried one and the same PayPal-Request-Id. */
  const expectOneRequestId = () => {
    if (provider.name !== "paypal") return;
    const ids = new Set(attempts().map((r) => r.headers["paypal-request-id"]));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f-]{36}$/);
  };
  const run = async (faults: Fault[], options?: { maxRetries?: number; signal?: AbortSignal; timeoutMs?: number }) => {
    proxy.plan(provider.path, ...faults);
    const outcome = await provider.create(proxy.url, options);
    expectOneRequestId();
    return outcome;
  };

  test("connection reset before forwarding → retried, created once", async () => {
    const outcome = await run([{ kind: "reset-before" }]);
    expect(outcome.error).toBeUndefined();
    expect(attempts()).toHaveLength(2);
    expect(reached()).toBe(1);
  });

  test("connection reset after forwarding → retried without a duplicate", async () => {
    const outcome = await run([{ kind: "reset-after" }]);
    expect(attempts()).toHaveLength(2);
    if (provider.name === "paddle") {
      // The first attempt created the customer; the retry meets the email conflict and says so.
      expect(outcome.error).toBeInstanceOf(PaddleCustomerExistsError);
      const exists = outcome.error as PaddleCustomerExistsError;
      expect(exists.status).toBe(409);
      expect(exists.existingCustomerId).toMatch(/^ctm_[a-z\d]{26}$/);
      expect(exists.earlierAttemptMayHaveCreatedIt).toBe(true);
    } else {
      // Both attempts reached PayPal with one PayPal-Request-Id: PayPal answers the repeat with the first outcome.
      expect(outcome.error).toBeUndefined();
      expect(outcome.status).toBe(200);
    }
    // Both attempts reached the (stateful) mock; it created one customer and refused or replayed the second.
    expect(reached()).toBe(2);
  });

  test("429 with Retry-After: 1 → waits a second, then succeeds", async () => {
    const outcome = await run([{ kind: "status", status: 429, retryAfter: "1" }]);
    expect(outcome.error).toBeUndefined();
    expect(outcome.ms).toBeGreaterThanOrEqual(950);
    expect(attempts()).toHaveLength(2);
    expect(reached()).toBe(1);
  });

  test("429 with Retry-After as an HTTP date → honoured", async () => {
    const outcome = await run([{ kind: "status", status: 429, retryAfter: new Date(Date.now() + 2000).toUTCString() }]);
    expect(outcome.error).toBeUndefined();
    expect(outcome.ms).toBeGreaterThanOrEqual(900);
    expect(reached()).toBe(1);
  });

  test("500 twice → succeeds on the third attempt", async () => {
    const outcome = await run([
      { kind: "status", status: 500 },
      { kind: "status", status: 500 },
    ]);
    expect(outcome.error).toBeUndefined();
    expect(attempts()).toHaveLength(3);
    expect(reached()).toBe(1);
  });

  test("503 three times → gives up after 2 retries with the typed API error", async () => {
    const outcome = await run([
      { kind: "status", status: 503 },
      { kind: "status", status: 503 },
      { kind: "status", status: 503 },
    ]);
    expect(outcome.error).toBeInstanceOf(provider.name === "paddle" ? PaddleApiError : PayPalApiError);
    expect((outcome.error as PaddleApiError | PayPalApiError).status).toBe(503);
    expect(attempts()).toHaveLength(3);
    expect(reached()).toBe(0);
  });

  test("stall past the timeout → the attempt times out and is retried without a duplicate", async () => {
    const outcome = await run([{ kind: "stall", ms: timeoutMs * 3 }]);
    expect(attempts()).toHaveLength(2);
    if (provider.name === "paddle") {
      expect(outcome.error).toBeInstanceOf(PaddleCustomerExistsError);
      expect((outcome.error as PaddleCustomerExistsError).earlierAttemptMayHaveCreatedIt).toBe(true);
    } else {
      expect(outcome.error).toBeUndefined();
      expect(outcome.status).toBe(200);
    }
    expect(reached()).toBe(2);
  });

  test("truncated JSON body → UnreadableResponseError, not retried", async () => {
    const outcome = await run([{ kind: "truncate" }]);
    expect(outcome.error).toBeInstanceOf(UnreadableResponseError);
    expect(outcome.error!.kind).toBe("unreadable");
    expect((outcome.error as UnreadableResponseError).status).toBe(201);
    expect(attempts()).toHaveLength(1);
    expect(reached()).toBe(1);
  });

  test("HTML 502 from a proxy → retried; three of them → UnreadableResponseError 502", async () => {
    const once = await run([{ kind: "html-502" }]);
    expect(once.error).toBeUndefined();
    expect(reached()).toBe(1);
    proxy.received.length = 0;
    proxy.forwarded.length = 0;
    const always = await run([{ kind: "html-502" }, { kind: "html-502" }, { kind: "html-502" }]);
    expect(always.error).toBeInstanceOf(UnreadableResponseError);
    expect((always.error as UnreadableResponseError).status).toBe(502);
    expect(reached()).toBe(0);
  });

  describe("with retries disabled (maxRetries: 0)", () => {
    test("reset before forwarding → ConnectionError", async () => {
      const outcome = await run([{ kind: "reset-before" }], { maxRetries: 0 });
      expect(outcome.error).toBeInstanceOf(ConnectionError);
      expect(outcome.error!.kind).toBe("connection");
      expect(reached()).toBe(0);
    });

    test("stall → TimeoutError", async () => {
      const outcome = await run([{ kind: "stall", ms: timeoutMs * 3 }], { maxRetries: 0 });
      expect(outcome.error).toBeInstanceOf(TimeoutError);
      expect((outcome.error as TimeoutError).timeoutMs).toBe(timeoutMs);
      expect(outcome.ms).toBeLessThan(timeoutMs * 2);
    });

    test("timeoutMs 0 turns the timeout off: a slow answer is waited for", async () => {
      const outcome = await run([{ kind: "stall", ms: timeoutMs * 2 }], { maxRetries: 0, timeoutMs: 0 });
      expect(outcome.error).toBeUndefined();
      expect(outcome.ms).toBeGreaterThanOrEqual(timeoutMs * 2 - 20);
    });

    test("429 → the API error, with retryAfter in seconds", async () => {
      const outcome = await run([{ kind: "status", status: 429, retryAfter: "7" }], { maxRetries: 0 });
      expect((outcome.error as PaddleApiError | PayPalApiError).status).toBe(429);
      expect((outcome.error as PaddleApiError | PayPalApiError).retryAfter).toBe(7);
    });
  });

  describe("cancellation", () => {
    test("the caller's signal cancels a request in flight", async () => {
      const outcome = await run([{ kind: "stall", ms: 5_000 }], { signal: AbortSignal.timeout(100) });
      expect(outcome.error).toBeInstanceOf(AbortedError);
      expect(outcome.error!.kind).toBe("aborted");
      expect(outcome.ms).toBeLessThan(1_000);
      expect(attempts()).toHaveLength(1);
    });

    test("the caller's signal cancels the wait before a retry", async () => {
      const outcome = await run([{ kind: "status", status: 429, retryAfter: "30" }], { signal: AbortSignal.timeout(150) });
      expect(outcome.error).toBeInstanceOf(AbortedError);
      expect(outcome.ms).toBeLessThan(1_000);
      expect(attempts()).toHaveLength(1);
      expect(reached()).toBe(0);
    });
  });
});

describe("paddle: a conflict on the first attempt", () => {
  test("is customer_already_exists with the existing id, and no earlier attempt to blame", async () => {
    const proxy = await startFaultProxy(inject("paddleMockUrl"), { provider: "paddle" });
    try {
      const client = createPaddleClient({ baseUrl: proxy.url, apiKey: "pdl_sdbx_apikey_faults" });
      expect((await client.customers.create({ email: "twice@example.com" })).error).toBeUndefined();
      const { error } = await client.customers.create({ email: "twice@example.com" });
      expect(error).toBeInstanceOf(PaddleCustomerExistsError);
      const exists = error as PaddleCustomerExistsError;
      expect(exists.code).toBe("customer_already_exists");
      expect(exists.existingCustomerId).toMatch(/^ctm_[a-z\d]{26}$/);
      expect(exists.body.error.detail).toContain(exists.existingCustomerId);
      expect(exists.earlierAttemptMayHaveCreatedIt).toBe(false);
      expect(proxy.received).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });
});
