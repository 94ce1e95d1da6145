import { beforeEach, describe, expect, inject, test } from "vitest";
import { createPaddleClient, isPaddleApiError, PaddleApiError, paddleServers, type PaddleCustomerCreate } from "../src/paddle.js";
import { resetAccount } from "./support/mock.js";
import { documentedErrorStatuses, loadSpec, reportedField, requestConstraints, requestSchema, violations, withValue } from "./support/spec.js";

const baseUrl = inject("paddleMockUrl");
const apiKey = "pdl_sdbx_apikey_01hv8x7example";
const paddle = createPaddleClient({ baseUrl, apiKey });
const spec = loadSpec("paddle");
// The mock keeps customers per API key, as Paddle keeps them per account: each test starts with none.
beforeEach(() => resetAccount(baseUrl, `Bearer ${apiKey}`));

describe("paddle customers.create against the mock", () => {
  test("create: only required params returns the typed customer", async () => {
    const { data, error, requestId, response } = await paddle.customers.create({ email: "jo@example.com" });
    expect(error).toBeUndefined();
    expect(response?.status).toBe(201);
    expect(data).toBeDefined();
    // What was sent, with Paddle's defaults and a fresh id (the mock remembers it).
    expect(data!.id).toMatch(/^ctm_[a-z\d]{26}$/);
    expect(data!.status).toBe("active");
    expect(data!.custom_data).toBeNull();
    expect(data!.name).toBeNull();
    expect(data!.email).toBe("jo@example.com");
    expect(data!.marketing_consent).toBe(false);
    expect(data!.locale).toBe("en");
    expect(Date.now() - Date.parse(data!.created_at)).toBeLessThan(60_000);
    expect(data!.updated_at).toBe(data!.created_at);
    expect(data!.import_meta).toBeNull();
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("create: every field, including null name and custom data", async () => {
    for (const body of [
      { email: "sam@example.com", name: "Sam", custom_data: { crm_id: "A-123", tier: { level: 2 } }, locale: "de" },
      { email: "sam.null@example.com", name: null, custom_data: null },
    ] satisfies PaddleCustomerCreate[]) {
      const { data, error } = await paddle.customers.create(body);
      expect(error).toBeUndefined();
      expect(data?.id).toMatch(/^ctm_/);
    }
  });

  test("sends the API key as a bearer token and Paddle-Version: 1", async () => {
    const seen: Headers[] = [];
    const client = createPaddleClient({
      baseUrl,
      apiKey,
      fetch: (input, init) => {
        const request = new Request(input, init);
        seen.push(request.headers);
        return fetch(request);
      },
    });
    await client.customers.create({ email: "jo@example.com" });
    expect(seen[0]!.get("authorization")).toBe(`Bearer ${apiKey}`);
    expect(seen[0]!.get("paddle-version")).toBe("1");
    expect(seen[0]!.get("content-type")).toBe("application/json");
  });

  test("middleware added with api.use sees every request (a real Request), but never the API key", async () => {
    const client = createPaddleClient({ baseUrl, apiKey });
    const seen: { isRequest: boolean; method: string; url: string; authorization: string | null; status?: number }[] = [];
    client.api.use({
      onRequest({ request }) {
        seen.push({ isRequest: request instanceof Request, method: request.method, url: request.url, authorization: request.headers.get("authorization") });
      },
      onResponse({ response }) {
        seen.at(-1)!.status = response.status;
      },
    });
    const { error } = await client.customers.create({ email: "jo@example.com" });
    expect(error).toBeUndefined();
    expect(seen).toEqual([{ isRequest: true, method: "POST", url: `${baseUrl}/customers`, authorization: null, status: 201 }]);
  });

  test("create: no API key is refused with 403 authentication_missing, as Paddle does", async () => {
    const { error } = await createPaddleClient({ baseUrl }).customers.create({ email: "jo@example.com" });
    expect(isPaddleApiError(error)).toBe(true);
    const apiError = error as PaddleApiError;
    expect(apiError.status).toBe(403);
    expect(apiError.code).toBe("authentication_missing");
    expect(apiError.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("create: a body that is not JSON is refused with 400 invalid_json", async () => {
    const response = await fetch(`${baseUrl}/customers`, {
      method: "POST",
      headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
      body: '{"email": "jo@',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
  });
});

describe("paddle: every documented error status comes back as a typed PaddleApiError", () => {
  // Prism answers the status and named example asked for in `Prefer`.
  const cases = [
    { status: 400, example: "invalid_field", type: "request_error", fields: ["email"] },
    { status: 400, example: "bad_request", type: "request_error", fields: [] },
    { status: 400, example: "invalid_json", type: "request_error", fields: [] },
    { status: 400, example: "customer_email_invalid", type: "request_error", fields: [] },
    { status: 400, example: "customer_email_domain_not_allowed", type: "request_error", fields: [] },
    { status: 401, example: "invalid_access_token", type: "request_error", fields: [] },
    { status: 403, example: "authentication_missing", type: "request_error", fields: [] },
    { status: 403, example: "authentication_malformed", type: "request_error", fields: [] },
    { status: 403, example: "invalid_token", type: "request_error", fields: [] },
    { status: 403, example: "forbidden", type: "request_error", fields: [] },
    { status: 409, example: "customer_already_exists", type: "request_error", fields: [] },
    { status: 429, example: "too_many_requests", type: "api_error", fields: [] },
    { status: 500, example: "internal_error", type: "api_error", fields: [] },
    { status: 503, example: "service_unavailable", type: "api_error", fields: [] },
  ] as const;

  test("the table covers every error status and example in the spec", () => {
    expect(new Set(cases.map((c) => c.status))).toEqual(documentedErrorStatuses(spec, "/customers"));
  });

  test.each(cases)("$status $example", async ({ status, example, type, fields }) => {
    const { data, error, response } = await paddle.customers.create(
      { email: "jo@example.com" },
      // A single attempt: 429 and 500 would otherwise be retried.
      { headers: { Prefer: `code=${status}, example=${example}` }, maxRetries: 0 },
    );
    expect(data).toBeUndefined();
    expect(error).toBeInstanceOf(PaddleApiError);
    const apiError = error as PaddleApiError;
    expect(apiError.kind).toBe("api");
    expect(apiError.provider).toBe("paddle");
    expect(apiError.status).toBe(status);
    expect(apiError.code).toBe(example);
    expect(apiError.type).toBe(type);
    expect(apiError.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(apiError.documentationUrl).toContain(example);
    expect(apiError.fieldErrors.map((f) => f.field)).toEqual(fields);
    expect(apiError.body.error.code).toBe(example);
    expect(apiError.message).toContain(apiError.body.error.detail);
    expect(response?.status).toBe(status);
    if (status === 429 || status === 503) expect(apiError.response.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});

describe("paddle: every constraint of the request body is enforced by the mock", () => {
  const valid: PaddleCustomerCreate = { email: "jo@example.com", name: "Jo Brown", custom_data: { a: 1 }, locale: "en" };
  const long = (n: number) => "a".repeat(n);
  // One body per constraint, breaking that constraint only where the schema allows.
  const cases = [
    { path: "", rule: "additionalProperties", body: { ...valid, marketing_consent: true }, field: "marketing_consent" },
    { path: "email", rule: "required", body: withValue(valid, "email", undefined) },
    { path: "email", rule: "type", body: withValue(valid, "email", 42) },
    { path: "email", rule: "format", body: withValue(valid, "email", "jo.example.com") },
    { path: "email", rule: "minLength", body: withValue(valid, "email", "") },
    { path: "email", rule: "maxLength", body: withValue(valid, "email", `jo@${`${long(60)}.`.repeat(6)}com`) },
    { path: "name", rule: "type", body: withValue(valid, "name", 42) },
    { path: "name", rule: "maxLength", body: withValue(valid, "name", long(1025)) },
    { path: "custom_data", rule: "type", body: withValue(valid, "custom_data", ["not", "an", "object"]) },
    { path: "locale", rule: "type", body: withValue(valid, "locale", 7) },
  ];

  test("the table covers every constraint in openapi/paddle.yaml", () => {
    const declared = requestConstraints(spec, requestSchema(spec, "/customers")).map((c) => `${c.path}:${c.rule}`);
    expect(new Set(cases.map((c) => `${c.path}:${c.rule}`))).toEqual(new Set(declared));
  });

  test("the valid body itself is accepted", async () => {
    expect((await paddle.customers.create(valid)).error).toBeUndefined();
  });

  test.each(cases)("$path breaks $rule → 400 invalid_field naming the field", async ({ path, rule, body, field }) => {
    const { error, response } = await paddle.customers.create(body as PaddleCustomerCreate);
    expect(error).toBeInstanceOf(PaddleApiError);
    const apiError = error as PaddleApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe("invalid_field");
    expect(apiError.fieldErrors.map((f) => f.field)).toContain(field ?? reportedField(path));
    expect(violations(response).map((v) => v.code)).toContain(rule);
  });

  test("Paddle-Version other than 1 is refused, naming the header", async () => {
    const response = await fetch(`${baseUrl}/customers`, {
      method: "POST",
      headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json", "Paddle-Version": "2" },
      body: JSON.stringify({ email: "jo@example.com" }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; errors: { field: string }[] } };
    expect(body.error.code).toBe("invalid_field");
    expect(body.error.errors[0]!.field).toBe("paddle-version");
  });

  test("the client always sends Paddle-Version: 1, whatever headers a call adds", async () => {
    const { error } = await paddle.customers.create({ email: "jo@example.com" }, { headers: { "Paddle-Version": "2" } });
    expect(error).toBeUndefined();
  });
});

describe("paddle client configuration", () => {
  test("servers are the spec's servers", () => {
    const servers = (spec.servers as { url: string }[]).map((s) => s.url);
    expect(servers).toEqual([paddleServers.production, paddleServers.sandbox]);
  });
});
