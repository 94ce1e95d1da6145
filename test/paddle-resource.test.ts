// Paddle's customers resource beyond create — list, get, update — against the stateful mock: what
// was created is listed, fetched and changed; every documented status comes back typed; every
// constraint of the update body and the list query is enforced; pages and iteration work.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, inject, test } from "vitest";
import {
  AbortedError,
  createPaddleClient,
  paddleRequestValidators,
  PaddleApiError,
  PaddleCustomerExistsError,
  ValidationError,
  type PaddleCustomer,
  type PaddleCustomerListQuery,
  type PaddleCustomerUpdate,
} from "../src/paddle.js";
import { expectError } from "./support/expect.js";
import { errorStatuses, loadSpec, querySchema, reportedField, requestConstraints, schemaValidator, violations, withValue } from "./support/spec.js";

const baseUrl = inject("paddleMockUrl");
const spec = loadSpec("paddle");
/** A client that checks requests against the spec before sending (an invalid one is never sent). */
const validating = () => createPaddleClient({ baseUrl, validateRequests: paddleRequestValidators });
let apiKey: string;
let paddle: ReturnType<typeof createPaddleClient>;
/** Every request the client sent, as "METHOD /path?query". */
let sent: string[];
beforeEach(() => {
  // A fresh account per test: the mock keeps customers per API key.
  apiKey = `pdl_sdbx_apikey_${randomUUID().replaceAll("-", "")}`;
  sent = [];
  paddle = createPaddleClient({
    baseUrl,
    apiKey,
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      sent.push(`${init?.method ?? (input instanceof Request ? input.method : "GET")} ${url.pathname}${url.search}`);
      return fetch(input, init);
    },
  });
});

async function createMany(n: number): Promise<PaddleCustomer[]> {
  const created: PaddleCustomer[] = [];
  for (let i = 0; i < n; i++) {
    const { data, error } = await paddle.customers.create({ email: `c${i}@example.com`, name: `Customer ${i}` });
    expect(error).toBeUndefined();
    created.push(data!);
  }
  return created;
}

describe("paddle customers: get, update, list against the stateful mock", () => {
  const validList = schemaValidator("paddle", "CustomerList");
  const validOne = schemaValidator("paddle", "CustomerResponse");

  test("get: the customer that was created; the answer matches the spec", async () => {
    const [created] = await createMany(1);
    const { data, requestId, response } = await paddle.customers.get(created!.id);
    expect(data).toEqual(created);
    expect(response?.status).toBe(200);
    expect(validOne({ data, meta: { request_id: requestId } })).toEqual([]);
  });

  test("get: an unknown id → 404 not_found; an empty id is refused before sending", async () => {
    const error = expectError(await paddle.customers.get("ctm_01hv6y1jedq4p1n0yqn5ba3ky5"), PaddleApiError);
    expect([error.status, error.code]).toEqual([404, "not_found"]);
    expect(error.message).toContain("ctm_01hv6y1jedq4p1n0yqn5ba3ky5");
    const before = sent.length;
    expect(expectError(await paddle.customers.get(""), ValidationError).fieldErrors[0]!.field).toBe("customer_id");
    expect(expectError(await paddle.customers.update("  ", { name: "x" }), ValidationError).fieldErrors[0]!.field).toBe("customer_id");
    expect(sent.length).toBe(before);
  });

  test("update: only the fields sent change; archiving is an update of the status", async () => {
    const [created] = await createMany(1);
    const renamed = await paddle.customers.update(created!.id, { name: "Renamed", custom_data: { tier: "gold" } });
    expect(renamed.data).toMatchObject({ id: created!.id, email: created!.email, name: "Renamed", custom_data: { tier: "gold" }, status: "active" });
    expect(Date.parse(renamed.data!.updated_at)).toBeGreaterThanOrEqual(Date.parse(created!.created_at));
    expect(validOne({ data: renamed.data, meta: { request_id: renamed.requestId } })).toEqual([]);
    const archived = await paddle.customers.update(created!.id, { status: "archived" });
    expect(archived.data).toMatchObject({ status: "archived", name: "Renamed" });
    expect((await paddle.customers.get(created!.id)).data?.status).toBe("archived");
    // Archived customers are not listed unless asked for.
    expect((await paddle.customers.list()).data?.customers).toEqual([]);
    expect((await paddle.customers.list({ status: ["archived"] })).data?.customers.map((c) => c.id)).toEqual([created!.id]);
  });

  test("update: an email another customer has → 409 customer_already_exists naming it", async () => {
    const [first, second] = await createMany(2);
    const error = expectError(await paddle.customers.update(second!.id, { email: first!.email }), PaddleCustomerExistsError);
    expect(error.existingCustomerId).toBe(first!.id);
    expect((await paddle.customers.update(first!.id, { email: first!.email })).error).toBeUndefined();
  });

  test("update: an unknown id → 404 not_found", async () => {
    expect(expectError(await paddle.customers.update("ctm_01hv6y1jedq4p1n0yqn5ba3ky5", { name: "x" }), PaddleApiError).status).toBe(404);
  });

  test("list: pages of the documented size, newest first, each matching the spec, `next` until the last", async () => {
    const created = await createMany(5);
    const first = await paddle.customers.list({ per_page: 2 });
    expect(first.data?.customers.map((c) => c.id)).toEqual([created[4]!.id, created[3]!.id]);
    expect(first.data?.pagination).toMatchObject({ per_page: 2, has_more: true, estimated_total: 5 });
    expect(validList({ data: first.data?.customers, meta: { request_id: first.requestId, pagination: first.data?.pagination } })).toEqual([]);
    expect(first.data?.next).toEqual({ per_page: 2, after: created[3]!.id });
    const second = await paddle.customers.list(first.data!.next);
    const third = await paddle.customers.list(second.data!.next);
    expect(second.data?.customers.map((c) => c.id)).toEqual([created[2]!.id, created[1]!.id]);
    expect(third.data?.customers.map((c) => c.id)).toEqual([created[0]!.id]);
    expect(third.data?.pagination.has_more).toBe(false);
    expect(third.data?.next).toBeUndefined();
    // Oldest first, on request.
    expect((await paddle.customers.list({ order_by: "id[ASC]", per_page: 1 })).data?.customers[0]!.id).toBe(created[0]!.id);
  });

  test("list: default 50 per page; more than 200 asked → 200, as Paddle does", async () => {
    expect((await paddle.customers.list()).data?.pagination.per_page).toBe(50);
    expect((await paddle.customers.list({ per_page: 500 })).data?.pagination.per_page).toBe(200);
  });

  test("list: the exact email filter (comma-separated on the wire), id and search", async () => {
    const created = await createMany(3);
    const byEmail = await paddle.customers.list({ email: [created[0]!.email, created[2]!.email] });
    expect(byEmail.data?.customers.map((c) => c.id).sort()).toEqual([created[0]!.id, created[2]!.id].sort());
    expect(sent.at(-1)).toContain(`email=${encodeURIComponent(created[0]!.email)},${encodeURIComponent(created[2]!.email)}`);
    expect((await paddle.customers.list({ id: [created[1]!.id] })).data?.customers.map((c) => c.email)).toEqual([created[1]!.email]);
    expect((await paddle.customers.list({ search: "customer 2" })).data?.customers.map((c) => c.id)).toEqual([created[2]!.id]);
  });

  test("iterate: every customer across pages, lazily: one request per page", async () => {
    const created = await createMany(5);
    sent.length = 0;
    const seen: string[] = [];
    const everyone = paddle.customers.iterate({ per_page: 2 });
    for await (const customer of everyone) seen.push(customer.id);
    expect(everyone.error).toBeUndefined();
    expect(seen).toEqual(created.map((c) => c.id).reverse());
    expect(sent.filter((r) => r.startsWith("GET /customers"))).toHaveLength(3);
  });

  test("iterate: stopping early fetches no further page; an abort ends the loop with AbortedError", async () => {
    await createMany(5);
    sent.length = 0;
    for await (const _customer of paddle.customers.iterate({ per_page: 2 })) break;
    expect(sent).toHaveLength(1);

    const controller = new AbortController();
    const iterator = paddle.customers.iterate({ per_page: 2 }, { signal: controller.signal });
    let count = 0;
    for await (const _customer of iterator) if (++count === 3) controller.abort();
    expect(count).toBe(3);
    expect(iterator.error).toBeInstanceOf(AbortedError);
  });

  test("iterate: a failing page ends the loop; the error is readable, nothing thrown", async () => {
    const failing = createPaddleClient({ baseUrl, apiKey, headers: { Prefer: "code=500" }, retry: { maxRetries: 0 } });
    const iterator = failing.customers.iterate();
    const items: PaddleCustomer[] = [];
    for await (const customer of iterator) items.push(customer);
    expect(items).toEqual([]);
    expect(iterator.error).toBeInstanceOf(PaddleApiError);
    expect((iterator.error as PaddleApiError).status).toBe(500);
  });

  test("after a 409, the error leads to the existing customer (by id, or by the exact email)", async () => {
    const [existing] = await createMany(1);
    const conflict = expectError(await paddle.customers.create({ email: existing!.email }), PaddleCustomerExistsError);
    expect((await paddle.customers.get(conflict.existingCustomerId!)).data).toEqual(existing);
    expect((await paddle.customers.list({ email: [existing!.email] })).data?.customers).toEqual([existing]);
  });
});

describe("paddle: every documented status of get, update and list comes back typed", () => {
  const operations = [
    { op: "get", path: "/customers/{customer_id}", method: "get", run: (prefer: string) => paddle.customers.get("ctm_01hv6y1jedq4p1n0yqn5ba3ky4", { headers: { Prefer: prefer }, maxRetries: 0 }) },
    {
      op: "update",
      path: "/customers/{customer_id}",
      method: "patch",
      run: (prefer: string) => paddle.customers.update("ctm_01hv6y1jedq4p1n0yqn5ba3ky4", { name: "x" }, { headers: { Prefer: prefer }, maxRetries: 0 }),
    },
    { op: "list", path: "/customers", method: "get", run: (prefer: string) => paddle.customers.list({}, { headers: { Prefer: prefer }, maxRetries: 0 }) },
  ];
  const cases = operations.flatMap((o) => errorStatuses(spec, o.path, o.method).map((status) => ({ ...o, status })));
  test("404 is documented for get and update, 409 for update", () => {
    expect(errorStatuses(spec, "/customers/{customer_id}", "get")).toContain(404);
    expect(errorStatuses(spec, "/customers/{customer_id}", "patch")).toEqual(expect.arrayContaining([404, 409]));
  });
  test.each(cases)("$op: $status → PaddleApiError $status", async ({ run, status }) => {
    const error = expectError(await run(`code=${status}`), PaddleApiError);
    expect(error.status).toBe(status);
    expect(error.code).toBe(error.body.error.code);
    expect(schemaValidator("paddle", "Error")(error.body)).toEqual([]);
  });
});

describe("paddle: every constraint of the update body and the list query is enforced by the mock", () => {
  const long = (n: number) => "a".repeat(n);
  const validUpdate: PaddleCustomerUpdate = { email: "jo@example.com", name: "Jo", status: "active", custom_data: { a: 1 }, locale: "en" };
  const updates = [
    { path: "", rule: "additionalProperties", body: { ...validUpdate, marketing_consent: true }, field: "marketing_consent" },
    { path: "email", rule: "type", body: withValue(validUpdate, "email", 42) },
    { path: "email", rule: "format", body: withValue(validUpdate, "email", "jo.example.com") },
    { path: "email", rule: "minLength", body: withValue(validUpdate, "email", "") },
    { path: "email", rule: "maxLength", body: withValue(validUpdate, "email", `jo@${`${long(60)}.`.repeat(6)}com`) },
    { path: "name", rule: "type", body: withValue(validUpdate, "name", 42) },
    { path: "name", rule: "maxLength", body: withValue(validUpdate, "name", long(1025)) },
    { path: "status", rule: "type", body: withValue(validUpdate, "status", 1) },
    { path: "status", rule: "enum", body: withValue(validUpdate, "status", "deleted") },
    { path: "custom_data", rule: "type", body: withValue(validUpdate, "custom_data", ["x"]) },
    { path: "locale", rule: "type", body: withValue(validUpdate, "locale", 7) },
  ];
  const patch = ((spec.paths as Record<string, any>)["/customers/{customer_id}"].patch.requestBody.content["application/json"].schema) as unknown;

  test("the update table covers every constraint of CustomerUpdate", () => {
    const declared = requestConstraints(spec, patch).map((c) => `${c.path}:${c.rule}`);
    expect(new Set(updates.map((c) => `${c.path}:${c.rule}`))).toEqual(new Set(declared));
  });

  test.each(updates)("update: $path breaks $rule → 400 invalid_field, and the local validator agrees", async ({ path, rule, body, field }) => {
    const [created] = await createMany(1);
    const { error, response } = await paddle.customers.update(created!.id, body as PaddleCustomerUpdate);
    const apiError = expectError({ error }, PaddleApiError);
    expect([apiError.status, apiError.code]).toEqual([400, "invalid_field"]);
    expect(apiError.fieldErrors.map((f) => f.field)).toContain(field ?? reportedField(path));
    expect(violations(response).map((v) => v.code)).toContain(rule);
    const local = await validating().customers.update(created!.id, body as PaddleCustomerUpdate);
    expect(expectError(local, ValidationError).fieldErrors.map((f) => f.field)).toContain(field ?? reportedField(path));
  });

  const queries: { path: string; rule: string; query: Record<string, unknown> }[] = [
    { path: "per_page", rule: "type", query: { per_page: "many" } },
    { path: "per_page", rule: "minimum", query: { per_page: 0 } },
    { path: "order_by", rule: "type", query: { order_by: 5 } },
    { path: "order_by", rule: "enum", query: { order_by: "email[ASC]" } },
    { path: "search", rule: "type", query: { search: 5 } },
    { path: "search", rule: "maxLength", query: { search: long(101) } },
    { path: "email", rule: "type", query: { email: "jo@example.com" } },
    { path: "email[]", rule: "type", query: { email: [5] } },
    { path: "email[]", rule: "maxLength", query: { email: [`${long(95)}@x.com`] } },
    { path: "id", rule: "type", query: { id: "ctm_1" } },
    { path: "id[]", rule: "type", query: { id: [5] } },
    { path: "status", rule: "type", query: { status: "active" } },
    { path: "status[]", rule: "type", query: { status: [5] } },
    { path: "status[]", rule: "enum", query: { status: ["deleted"] } },
    { path: "after", rule: "type", query: { after: 5 } },
  ];

  test("the query table covers every constraint of the list query", () => {
    const declared = requestConstraints(spec, querySchema(spec, "/customers", "get")).map((c) => `${c.path}:${c.rule}`);
    expect(new Set(queries.map((c) => `${c.path}:${c.rule}`))).toEqual(new Set(declared));
  });

  // On the wire a query is text: the mock can only refuse what text can break (a bound, an enum,
  // a number that is not one); a wrong JSON type is caught by the local validator alone.
  const onTheWire = new Set(["per_page:type", "per_page:minimum", "order_by:enum", "search:maxLength", "email[]:maxLength", "status[]:enum"]);
  test.each(queries)("list: $path breaks $rule → refused (by the mock where the wire can carry it, always locally)", async ({ path, rule, query }) => {
    const local = await validating().customers.list(query as PaddleCustomerListQuery);
    expect(expectError(local, ValidationError).fieldErrors.map((f) => f.field)).toContain(reportedField(path).replace(/\.0$/, ".0"));
    if (!onTheWire.has(`${path}:${rule}`)) return;
    const { error } = await paddle.customers.list(query as PaddleCustomerListQuery);
    const apiError = expectError({ error }, PaddleApiError);
    expect([apiError.status, apiError.code]).toEqual([400, "invalid_field"]);
  });
});
