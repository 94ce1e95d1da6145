// The mocks behave like the APIs: a create answers what was sent, a duplicate conflicts, a PayPal
// replay answers the first outcome, tokens expire; every answer still matches the spec. And
// Paddle's official Node SDK, unchanged, works against the Paddle mock.
import { randomUUID } from "node:crypto";
import { ApiError as PaddleSdkApiError, Paddle, type Environment } from "@paddle/paddle-node-sdk";
import { afterEach, describe, expect, inject, test } from "vitest";
import {
  createPaddleClient,
  createPayPalClient,
  PaddleCustomerExistsError,
  PayPalAuthError,
  PayPalCustomerExistsError,
} from "../src/index.js";
import { expectError } from "./support/expect.js";
import { startFaultProxy, type FaultProxy } from "./support/fault-proxy.js";
import { schemaValidator } from "./support/spec.js";

const paddleUrl = () => inject("paddleMockUrl");
const paypalUrl = () => inject("paypalMockUrl");
/** A fresh account per test: the mocks keep state per API key / client id, as the real APIs keep it per account. */
const paddleKey = () => `pdl_sdbx_apikey_${randomUUID().replaceAll("-", "")}`;
const paypalAuth = () => ({ clientId: `client-${randomUUID()}`, clientSecret: "secret" });
const since = Date.now() - 60_000;

let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

async function paypalToken(auth = paypalAuth()): Promise<{ access_token: string; expires_in: number }> {
  const response = await fetch(`${paypalUrl()}/v1/oauth2/token`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${auth.clientId}:${auth.clientSecret}`)}`, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; expires_in: number };
}

describe("the Paddle mock", () => {
  const validCreated = schemaValidator("paddle", "CustomerCreated");

  test("a 201 echoes what was sent, with a fresh ctm_ id and real timestamps, and matches the spec", async () => {
    const client = createPaddleClient({ baseUrl: paddleUrl(), apiKey: paddleKey() });
    const sent = { email: "sam@example.com", name: "Sam Lee", custom_data: { crm_id: "A-1", tier: 2 }, locale: "de" };
    const { data, requestId, response } = await client.customers.create(sent);
    expect(data).toMatchObject({ ...sent, status: "active", marketing_consent: false, import_meta: null });
    expect(data!.id).toMatch(/^ctm_[a-z\d]{26}$/);
    expect(Date.parse(data!.created_at)).toBeGreaterThan(since);
    expect(data!.updated_at).toBe(data!.created_at);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response?.status).toBe(201);
    expect(validCreated({ data, meta: { request_id: requestId } })).toEqual([]);

    const other = await client.customers.create({ email: "kim@example.com" });
    expect(other.data).toMatchObject({ email: "kim@example.com", name: null, custom_data: null, locale: "en" });
    expect(other.data!.id).not.toBe(data!.id);
  });

  test("a second create with the same email → 409 customer_already_exists naming the existing id", async () => {
    const client = createPaddleClient({ baseUrl: paddleUrl(), apiKey: paddleKey() });
    const first = await client.customers.create({ email: "twice@example.com" });
    const error = expectError(await client.customers.create({ email: "TWICE@example.com" }), PaddleCustomerExistsError);
    expect(error.status).toBe(409);
    expect(schemaValidator("paddle", "Error")(error.body)).toEqual([]);
    expect(error.existingCustomerId).toBe(first.data!.id);
    expect(error.earlierAttemptMayHaveCreatedIt).toBe(false);
  });

  test("accounts are apart: another API key may use the same email", async () => {
    for (const apiKey of [paddleKey(), paddleKey()]) {
      expect((await createPaddleClient({ baseUrl: paddleUrl(), apiKey }).customers.create({ email: "same@example.com" })).error).toBeUndefined();
    }
  });

  test("the auth scheme is case-insensitive (RFC 9110), as Paddle's: `bearer …` creates", async () => {
    const response = await fetch(`${paddleUrl()}/customers`, {
      method: "POST",
      headers: { authorization: `bearer ${paddleKey()}`, "content-type": "application/json" },
      body: JSON.stringify({ email: "lower@example.com" }),
    });
    expect(response.status).toBe(201);
  });

  test("Prism still judges every request: an invalid email is a 400 invalid_field, and nothing is stored", async () => {
    const apiKey = paddleKey();
    const client = createPaddleClient({ baseUrl: paddleUrl(), apiKey });
    expect((await client.customers.create({ email: "not-an-email" })).error?.kind).toBe("api");
    expect((await client.customers.create({ email: "later@example.com" })).error).toBeUndefined();
  });

  test("POST /__mock/reset forgets every customer", async () => {
    const apiKey = paddleKey();
    const client = createPaddleClient({ baseUrl: paddleUrl(), apiKey });
    await client.customers.create({ email: "reset@example.com" });
    expect((await client.customers.create({ email: "reset@example.com" })).error?.kind).toBe("api");
    expect((await fetch(`${paddleUrl()}/__mock/reset`, { method: "POST" })).status).toBe(204);
    expect((await client.customers.create({ email: "reset@example.com" })).error).toBeUndefined();
  });

  test("Paddle's official Node SDK, unchanged: a valid create returns a ctm_ customer; an invalid email its own ApiError", async () => {
    const sdk = new Paddle(paddleKey(), { environment: paddleUrl() as Environment });
    const customer = await sdk.customers.create({ email: "sdk@example.com", name: "Sdk User", customData: { via: "sdk" } });
    expect(customer.id).toMatch(/^ctm_[a-z\d]{26}$/);
    expect(customer).toMatchObject({ email: "sdk@example.com", name: "Sdk User", customData: { via: "sdk" }, status: "active" });
    const refused = await sdk.customers.create({ email: "not-an-email" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PaddleSdkApiError);
    expect((refused as PaddleSdkApiError).code).toBe("invalid_field");
    const duplicate = await sdk.customers.create({ email: "sdk@example.com" }).catch((error: unknown) => error);
    expect((duplicate as PaddleSdkApiError).code).toBe("customer_already_exists");
  });
});

describe("the PayPal mock", () => {
  const validCustomer = schemaValidator("paypal", "Customer");
  const validToken = schemaValidator("paypal", "AccessToken");
  const full = {
    name: "TechStart Solutions",
    email: "finance@techstart.io",
    billing_entity_code: "acme_inc",
    address: { line1: "123 Innovation Way", city: "San Francisco", state: "CA", postal_code: "94087", country: "US" },
    phone: "+1 (555) 789-1234",
    payment_method_token: "6ta69628uw121251c",
    metadata: [{ key: "Purchase Order", value: "PO-2023-4521", display_in_invoice: true }],
  };

  test("the token endpoint issues a fresh token with expires_in, matching the spec", async () => {
    const auth = paypalAuth();
    const [a, b] = [await paypalToken(auth), await paypalToken(auth)];
    expect(a.access_token).not.toBe(b.access_token);
    expect(a.expires_in).toBeGreaterThan(0);
    expect(validToken(a)).toEqual([]);
  });

  test("a 201 echoes what was sent with a fresh id and a Paypal-Debug-Id, and matches the spec", async () => {
    const client = createPayPalClient({ baseUrl: paypalUrl(), auth: paypalAuth() });
    const sent = { ...full, external_id: `ext_${randomUUID()}` };
    const { data, requestId, response } = await client.customers.create(sent);
    expect(response?.status).toBe(201);
    expect(data).toMatchObject(sent);
    expect(data!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId).toMatch(/^[0-9a-f]{13}$/);
    expect(validCustomer(data)).toEqual([]);
  });

  test("a repeated PayPal-Request-Id answers the first outcome again: 200, the same customer", async () => {
    const client = createPayPalClient({ baseUrl: paypalUrl(), auth: paypalAuth() });
    const paypalRequestId = randomUUID();
    const body = { name: "John Doe", external_id: `ext_${randomUUID()}`, email: "abc@test.com" };
    const first = await client.customers.create(body, { paypalRequestId });
    const again = await client.customers.create({ ...body, name: "Changed" }, { paypalRequestId });
    expect([first.response?.status, again.response?.status]).toEqual([201, 200]);
    expect(again.data).toEqual(first.data);
  });

  test("an existing external_id → 409 DUPLICATE_RESOURCE, a PayPalCustomerExistsError naming it", async () => {
    const client = createPayPalClient({ baseUrl: paypalUrl(), auth: paypalAuth() });
    const body = { name: "John Doe", external_id: `ext_${randomUUID()}`, email: "abc@test.com" };
    expect((await client.customers.create(body)).error).toBeUndefined();
    const error = expectError(await client.customers.create(body), PayPalCustomerExistsError);
    expect(error.status).toBe(409);
    expect(schemaValidator("paypal", "Error")(error.body)).toEqual([]);
    expect(error.fieldErrors[0]).toMatchObject({ field: "external_id", issue: "DUPLICATE_RESOURCE" });
    expect(error.externalId).toBe(body.external_id);
    expect(error.earlierAttemptMayHaveCreatedIt).toBe(false);
  });

  test("an unknown token → PayPal's OAuth-shaped 401; the client reports a PayPalAuthError", async () => {
    const response = await fetch(`${paypalUrl()}/v1/commerce/billing/customers`, {
      method: "POST",
      headers: { authorization: "Bearer A21AA-never-issued", "content-type": "application/json" },
      body: JSON.stringify({ name: "J", external_id: "e", email: "a@b.co" }),
    });
    expect(response.status).toBe(401);
    const body: unknown = await response.json();
    expect(body).toEqual({ error: "invalid_token", error_description: "Access Token not found in cache" });
    expect(schemaValidator("paypal", "OAuthError")(body)).toEqual([]);
    const client = createPayPalClient({ baseUrl: paypalUrl(), auth: { accessToken: "A21AA-never-issued" } });
    const error = expectError(await client.customers.create({ name: "J", external_id: "e", email: "a@b.co" }), PayPalAuthError);
    expect([error.status, error.code]).toEqual([401, "invalid_token"]);
  });

  test("an expired token: the client gets a new one and replays, against the mock itself", async () => {
    const tokenCalls: string[] = [];
    const client = createPayPalClient({
      baseUrl: paypalUrl(),
      auth: paypalAuth(),
      fetch: (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (url.endsWith("/v1/oauth2/token")) tokenCalls.push(url);
        return fetch(input, init);
      },
    });
    const body = () => ({ name: "John Doe", external_id: `ext_${randomUUID()}`, email: "abc@test.com" });
    expect((await client.customers.create(body())).error).toBeUndefined();
    const before = (await client.getAccessToken()).data;
    expect((await fetch(`${paypalUrl()}/__mock/expire-tokens`, { method: "POST" })).status).toBe(204);
    const { data, error } = await client.customers.create(body());
    expect(error).toBeUndefined();
    expect(data?.id).toBeDefined();
    expect(tokenCalls).toHaveLength(2);
    expect((await client.getAccessToken()).data).not.toBe(before);
  });

  test("if PayPal ignored PayPal-Request-Id, a retry after a dropped connection ends in PayPalCustomerExistsError, flagged", async () => {
    proxy = await startFaultProxy(paypalUrl(), { provider: "paypal", dropRequestId: true });
    const client = createPayPalClient({ baseUrl: proxy.url, auth: paypalAuth(), retry: { baseDelayMs: 5 } });
    proxy.plan("/v1/commerce/billing/customers", { kind: "reset-after" });
    const body = { name: "John Doe", external_id: `ext_${randomUUID()}`, email: "abc@test.com" };
    const error = expectError(await client.customers.create(body), PayPalCustomerExistsError);
    expect(error.earlierAttemptMayHaveCreatedIt).toBe(true);
    expect(error.externalId).toBe(body.external_id);
    expect(proxy.forwarded.filter((r) => r.path === "/v1/commerce/billing/customers")).toHaveLength(2);
  });

  test("with the header honoured (the mock), the same retry is answered with the first customer: 200", async () => {
    proxy = await startFaultProxy(paypalUrl(), { provider: "paypal" });
    const client = createPayPalClient({ baseUrl: proxy.url, auth: paypalAuth(), retry: { baseDelayMs: 5 } });
    proxy.plan("/v1/commerce/billing/customers", { kind: "reset-after" });
    const { data, error, response } = await client.customers.create({ name: "John Doe", external_id: `ext_${randomUUID()}`, email: "abc@test.com" });
    expect(error).toBeUndefined();
    expect(response?.status).toBe(200);
    expect(data?.id).toBeDefined();
  });
});
