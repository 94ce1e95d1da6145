// PayPal tokens under load and expiry, through a proxy that counts what reaches the Prism mock.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, inject, test } from "vitest";
import { createPayPalClient, PayPalApiError, PayPalAuthError } from "../src/paypal.js";
import { startFaultProxy, type FaultProxy } from "./support/fault-proxy.js";
import { paypalMockToken } from "./support/mock.js";

const auth = { clientId: "client-id-auth-test", clientSecret: "client-secret-auth-test" };
/** A create body with its own external_id: the mock refuses a second customer with the same one. */
const body = () => ({ name: "John Doe", external_id: `ext_${randomUUID()}`, email: "abc@test.com" });
const tokenPath = "/v1/oauth2/token";
const createPath = "/v1/commerce/billing/customers";

let proxy: FaultProxy;
afterEach(() => proxy?.close());

const count = (path: string, list = proxy.forwarded) => list.filter((r) => r.path === path).length;

describe("paypal access tokens", () => {
  test("500 concurrent creates on one client: all succeed, exactly one token request", async () => {
    proxy = await startFaultProxy(inject("paypalMockUrl"), { provider: "paypal" });
    const client = createPayPalClient({ baseUrl: proxy.url, auth });
    const results = await Promise.all(Array.from({ length: 500 }, () => client.customers.create(body())));
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(count(tokenPath)).toBe(1);
    expect(count(createPath)).toBe(500);
    expect(proxy.issuedTokens).toHaveLength(1);
    expect(new Set(proxy.forwarded.filter((r) => r.path === createPath).map((r) => r.headers.authorization))).toEqual(new Set([`Bearer ${proxy.issuedTokens[0]}`]));
    // 500 distinct idempotency keys: one per logical create.
    expect(new Set(proxy.received.filter((r) => r.path === createPath).map((r) => r.headers["paypal-request-id"])).size).toBe(500);
  });

  test("a token expiring mid-run (401) is refreshed once, and the refused calls are replayed", async () => {
    proxy = await startFaultProxy(inject("paypalMockUrl"), { provider: "paypal" });
    proxy.onCreate = (n) => n === 250 && proxy.expireToken();
    const client = createPayPalClient({ baseUrl: proxy.url, auth });
    const results = await Promise.all(Array.from({ length: 500 }, () => client.customers.create(body())));
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(count(tokenPath)).toBe(2);
    const [first, second] = proxy.issuedTokens;
    const refused = proxy.received.filter((r) => r.path === createPath && r.headers.authorization === `Bearer ${first}`).length - 250;
    expect(refused).toBeGreaterThan(0);
    // Each refused call was replayed once, with the new token and its own PayPal-Request-Id.
    expect(count(createPath)).toBe(500);
    const replayedOrLate = proxy.forwarded.filter((r) => r.path === createPath && r.headers.authorization === `Bearer ${second}`);
    expect(replayedOrLate).toHaveLength(250);
    expect(new Set(replayedOrLate.map((r) => r.headers["paypal-request-id"])).size).toBe(250);
  });

  test("a token is reused until shortly before expires_in, then replaced", async () => {
    proxy = await startFaultProxy(inject("paypalMockUrl"), { provider: "paypal", tokenLifetimeSeconds: 2 });
    const client = createPayPalClient({ baseUrl: proxy.url, auth });
    await client.customers.create(body());
    await client.customers.create(body());
    expect(count(tokenPath)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await client.customers.create(body());
    expect(count(tokenPath)).toBe(2);
    expect((await client.getAccessToken()).data).toBe(proxy.issuedTokens[1]);
  });

  test("a 401 that a new token does not cure is reported, after exactly one replay", async () => {
    proxy = await startFaultProxy(inject("paypalMockUrl"), { provider: "paypal" });
    const client = createPayPalClient({ baseUrl: proxy.url, auth });
    proxy.plan(createPath, { kind: "status", status: 401 }, { kind: "status", status: 401 });
    const { error } = await client.customers.create(body());
    expect(error).toBeInstanceOf(PayPalApiError);
    expect((error as PayPalApiError).status).toBe(401);
    expect(count(tokenPath)).toBe(2);
    expect(count(createPath, proxy.received)).toBe(2);
    expect(new Set(proxy.received.filter((r) => r.path === createPath).map((r) => r.headers["paypal-request-id"])).size).toBe(1);
  });

  test("a caller's token function is asked again after a 401", async () => {
    proxy = await startFaultProxy(inject("paypalMockUrl"), { provider: "paypal" });
    // Tokens the caller got from the mock's own token endpoint (the mock refuses tokens it did not issue).
    const issued = [await paypalMockToken(inject("paypalMockUrl"), auth), await paypalMockToken(inject("paypalMockUrl"), auth)];
    let calls = 0;
    const client = createPayPalClient({ baseUrl: proxy.url, auth: { accessToken: async () => issued[calls++]! } });
    proxy.plan(createPath, { kind: "status", status: 401 });
    const { error } = await client.customers.create(body());
    expect(error).toBeUndefined();
    expect(calls).toBe(2);
    expect(proxy.forwarded.map((r) => r.headers.authorization)).toEqual([`Bearer ${issued[1]}`]);
  });

  test("token endpoint failures: invalid_client is a typed auth error and not retried; a 503 is retried", async () => {
    proxy = await startFaultProxy(inject("paypalMockUrl"), { provider: "paypal" });
    const client = createPayPalClient({ baseUrl: proxy.url, auth, retry: { baseDelayMs: 10 } });
    proxy.plan(tokenPath, { kind: "status", status: 503 });
    expect((await client.customers.create(body())).error).toBeUndefined();
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
    const { error } = await refused.customers.create(body());
    expect(error).toBeInstanceOf(PayPalAuthError);
    expect((error as PayPalAuthError).code).toBe("invalid_client");
    expect(count(tokenPath, proxy.received)).toBe(1);
    expect(count(createPath, proxy.received)).toBe(0);
  });
});
