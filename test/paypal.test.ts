import { beforeAll, beforeEach, describe, expect, inject, test } from "vitest";
import {
  createPayPalClient,
  PayPalApiError,
  PayPalAuthError,
  paypalServers,
  type PayPalCustomerCreate,
} from "../src/paypal.js";
import { basicAuth, paypalMockToken, resetAccount } from "./support/mock.js";
import { documentedErrorStatuses, loadSpec, reportedField, requestConstraints, requestSchema, violations, withValue } from "./support/spec.js";

const baseUrl = inject("paypalMockUrl");
const auth = { clientId: "AYSq3RDGsmBLJE-otTkBtM-jBRd1TCQwFf9RGfwddNXWz0uFU9ztymylOhRS", clientSecret: "EGnHDxD_qRPdaLdZz8iCr8N7_MzF-YHPTkjs6NKYQvQSBngp4PTTVWkPZRbL" };
const spec = loadSpec("paypal");
const seedBody: PayPalCustomerCreate = { name: "John Doe", external_id: "ext_cust_12345", email: "abc@test.com" };
/** A token the mock issued for `auth` (it refuses tokens it did not issue, as PayPal does). */
let token: string;
beforeAll(async () => {
  token = await paypalMockToken(baseUrl, auth);
});
// The mock keeps customers per client id, as PayPal keeps them per account: each test starts with none.
beforeEach(() => resetAccount(baseUrl, basicAuth(auth)));

/** A real fetch that records every request it sends (a custom fetch, not a mocked module). */
function recordingFetch(addHeaders: (url: string) => Record<string, string> = () => ({})) {
  const requests: { url: string; headers: Headers; body: string }[] = [];
  const send = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const extra = addHeaders(request.url);
    const headers = new Headers(request.headers);
    for (const [k, v] of Object.entries(extra)) headers.set(k, v);
    const body = await request.text();
    requests.push({ url: request.url, headers, body });
    return fetch(request.url, { method: request.method, headers, body, signal: request.signal });
  };
  return { requests, fetch: send };
}

describe("paypal customers.create against the mock", () => {
  test("create: only required params, with client credentials exchanged for a token", async () => {
    const client = createPayPalClient({ baseUrl, auth });
    const { data, error, response } = await client.customers.create(seedBody);
    expect(error).toBeUndefined();
    expect(response?.status).toBe(201);
    // What was sent, with a fresh id (the mock remembers it).
    expect(data).toEqual({ ...seedBody, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(data!.taxes).toBeUndefined();
  });

  test("create: every field, including an internationalized email", async () => {
    const client = createPayPalClient({ baseUrl, auth: { accessToken: () => token } });
    const body: PayPalCustomerCreate = {
      name: "Jörg Müller",
      external_id: "ext-cust_12345",
      email: "jörg@müller.example",
      billing_entity_code: "acme_inc",
      address: { line1: "1 Main St", line2: "Floor 2", city: "Berlin", state: "BE", postal_code: "10115", country: "DE" },
      phone: "+49 30 1234567",
      payment_method_token: "pm_visa_4242",
      payment_method_type: "CARD",
      tax_codes: ["standard_vat"],
      metadata: [{ key: "Purchase Order", value: "PO-1", display_in_invoice: true }, { key: "Region", value: "EU", display_in_invoice: false }],
    };
    const { data, error } = await client.customers.create(body);
    expect(error).toBeUndefined();
    // Everything sent comes back, but tax_codes: PayPal answers the configured `taxes` instead.
    const { tax_codes: _taxCodes, ...echoed } = body;
    expect(data).toMatchObject(echoed);
  });

  test("token exchange: Basic client credentials, form body, one token request for many calls", async () => {
    const recorder = recordingFetch();
    const client = createPayPalClient({ baseUrl, auth, fetch: recorder.fetch });
    await client.customers.create(seedBody);
    await client.customers.create(seedBody);
    await Promise.all([client.customers.create(seedBody), client.customers.create(seedBody)]);
    const tokenRequests = recorder.requests.filter((r) => r.url.endsWith("/v1/oauth2/token"));
    const creates = recorder.requests.filter((r) => r.url.endsWith("/v1/commerce/billing/customers"));
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]!.headers.get("authorization")).toBe(`Basic ${btoa(`${auth.clientId}:${auth.clientSecret}`)}`);
    expect(tokenRequests[0]!.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(tokenRequests[0]!.body).toBe("grant_type=client_credentials");
    expect(creates).toHaveLength(4);
    const issued = (await client.getAccessToken()).data;
    for (const create of creates) expect(create.headers.get("authorization")).toBe(`Bearer ${issued}`);
  });

  test("PayPal-Request-Id: a fresh UUID per call unless the caller gives one; Prefer and auth assertion passed on", async () => {
    const recorder = recordingFetch();
    const client = createPayPalClient({ baseUrl, auth: { accessToken: () => token }, fetch: recorder.fetch });
    await client.customers.create(seedBody);
    await client.customers.create(seedBody);
    await client.customers.create(seedBody, {
      paypalRequestId: "order-42-customer",
      prefer: "return=representation",
      authAssertion: "eyJhbGciOiJub25lIn0.eyJwYXllcl9pZCI6Ik0xIn0.",
    });
    const ids = recorder.requests.map((r) => r.headers.get("paypal-request-id"));
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids[2]).toBe("order-42-customer");
    expect(recorder.requests[2]!.headers.get("prefer")).toBe("return=representation");
    expect(recorder.requests[2]!.headers.get("paypal-auth-assertion")).toBe("eyJhbGciOiJub25lIn0.eyJwYXllcl9pZCI6Ik0xIn0.");
  });

  test("middleware added with api.use sees each request, never a credential; raw api calls are authenticated too", async () => {
    const recorder = recordingFetch();
    const client = createPayPalClient({ baseUrl, auth, fetch: recorder.fetch });
    const seen: (string | null)[] = [];
    client.api.use({ onRequest: ({ request }) => void seen.push(request.headers.get("authorization")) });
    expect((await client.customers.create(seedBody)).error).toBeUndefined();
    const raw = await client.api.POST("/v1/commerce/billing/customers", { body: { ...seedBody, external_id: "ext_raw_call" } });
    expect(raw.response.status).toBe(201);
    // The create and the raw call; the token exchange has its own transport, which middleware never sees.
    expect(seen).toEqual([null, null]);
    const sent = recorder.requests.filter((r) => r.url.endsWith("/customers")).map((r) => r.headers.get("authorization"));
    const issued = (await client.getAccessToken()).data;
    expect(sent).toEqual([`Bearer ${issued}`, `Bearer ${issued}`]);
  });

  test("token exchange refused: invalid_client is a typed PayPalAuthError, and no create is sent", async () => {
    const recorder = recordingFetch((url) => (url.endsWith("/v1/oauth2/token") ? { Prefer: "code=401" } : {}));
    const client = createPayPalClient({ baseUrl, auth, fetch: recorder.fetch });
    const { data, error } = await client.customers.create(seedBody);
    expect(data).toBeUndefined();
    expect(error).toBeInstanceOf(PayPalAuthError);
    const authError = error as PayPalAuthError;
    expect(authError.kind).toBe("auth");
    expect(authError.status).toBe(401);
    expect(authError.code).toBe("invalid_client");
    expect(authError.body?.error_description).toBe("Client Authentication failed");
    expect(recorder.requests.map((r) => new URL(r.url).pathname)).toEqual(["/v1/oauth2/token"]);
  });

  test("the token endpoint rejects a grant other than client_credentials with unsupported_grant_type", async () => {
    const response = await fetch(`${baseUrl}/v1/oauth2/token`, {
      method: "POST",
      headers: { Authorization: `Basic ${btoa("id:secret")}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=password",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "unsupported_grant_type" });
  });

  test("create without a token is refused with 401 AUTHENTICATION_FAILURE", async () => {
    const { error } = await createPayPalClient({ baseUrl }).customers.create(seedBody);
    expect(error).toBeInstanceOf(PayPalApiError);
    expect((error as PayPalApiError).status).toBe(401);
    expect((error as PayPalApiError).code).toBe("AUTHENTICATION_FAILURE");
  });

  test("a body that is not JSON is refused with 400 INVALID_REQUEST / MALFORMED_REQUEST_JSON", async () => {
    const response = await fetch(`${baseUrl}/v1/commerce/billing/customers`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: '{"name": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ name: "INVALID_REQUEST", details: [{ issue: "MALFORMED_REQUEST_JSON" }] });
  });
});

describe("paypal: every documented error status comes back as a typed PayPalApiError", () => {
  const client = createPayPalClient({ baseUrl, auth: { accessToken: () => token } });
  const cases = [
    { status: 400, name: "INVALID_REQUEST", fields: [{ field: "email", issue: "MISSING_REQUIRED_PARAMETER" }] },
    { status: 401, name: "AUTHENTICATION_FAILURE", fields: [], example: "authentication_failure" },
    { status: 403, name: "NOT_AUTHORIZED", fields: [] },
    { status: 404, name: "RESOURCE_NOT_FOUND", fields: [{ field: "billing_entity_code", issue: "INVALID_RESOURCE_ID" }] },
    { status: 409, name: "RESOURCE_CONFLICT", fields: [{ field: "external_id", issue: "DUPLICATE_RESOURCE" }] },
    { status: 415, name: "UNSUPPORTED_MEDIA_TYPE", fields: [{ field: "Content-Type", issue: "UNSUPPORTED_MEDIA_TYPE" }] },
    { status: 422, name: "UNPROCESSABLE_ENTITY", fields: [{ field: "payment_method_token", issue: "INVALID_PAYMENT_METHOD_TOKEN" }] },
    { status: 429, name: "RATE_LIMIT_REACHED", fields: [] },
    { status: 500, name: "INTERNAL_SERVER_ERROR", fields: [] },
    { status: 503, name: "SERVICE_UNAVAILABLE", fields: [] },
  ] as const;

  test("the table covers every error status in the spec", () => {
    expect(new Set(cases.map((c) => c.status))).toEqual(documentedErrorStatuses(spec, "/v1/commerce/billing/customers"));
  });

  test.each(cases)("$status $name", async (c) => {
    const { status, name, fields } = c;
    const prefer = "example" in c ? `code=${status}, example=${c.example}` : `code=${status}`;
    const { data, error, response } = await client.customers.create(seedBody, { headers: { Prefer: prefer }, maxRetries: 0 });
    expect(data).toBeUndefined();
    expect(error).toBeInstanceOf(PayPalApiError);
    const apiError = error as PayPalApiError;
    expect(apiError.kind).toBe("api");
    expect(apiError.provider).toBe("paypal");
    expect(apiError.status).toBe(status);
    expect(apiError.code).toBe(name);
    expect(apiError.requestId).toMatch(/^[0-9a-f]{13}$/);
    expect(apiError.requestId).toBe(apiError.body.debug_id);
    expect(apiError.fieldErrors.map(({ field, issue }) => ({ field, issue }))).toEqual(fields);
    expect(response?.status).toBe(status);
    if (status === 429) expect(apiError.response.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});

test("401 with PayPal's OAuth-shaped body (an unknown or expired token): renewed once, then a PayPalAuthError", async () => {
  const client = createPayPalClient({ baseUrl, auth: { accessToken: () => token } });
  const { error } = await client.customers.create(seedBody, { headers: { Prefer: "code=401, example=invalid_token" }, maxRetries: 0 });
  expect(error).toBeInstanceOf(PayPalAuthError);
  expect([(error as PayPalAuthError).status, (error as PayPalAuthError).code]).toEqual([401, "invalid_token"]);
});

describe("paypal: every constraint of the request bodies is enforced by the mock", () => {
  const client = createPayPalClient({ baseUrl, auth: { accessToken: () => token } });
  const valid: PayPalCustomerCreate = {
    ...seedBody,
    billing_entity_code: "acme_inc",
    address: { line1: "1 Main St", line2: "Floor 2", city: "Berlin", state: "BE", postal_code: "10115", country: "DE" },
    phone: "+1-234-567-8900",
    payment_method_token: "pm_visa_4242",
    payment_method_type: "CARD",
    tax_codes: ["standard_vat"],
    metadata: [{ key: "k", value: "v", display_in_invoice: false }],
  };
  const long = (n: number) => "a".repeat(n);
  const cases = [
    { path: "name", rule: "required", value: undefined },
    { path: "name", rule: "type", value: 1 },
    { path: "name", rule: "minLength", value: "" },
    { path: "name", rule: "maxLength", value: long(513) },
    { path: "external_id", rule: "required", value: undefined },
    { path: "external_id", rule: "type", value: 1 },
    { path: "external_id", rule: "minLength", value: "" },
    { path: "external_id", rule: "maxLength", value: long(65) },
    { path: "external_id", rule: "pattern", value: "ext cust/1" },
    { path: "email", rule: "required", value: undefined },
    { path: "email", rule: "type", value: 1 },
    { path: "email", rule: "minLength", value: "a@" },
    { path: "email", rule: "maxLength", value: `a@${long(253)}` },
    { path: "email", rule: "pattern", value: "abc@-test.com" },
    { path: "billing_entity_code", rule: "type", value: 1 },
    { path: "billing_entity_code", rule: "pattern", value: "acme inc" },
    { path: "address", rule: "type", value: "1 Main St, Berlin" },
    { path: "address.line1", rule: "type", value: 1 },
    { path: "address.line2", rule: "type", value: 1 },
    { path: "address.city", rule: "type", value: 1 },
    { path: "address.state", rule: "type", value: 1 },
    { path: "address.postal_code", rule: "type", value: 10115 },
    { path: "address.country", rule: "type", value: 49 },
    { path: "address.country", rule: "pattern", value: "de" },
    { path: "phone", rule: "type", value: 1234567 },
    { path: "payment_method_token", rule: "type", value: { id: "pm_visa_4242" } },
    { path: "payment_method_token", rule: "minLength", value: "" },
    { path: "payment_method_token", rule: "maxLength", value: long(37) },
    { path: "payment_method_type", rule: "type", value: 1 },
    { path: "payment_method_type", rule: "enum", value: "BITCOIN" },
    { path: "tax_codes", rule: "type", value: "standard_vat" },
    { path: "tax_codes[]", rule: "type", value: 1 },
    { path: "metadata", rule: "type", value: { key: "k", value: "v" } },
    { path: "metadata[]", rule: "type", value: "k=v" },
    { path: "metadata[].key", rule: "required", value: undefined },
    { path: "metadata[].key", rule: "type", value: 1 },
    { path: "metadata[].value", rule: "required", value: undefined },
    { path: "metadata[].value", rule: "type", value: 1 },
    { path: "metadata[].display_in_invoice", rule: "type", value: "yes" },
    { path: "metadata[].display_in_invoice", rule: "required", value: undefined },
  ];

  test("the table covers every constraint of the customer body in openapi/paypal.yaml", () => {
    const declared = requestConstraints(spec, requestSchema(spec, "/v1/commerce/billing/customers"));
    expect(new Set(cases.map((c) => `${c.path}:${c.rule}`))).toEqual(new Set(declared.map((c) => `${c.path}:${c.rule}`)));
  });

  test("the valid body itself is accepted", async () => {
    expect((await client.customers.create(valid)).error).toBeUndefined();
  });

  test.each(cases)("$path breaks $rule → 400 INVALID_REQUEST naming the field", async ({ path, rule, value }) => {
    const body = withValue(valid, path, value);
    const { error, response } = await client.customers.create(body);
    expect(error).toBeInstanceOf(PayPalApiError);
    const apiError = error as PayPalApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe("INVALID_REQUEST");
    expect(apiError.fieldErrors.map((f) => f.field)).toContain(reportedField(path));
    expect(violations(response).map((v) => v.code)).toContain(rule);
  });

  const tokenCases = [
    { path: "grant_type", rule: "required", body: "" },
    { path: "grant_type", rule: "type", body: null },
    { path: "grant_type", rule: "enum", body: "grant_type=authorization_code" },
  ];

  test("the token request's constraints are all covered", () => {
    const declared = requestConstraints(spec, requestSchema(spec, "/v1/oauth2/token", "application/x-www-form-urlencoded"));
    // A form field is always a string on the wire, so `type` cannot be broken there.
    const unbreakable = [
      { path: "grant_type", rule: "type" },
      { path: "scope", rule: "type" },
    ];
    expect(new Set([...tokenCases.filter((c) => c.rule !== "type"), ...unbreakable].map((c) => `${c.path}:${c.rule}`))).toEqual(
      new Set(declared.map((c) => `${c.path}:${c.rule}`)),
    );
  });

  test.each(tokenCases.filter((c) => c.body !== null))("token: grant_type breaks $rule → 400 OAuth error", async ({ rule, body }) => {
    const response = await fetch(`${baseUrl}/v1/oauth2/token`, {
      method: "POST",
      headers: { Authorization: `Basic ${btoa("id:secret")}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: body!,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "unsupported_grant_type" });
    expect(violations(response).map((v) => v.code)).toContain(rule);
  });
});

describe("paypal client configuration", () => {
  test("servers are the spec's servers", () => {
    const servers = (spec.servers as { url: string }[]).map((s) => s.url);
    expect(servers).toEqual([paypalServers.production, paypalServers.sandbox]);
  });
});
