// PayPal tokens under load and expiry, through a proxy that counts what reaches the Prism mock.
import { afterEach, describe, expect, inject, test } from "vitest";
import { createPayPalClient, PayPalApiError, PayPalAuthError } from "../src/paypal.js";
import { startFaultProxy, type FaultProxy } from "./support/fault-proxy.js";

const auth = { clientId: "client-id-auth-test", clientSecret: "client-secret-auth-test" };
const body = { name: "John Doe", external_id: "ext_cust_12345", email: "abc@test.com" };
const tokenPath = "/v1/oauth2/token";
const createPath = "/v1/commerce/billing/customers";

let proxy: FaultProxy;
afterEach(() => proxy?.close());

const count = (path: string, list = proxy.forwarded) => list.filter((r) => r.path === path).length;

describe("paypal access tokens", () => {
  test("500 concurrent creates on one client: all succeed, exactly one token request", async () => {
    proxy = await startFaultProxy(inject("paypalMockUrl"), { provider: "paypal", tokenPrefix: "tok-load-" });
    const client = createPayPalClient({ baseUrl: proxy.url, auth });
    const results = await Promise.all(Array.from({ length: 500 }, () => client.customers.create(body)));
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(count(tokenPath)).toBe(1);
    expect(count(createPath)).toBe(500);
    expect(new Set(proxy.forwarded.filter((r) => r.path === createPath).map((r) => r.headers.authorization))).toEqual(new Set(["Bearer tok-load-1"]));
    // 500 distinct idempotency keys: one per logical create.
    expect(new Set(proxy.received.filter((r) => r.path === createPath).map((r) => r.headers["paypal-request-id"])).size).toBe(500);
  });

  test("a token expiring mid-run (401) is refreshed once, and the refused calls are replayed", async () => {
    proxy = await startFaultProxy(inject("paypalMockUrl"), { provider: "paypal", tokenPrefix: "tok-mid-" });
    proxy.onCreate = (n) => n === 250 && proxy.expireToken();
    const client = createPayPalClient({ baseUrl: proxy.url, auth });
    const results = await Promise.all(Array.from({ length: 500 }, () => client.customers.create(body)));
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(count(tokenPath)).toBe(2);
    const refused = proxy.received.filter((r) => r.path === createPath && r.headers.authorization === "Bearer tok-mid-1").length - 250;
    expect(refused).toBeGreaterThan(0);
    // Each refused call was replayed once, with the new token and its own PayPal-Request-Id.
    expect(count(createPath)).toBe(500);
    const replayedOrLate = proxy.forwarded.filter((r) => r.path === createPath && r.headers.authorization === "Bearer tok-mid-2");
    expect(replayedOrLate).toHaveLength(250);
    expect(new Set(replayedOrLate.map((r) => r.headers["paypal-request-id"])).size).toBe(250);
  });

  test("a token is reused until shortly before expires_in, then replaced", async () => {
    proxy = await startFaultProxy(inject("paypalMockUrl"), { provider: "paypal", tokenPrefix: "tok-time-", tokenLifetimeSeconds: 2 });
    const client = createPayPalClient({ baseUrl: proxy.url, auth });
    await client.customers.create(body);
    await client.customers.create(body);
    expect(count(tokenPath)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await client.customers.create(body);
    expect(count(tokenPath)).toBe(2);
    expect((await client.getAccessToken()).data).toBe("tok-time-2");
  });

  test("a 401 that a new token does not cure is reported, after exactly one replay", async () => {
    proxy = await startFaultProxy(inject("paypalMockUrl"), { provider: "paypal", tokenPrefix: "tok-dead-" });
    const client = createPayPalClient({ baseUrl: proxy.url, auth });
    proxy.plan(createPath, { kind: "status", status: 401 }, { kind: "status", status: 401 });
    const { error } = await client.customers.create(body);
    expect(error).toBeInstanceOf(PayPalApiError);
    expect((error as PayPalApiError).status).toBe(401);
    expect(count(tokenPath)).toBe(2);
    expect(count(createPath, proxy.received)).toBe(2);
    expect(new Set(proxy.received.filter((r) => r.path === createPath).map((r) => r.headers["paypal-request-id"])).size).toBe(1);
  });

  test("a caller's token function is asked again after a 401", async () => {
    proxy = await startFaultProxy(inject("paypalMockUrl"), { provider: "paypal" });
    const issued = ["caller-token-1", "caller-token-2"];
    let calls = 0;
    const client = createPayPalClient({ baseUrl: proxy.url, auth: { accessToken: async () => issued[calls++]! } });
    proxy.plan(createPath, { kind: "status", status: 401 });
    const { error } = await client.customers.create(body);
    expect(error).toBeUndefined();
    expect(calls).toBe(2);
    expect(proxy.forwarded.map((r) => r.headers.authorization)).toEqual(["Bearer caller-token-2"]);
  });

  test("token endpoint failures: invalid_client is a typed auth error and not retried; a 503 is retried", async () => {
    proxy = await startFaultProxy(inject("paypalMockUrl"), { provider: "paypal" });
    const client = createPayPalClient({ baseUrl: proxy.url, auth, retry: { baseDelayMs: 10 } });
    proxy.plan(tokenPath, { kind: "status", status: 503 });
    expect((await client.customers.create(body)).error).toBeUndefined();
    expect(count(tokenPath, proxy.received)).toBe(2);

    const refused = createPayPalClient({
      baseUrl: proxy.url,
      auth,
      fetch: (input, init) => {
        const request = new Request(input, init);
        if (request.url.endsWith(tokenPath)) request.headers.set("Prefer", "code=401");
        return fetch(request);
      },
    });
    proxy.received.length = 0;
    const { error } = await refused.customers.create(body);
    expect(error).toBeInstanceOf(PayPalAuthError);
    expect((error as PayPalAuthError).code).toBe("invalid_client");
    expect(count(tokenPath, proxy.received)).toBe(1);
    expect(count(createPath, proxy.received)).toBe(0);
  });
});
