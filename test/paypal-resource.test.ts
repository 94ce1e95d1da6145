// PayPal's customers resource beyond create — list, get, update, delete — against the stateful
// mock: what was created is listed, fetched, changed and deleted; every documented status comes
// back typed; every constraint of the update body and the list query is enforced; pages,
// iteration and a DELETE retried after it went through.
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, inject, test } from "vitest";
import {
  AbortedError,
  createPayPalClient,
  paypalRequestValidators,
  PayPalApiError,
  ValidationError,
  type PayPalCustomer,
  type PayPalCustomerListQuery,
  type PayPalCustomerUpdate,
} from "../src/paypal.js";
import { expectError } from "./support/expect.js";
import { startFaultProxy, type FaultProxy } from "./support/fault-proxy.js";
import { errorStatuses, loadSpec, querySchema, reportedField, requestConstraints, schemaValidator, violations, withValue } from "./support/spec.js";

const baseUrl = inject("paypalMockUrl");
const spec = loadSpec("paypal");
/** A client that checks requests against the spec before sending (an invalid one is never sent). */
const validating = () => createPayPalClient({ baseUrl, validateRequests: paypalRequestValidators });
const item = "/v1/commerce/billing/customers/{id}";
let paypal: ReturnType<typeof createPayPalClient>;
let sent: string[];
let proxy: FaultProxy | undefined;
beforeEach(() => {
  // A fresh account per test: the mock keeps customers per client id.
  sent = [];
  paypal = createPayPalClient({
    baseUrl,
    auth: { clientId: `client-${randomUUID()}`, clientSecret: "secret" },
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (!url.pathname.endsWith("/oauth2/token")) sent.push(`${init?.method ?? (input instanceof Request ? input.method : "GET")} ${url.pathname}${url.search}`);
      return fetch(input, init);
    },
  });
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

async function createMany(n: number): Promise<PayPalCustomer[]> {
  const created: PayPalCustomer[] = [];
  for (let i = 0; i < n; i++) {
    const { data, error } = await paypal.customers.create({ name: `Customer ${i}`, external_id: `ext_${i}`, email: `c${i}@example.com` });
    expect(error).toBeUndefined();
    created.push(data!);
  }
  return created;
}

describe("paypal customers: get, update, delete, list against the stateful mock", () => {
  const validCustomer = schemaValidator("paypal", "Customer");
  const validList = schemaValidator("paypal", "CustomerList");

  test("get: the customer that was created, matching the spec", async () => {
    const [created] = await createMany(1);
    const { data, requestId } = await paypal.customers.get(created!.id);
    expect(data).toEqual(created);
    expect(requestId).toMatch(/^[0-9a-f]{13}$/);
    expect(validCustomer(data)).toEqual([]);
  });

  test("get, update, delete: an unknown id → 404 RESOURCE_NOT_FOUND; an empty id is refused before sending", async () => {
    for (const result of [
      await paypal.customers.get("9c1d2f4a-0b3e-4c5d-8e6f-7a8b9c0d1e2f"),
      await paypal.customers.update("9c1d2f4a-0b3e-4c5d-8e6f-7a8b9c0d1e2f", { name: "x" }),
      await paypal.customers.delete("9c1d2f4a-0b3e-4c5d-8e6f-7a8b9c0d1e2f"),
    ]) {
      const error = expectError(result, PayPalApiError);
      expect([error.status, error.code]).toEqual([404, "RESOURCE_NOT_FOUND"]);
      expect(error.fieldErrors).toEqual([expect.objectContaining({ field: "id", issue: "INVALID_RESOURCE_ID" })]);
      expect(schemaValidator("paypal", "Error")(error.body)).toEqual([]);
    }
    const before = sent.length;
    for (const result of [await paypal.customers.get(""), await paypal.customers.update("", {}), await paypal.customers.delete(" ")]) {
      expect(expectError(result, ValidationError).fieldErrors[0]!.field).toBe("id");
    }
    expect(sent.length).toBe(before);
  });

  test("update: the fields sent replace the stored ones; the others and external_id stay", async () => {
    const [created] = await createMany(1);
    const metadata = [{ key: "Tier", value: "Gold", display_in_invoice: false }];
    const { data } = await paypal.customers.update(created!.id, { name: "Renamed", metadata });
    expect(data).toEqual({ ...created, name: "Renamed", metadata });
    expect(validCustomer(data)).toEqual([]);
    expect((await paypal.customers.get(created!.id)).data).toEqual(data);
  });

  test("delete: 204 → { data: null }; the customer is gone from get and list", async () => {
    const [kept, removed] = await createMany(2);
    const { data, error, response } = await paypal.customers.delete(removed!.id);
    expect([data, error, response?.status]).toEqual([null, undefined, 204]);
    expect(expectError(await paypal.customers.get(removed!.id), PayPalApiError).status).toBe(404);
    expect((await paypal.customers.list()).data?.customers).toEqual([kept]);
  });

  test("delete retried after it went through: the retry's 404 is a success (the customer is gone)", async () => {
    const [created] = await createMany(1);
    proxy = await startFaultProxy(baseUrl, { provider: "paypal" });
    const client = createPayPalClient({ baseUrl: proxy.url, auth: { accessToken: (await paypal.getAccessToken()).data! }, retry: { baseDelayMs: 5 } });
    proxy.plan(`/v1/commerce/billing/customers/${created!.id}`, { kind: "reset-after" });
    const { data, error } = await client.customers.delete(created!.id);
    expect([data, error]).toEqual([null, undefined]);
    expect(proxy.forwarded.filter((r) => r.path.endsWith(created!.id))).toHaveLength(2);
    // Without an ambiguous attempt before it, a 404 stays a 404.
    expect(expectError(await client.customers.delete(created!.id), PayPalApiError).status).toBe(404);
  });

  test("list: numbered pages (default 10), oldest first, each matching the spec, `next` until the last", async () => {
    const created = await createMany(12);
    const first = await paypal.customers.list();
    expect(first.data?.customers.map((c) => c.id)).toEqual(created.slice(0, 10).map((c) => c.id));
    expect(first.data?.metadata).toEqual({ current_page: 1, next_page: 2, prev_page: null, total_pages: 2, total_count: 12 });
    expect(validList({ customers: first.data?.customers, metadata: first.data?.metadata })).toEqual([]);
    expect(first.data?.next).toEqual({ page: 2 });
    const second = await paypal.customers.list(first.data!.next);
    expect(second.data?.customers.map((c) => c.id)).toEqual(created.slice(10).map((c) => c.id));
    expect(second.data?.next).toBeUndefined();
    expect(sent.at(-1)).toBe("GET /v1/commerce/billing/customers?page=2");
  });

  test("iterate: every customer across pages, one request per page; stopping early fetches no more", async () => {
    const created = await createMany(5);
    sent.length = 0;
    const seen: string[] = [];
    const everyone = paypal.customers.iterate({ per_page: 2 });
    for await (const customer of everyone) seen.push(customer.id);
    expect(everyone.error).toBeUndefined();
    expect(seen).toEqual(created.map((c) => c.id));
    expect(sent).toHaveLength(3);
    sent.length = 0;
    for await (const _customer of paypal.customers.iterate({ per_page: 2 })) break;
    expect(sent).toHaveLength(1);
  });

  test("iterate: an abort ends the loop with AbortedError; a failing page ends it with the typed error", async () => {
    await createMany(5);
    const controller = new AbortController();
    const iterator = paypal.customers.iterate({ per_page: 2 }, { signal: controller.signal });
    let count = 0;
    for await (const _customer of iterator) if (++count === 3) controller.abort();
    expect(count).toBe(3);
    expect(iterator.error).toBeInstanceOf(AbortedError);

    const failing = paypal.customers.iterate({}, { headers: { Prefer: "code=503" }, maxRetries: 0 });
    for await (const _customer of failing) expect.unreachable();
    expect((failing.error as PayPalApiError).status).toBe(503);
  });
});

describe("paypal: every documented status of list, get, update and delete comes back typed", () => {
  const id = "f772b19c-c5c2-426d-8871-346a6cd094c5";
  const operations = [
    { op: "list", path: "/v1/commerce/billing/customers", method: "get", run: (o: object) => paypal.customers.list({}, o) },
    { op: "get", path: item, method: "get", run: (o: object) => paypal.customers.get(id, o) },
    { op: "update", path: item, method: "put", run: (o: object) => paypal.customers.update(id, { name: "x" }, o) },
    { op: "delete", path: item, method: "delete", run: (o: object) => paypal.customers.delete(id, o) },
  ];
  const cases = operations.flatMap((o) => errorStatuses(spec, o.path, o.method).map((status) => ({ ...o, status })));
  test.each(cases)("$op: $status → a typed error with that status", async ({ run, status }) => {
    // The OAuth-shaped 401 is the first 401 example; the envelope one is asked for by name.
    const prefer = status === 401 ? "code=401, example=authentication_failure" : `code=${status}`;
    const error = expectError(await run({ headers: { Prefer: prefer }, maxRetries: 0 }), PayPalApiError);
    expect(error.status).toBe(status);
    expect(error.requestId).toBe(error.body.debug_id);
  });
});

describe("paypal: every constraint of the update body and the list query is enforced by the mock", () => {
  const validUpdate: PayPalCustomerUpdate = {
    name: "TechStart",
    email: "finance@techstart.io",
    billing_entity_code: "acme_inc",
    address: { line1: "1 Main St", line2: "2", city: "Berlin", state: "BE", postal_code: "10115", country: "DE" },
    phone: "+49 30 1234567",
    payment_method_token: "pm_1",
    payment_method_type: "CARD",
    tax_codes: ["vat"],
    metadata: [{ key: "k", value: "v", display_in_invoice: false }],
  };
  const long = (n: number) => "a".repeat(n);
  const updates: { path: string; rule: string; value: unknown }[] = [
    { path: "name", rule: "type", value: 1 },
    { path: "name", rule: "minLength", value: "" },
    { path: "name", rule: "maxLength", value: long(513) },
    { path: "email", rule: "type", value: 1 },
    { path: "email", rule: "minLength", value: "a@" },
    { path: "email", rule: "maxLength", value: `${long(250)}@x.co` },
    { path: "email", rule: "pattern", value: "no-at-sign" },
    { path: "billing_entity_code", rule: "type", value: 1 },
    { path: "billing_entity_code", rule: "pattern", value: "not valid!" },
    { path: "address", rule: "type", value: "Berlin" },
    ...["line1", "line2", "city", "state", "postal_code", "country"].map((f) => ({ path: `address.${f}`, rule: "type", value: 1 })),
    { path: "address.country", rule: "pattern", value: "de" },
    { path: "phone", rule: "type", value: 1 },
    { path: "payment_method_token", rule: "type", value: 1 },
    { path: "payment_method_token", rule: "minLength", value: "" },
    { path: "payment_method_token", rule: "maxLength", value: long(37) },
    { path: "payment_method_type", rule: "type", value: 1 },
    { path: "payment_method_type", rule: "enum", value: "CASH" },
    { path: "tax_codes", rule: "type", value: "vat" },
    { path: "tax_codes[]", rule: "type", value: 1 },
    { path: "metadata", rule: "type", value: {} },
    { path: "metadata[]", rule: "type", value: "k=v" },
    { path: "metadata[].key", rule: "required", value: undefined },
    { path: "metadata[].key", rule: "type", value: 1 },
    { path: "metadata[].value", rule: "required", value: undefined },
    { path: "metadata[].value", rule: "type", value: 1 },
    { path: "metadata[].display_in_invoice", rule: "required", value: undefined },
    { path: "metadata[].display_in_invoice", rule: "type", value: "yes" },
  ];
  const put = ((spec.paths as Record<string, any>)[item].put.requestBody.content["application/json"].schema) as unknown;

  test("the update table covers every constraint of CustomerUpdate", () => {
    const declared = requestConstraints(spec, put).map((c) => `${c.path}:${c.rule}`);
    expect(new Set(updates.map((c) => `${c.path}:${c.rule}`))).toEqual(new Set(declared));
  });

  test.each(updates)("update: $path breaks $rule → 400 INVALID_REQUEST naming it, and the local validator agrees", async ({ path, rule, value }) => {
    const [created] = await createMany(1);
    const body = withValue(validUpdate, path, value);
    const { error, response } = await paypal.customers.update(created!.id, body);
    const apiError = expectError({ error }, PayPalApiError);
    expect([apiError.status, apiError.code]).toEqual([400, "INVALID_REQUEST"]);
    expect(apiError.fieldErrors.map((f) => f.field)).toContain(reportedField(path));
    expect(violations(response).map((v) => v.code)).toContain(rule);
    const local = await validating().customers.update(created!.id, body);
    expect(expectError(local, ValidationError).fieldErrors.map((f) => f.field)).toContain(reportedField(path));
  });

  const queries: { path: string; rule: string; query: Record<string, unknown>; wire: boolean }[] = [
    { path: "page", rule: "type", query: { page: "two" }, wire: true },
    { path: "page", rule: "minimum", query: { page: 0 }, wire: true },
    { path: "per_page", rule: "type", query: { per_page: "many" }, wire: true },
    { path: "per_page", rule: "minimum", query: { per_page: 0 }, wire: true },
    { path: "per_page", rule: "maximum", query: { per_page: 101 }, wire: true },
  ];

  test("the query table covers every constraint of the list query", () => {
    const declared = requestConstraints(spec, querySchema(spec, "/v1/commerce/billing/customers", "get")).map((c) => `${c.path}:${c.rule}`);
    expect(new Set(queries.map((c) => `${c.path}:${c.rule}`))).toEqual(new Set(declared));
  });

  test.each(queries)("list: $path breaks $rule → 400 INVALID_REQUEST, and refused locally", async ({ path, query }) => {
    const local = await validating().customers.list(query as PayPalCustomerListQuery);
    expect(expectError(local, ValidationError).fieldErrors.map((f) => f.field)).toContain(path);
    const { error } = await paypal.customers.list(query as PayPalCustomerListQuery);
    expect([expectError({ error }, PayPalApiError).status, (error as PayPalApiError).code]).toEqual([400, "INVALID_REQUEST"]);
  });
});
