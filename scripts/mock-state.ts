// What the mocks remember, so that they behave like the APIs: a create answers what was sent with a
// fresh id, a duplicate conflicts, a PayPal replay answers the first outcome, PayPal tokens expire.
// Prism stays the judge of every request: state is applied only to requests Prism accepted (or, for
// PayPal's token check and replays, to what the real API answers before validating).
// State is in memory, per mock process and per account (Paddle: the API key; PayPal: the client id
// behind the token), and `POST /__mock/reset` forgets it.
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** A request as the mock front received it. */
export interface FrontRequest {
  method: string;
  /** Path without the query, e.g. `/customers`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** An answer the front sends instead of Prism's. */
export interface FrontAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface MockBehaviour {
  /** Adjusts a request before Prism sees it. */
  prepare?(request: FrontRequest): void;
  /** Answers before Prism is asked, or undefined to ask it. */
  before?(request: FrontRequest): FrontAnswer | undefined;
  /** Prism accepted the request with `status` (2xx): the answer, from state, or undefined for Prism's own. */
  after?(request: FrontRequest, status: number): FrontAnswer | undefined;
  /**
   * `POST /__mock/reset`: forgets the account the request authenticates as (Paddle: its API key;
   * PayPal: the client id of its Basic credentials or bearer token), or everything when it sends none.
   */
  reset(request: FrontRequest): void;
}

export interface MockStateOptions {
  /** PayPal: `expires_in` of the tokens the mock issues, in seconds. Default 32,400 (nine hours, as PayPal's). */
  tokenLifetimeSeconds?: number;
}

/** The admin endpoints every mock answers itself. */
export const adminPaths = { reset: "/__mock/reset", expireTokens: "/__mock/expire-tokens" } as const;

const now = () => new Date().toISOString();

function json(request: FrontRequest): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(request.body.toString() || "{}");
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The token of an `Authorization: Bearer …` header, whatever the scheme's case (RFC 9110 §11.1). */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  return /^bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "")?.[1];
}

/**
 * A Paddle id: the prefix and a lower-case ULID (26 characters of Crockford's base32), as Paddle's
 * ids are (`ctm_01hv6y1jedq4p1n0yqn5ba3ky4`): ten characters of time, then randomness, so that
 * ordering by id orders by creation, as Paddle's `order_by=id[…]` does. Monotonic within a millisecond.
 */
const crockford = "0123456789abcdefghjkmnpqrstvwxyz";
let lastUlid = { time: 0, random: 0n };
function paddleId(prefix: string): string {
  const time = Date.now();
  let random = BigInt(`0x${randomBytes(10).toString("hex")}`);
  if (time <= lastUlid.time) random = lastUlid.random + 1n;
  lastUlid = { time: Math.max(time, lastUlid.time), random };
  let text = "";
  for (let t = lastUlid.time, i = 0; i < 10; i++, t = Math.floor(t / 32)) text = crockford[t % 32] + text;
  let tail = "";
  for (let r = random, i = 0; i < 16; i++, r >>= 5n) tail = crockford[Number(r & 31n)] + tail;
  return `${prefix}_${text}${tail}`;
}

// ── Paddle ──────────────────────────────────────────────────────────────────────────────────────

export interface PaddleCustomerRecord {
  id: string;
  name: string | null;
  email: string;
  marketing_consent: boolean;
  status: "active" | "archived";
  custom_data: Record<string, unknown> | null;
  locale: string;
  created_at: string;
  updated_at: string;
  import_meta: null;
}

export function paddleBehaviour(paddleError: (code: string, detail: string) => object): MockBehaviour & { accounts: Map<string, Map<string, PaddleCustomerRecord>> } {
  /** Per API key: customers by id. */
  const accounts = new Map<string, Map<string, PaddleCustomerRecord>>();
  const customersOf = (request: FrontRequest) => {
    const key = bearerToken(request.headers) ?? "";
    let customers = accounts.get(key);
    if (!customers) accounts.set(key, (customers = new Map()));
    return customers;
  };
  return {
    accounts,
    prepare(request) {
      // Paddle accepts any case of the scheme (its own Node SDK sends `bearer`); Prism only `Bearer`.
      const token = bearerToken(request.headers);
      if (token) request.headers.authorization = `Bearer ${token}`;
    },
    after(request, status) {
      const customers = customersOf(request);
      const found = /^\/customers\/([^/]+)$/.exec(request.path);
      if (request.method === "GET" && request.path === "/customers") return listCustomers(request, customers);
      if (found) {
        const id = decodeURIComponent(found[1]!);
        const customer = customers.get(id);
        if (!customer) return { status: 404, body: paddleError("not_found", `Customer ${id} not found.`) };
        if (request.method === "GET") return { status: 200, body: { data: customer, meta: { request_id: randomUUID() } } };
        if (request.method === "PATCH") return updateCustomer(request, customers, customer);
      }
      if (request.method !== "POST" || request.path !== "/customers" || status !== 201) return undefined;
      const body = json(request);
      const email = String(body.email);
      const existing = withEmail(customers, email);
      if (existing) return conflict(existing);
      const created = now();
      const customer: PaddleCustomerRecord = {
        id: paddleId("ctm"),
        name: (body.name as string | null | undefined) ?? null,
        email,
        marketing_consent: false,
        status: "active",
        custom_data: (body.custom_data as Record<string, unknown> | null | undefined) ?? null,
        locale: (body.locale as string | undefined) ?? "en",
        created_at: created,
        updated_at: created,
        import_meta: null,
      };
      customers.set(customer.id, customer);
      return { status: 201, body: { data: customer, meta: { request_id: randomUUID() } } };
    },
    reset(request) {
      const key = bearerToken(request.headers);
      if (key === undefined) accounts.clear();
      else accounts.delete(key);
    },
  };

  function conflict(existing: PaddleCustomerRecord): FrontAnswer {
    return { status: 409, body: paddleError("customer_already_exists", `customer email conflicts with customer of id ${existing.id}`) };
  }

  /** PATCH: only the fields sent change; a new email another customer has is a 409. */
  function updateCustomer(request: FrontRequest, customers: Map<string, PaddleCustomerRecord>, customer: PaddleCustomerRecord): FrontAnswer {
    const body = json(request);
    if (typeof body.email === "string") {
      const other = withEmail(customers, body.email);
      if (other && other.id !== customer.id) return conflict(other);
    }
    const fields = ["name", "email", "status", "custom_data", "locale"] as const;
    const changed = { ...customer, ...Object.fromEntries(fields.filter((f) => f in body).map((f) => [f, body[f]])), updated_at: now() } as PaddleCustomerRecord;
    customers.set(customer.id, changed);
    return { status: 200, body: { data: changed, meta: { request_id: randomUUID() } } };
  }
}

function withEmail(customers: Map<string, PaddleCustomerRecord>, email: string): PaddleCustomerRecord | undefined {
  return [...customers.values()].find((c) => c.email.toLowerCase() === email.toLowerCase());
}

/** Paddle's documented page sizes: 50 unless asked, at most 200 (a larger ask gets 200, not an error). */
const paddlePageSize = { default: 50, max: 200 };

/** `GET /customers`: filters, order, cursor pagination, as Paddle's list answers them. */
function listCustomers(request: FrontRequest, customers: Map<string, PaddleCustomerRecord>): FrontAnswer {
  const { query } = request;
  const list = (name: string) => query.get(name)?.split(",").filter(Boolean);
  const emails = list("email")?.map((e) => e.toLowerCase());
  const ids = list("id");
  const statuses = list("status") ?? ["active"];
  const search = query.get("search")?.toLowerCase();
  const ascending = query.get("order_by") === "id[ASC]";
  const matching = [...customers.values()]
    .filter((c) => statuses.includes(c.status))
    .filter((c) => !emails || emails.includes(c.email.toLowerCase()))
    .filter((c) => !ids || ids.includes(c.id))
    .filter((c) => !search || [c.id, c.name ?? "", c.email].some((field) => field.toLowerCase().includes(search)))
    .sort((a, b) => (ascending ? a.id.localeCompare(b.id) : b.id.localeCompare(a.id)));
  const perPage = Math.min(Number(query.get("per_page") ?? paddlePageSize.default), paddlePageSize.max);
  const after = query.get("after");
  const start = after ? matching.findIndex((c) => (ascending ? c.id > after : c.id < after)) : 0;
  const page = start < 0 ? [] : matching.slice(start, start + perPage);
  const last = page.at(-1)?.id ?? after ?? "";
  const nextQuery = new URLSearchParams(query);
  nextQuery.set("after", last);
  return {
    status: 200,
    body: {
      data: page,
      meta: {
        request_id: randomUUID(),
        pagination: {
          per_page: perPage,
          next: `http://${request.headers.host ?? "127.0.0.1"}/customers?${nextQuery}`,
          has_more: start >= 0 && start + perPage < matching.length,
          estimated_total: matching.length,
        },
      },
    },
  };
}

// ── PayPal ──────────────────────────────────────────────────────────────────────────────────────

/** The page size PayPal's list takes unless asked (the spec's choice: its events list's 10, at most 100). */
const paypalPageSize = { default: 10, max: 100 };

/** `GET /v1/commerce/billing/customers`: oldest first, numbered pages, with the metadata the spec describes. */
function listPayPalCustomers(request: FrontRequest, customers: Map<string, Record<string, unknown>>): object {
  const perPage = Math.min(Number(request.query.get("per_page") ?? paypalPageSize.default), paypalPageSize.max);
  const current = Number(request.query.get("page") ?? 1);
  const all = [...customers.values()];
  const totalPages = Math.max(1, Math.ceil(all.length / perPage));
  return {
    customers: all.slice((current - 1) * perPage, current * perPage),
    metadata: {
      current_page: current,
      next_page: current < totalPages ? current + 1 : null,
      prev_page: current > 1 ? current - 1 : null,
      total_pages: totalPages,
      total_count: all.length,
    },
  };
}

interface PayPalAccount {
  customers: Map<string, Record<string, unknown>>;
  /** The first outcome of each PayPal-Request-Id. */
  outcomes: Map<string, FrontAnswer>;
}

export function paypalBehaviour(
  paypalError: (name: string, message: string, details?: object[]) => object,
  options: MockStateOptions = {},
): MockBehaviour {
  const lifetimeSeconds = options.tokenLifetimeSeconds ?? 32_400;
  /** Issued tokens: the client id they belong to, and when they expire. */
  const tokens = new Map<string, { clientId: string; expiresAt: number }>();
  const accounts = new Map<string, PayPalAccount>();
  const accountOf = (clientId: string) => {
    let account = accounts.get(clientId);
    if (!account) accounts.set(clientId, (account = { customers: new Map(), outcomes: new Map() }));
    return account;
  };
  const clientOf = (request: FrontRequest) => tokens.get(bearerToken(request.headers) ?? "")?.clientId;
  /** The client id of `Authorization: Basic base64(id:secret)`. */
  const basicClient = (request: FrontRequest) => {
    const basic = /^basic\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
    return basic === undefined ? undefined : (Buffer.from(basic, "base64").toString().split(":")[0] ?? "");
  };
  const debugId = () => randomBytes(7).toString("hex").slice(0, 13);
  const isCustomers = (path: string) => path === "/v1/commerce/billing/customers" || path.startsWith("/v1/commerce/billing/customers/");

  return {
    prepare(request) {
      const token = bearerToken(request.headers);
      if (token) request.headers.authorization = `Bearer ${token}`;
    },
    before(request) {
      if (request.method === "POST" && request.path === adminPaths.expireTokens) {
        for (const token of tokens.values()) token.expiresAt = 0;
        return { status: 204 };
      }
      // A CORS preflight carries no credentials: Prism answers it.
      if (!isCustomers(request.path) || request.method === "OPTIONS") return undefined;
      const token = bearerToken(request.headers);
      if (!request.headers.authorization) {
        return {
          status: 401,
          body: paypalError("AUTHENTICATION_FAILURE", "Authentication failed due to invalid authentication credentials or a missing Authorization header."),
        };
      }
      const issued = token ? tokens.get(token) : undefined;
      // PayPal answers an unknown or expired bearer token OAuth-style, not with its usual envelope.
      if (!issued || issued.expiresAt <= Date.now()) {
        return { status: 401, body: { error: "invalid_token", error_description: "Access Token not found in cache" } };
      }
      const requestId = request.headers["paypal-request-id"];
      if (request.method === "POST" && request.path === "/v1/commerce/billing/customers" && typeof requestId === "string") {
        const first = accountOf(issued.clientId).outcomes.get(requestId);
        // A repeat answers the first outcome again; a create that happened answers 200 instead of 201.
        if (first) return { ...first, status: first.status === 201 ? 200 : first.status };
      }
      return undefined;
    },
    after(request, status) {
      if (request.method === "POST" && request.path === "/v1/oauth2/token" && status === 200) {
        const clientId = basicClient(request) ?? "";
        const token = `A21AA${randomBytes(32).toString("base64url")}`;
        tokens.set(token, { clientId, expiresAt: Date.now() + lifetimeSeconds * 1000 });
        return {
          status: 200,
          body: {
            scope: "https://uri.paypal.com/services/billing",
            access_token: token,
            token_type: "Bearer",
            app_id: "APP-80W284485P519543T",
            expires_in: lifetimeSeconds,
            nonce: `${now()}${randomBytes(8).toString("hex")}`,
          },
        };
      }
      if (status < 200 || status > 299 || !isCustomers(request.path)) return undefined;
      const account = accountOf(clientOf(request)!);
      const headers = { "paypal-debug-id": debugId() };
      const found = /^\/v1\/commerce\/billing\/customers\/([^/]+)$/.exec(request.path);
      if (request.method === "GET" && !found) return { status: 200, headers, body: listPayPalCustomers(request, account.customers) };
      if (found) {
        const id = decodeURIComponent(found[1]!);
        const existing = account.customers.get(id);
        if (!existing) {
          return {
            status: 404,
            headers,
            body: paypalError("RESOURCE_NOT_FOUND", "The specified resource does not exist.", [
              { field: "id", value: id, location: "path", issue: "INVALID_RESOURCE_ID", description: "Specified resource ID does not exist. Please check the resource ID and try again." },
            ]),
          };
        }
        if (request.method === "GET") return { status: 200, headers, body: existing };
        if (request.method === "DELETE") {
          account.customers.delete(id);
          return { status: 204, headers };
        }
        if (request.method === "PUT") {
          // The fields sent replace the stored ones; the id and external_id stay (see paypal.yaml, updateCustomer).
          const { id: _id, external_id: _externalId, tax_codes: _taxCodes, ...sent } = json(request);
          const updated = { ...existing, ...sent };
          account.customers.set(id, updated);
          return { status: 200, headers, body: updated };
        }
        return undefined;
      }
      if (request.method !== "POST") return undefined;
      const body = json(request);
      let outcome: FrontAnswer;
      if ([...account.customers.values()].some((c) => c.external_id === body.external_id)) {
        // PayPal does not document a second external_id; this mock refuses it (see paypal.yaml, 409).
        outcome = {
          status: 409,
          headers,
          body: paypalError("RESOURCE_CONFLICT", "The server has detected a conflict while processing this request.", [
            { field: "/external_id", value: String(body.external_id), location: "body", issue: "DUPLICATE_RESOURCE", description: "A customer with this external_id already exists." },
          ]),
        };
      } else {
        const { tax_codes: _taxCodes, ...sent } = body;
        const customer = { ...sent, id: randomUUID() };
        account.customers.set(customer.id, customer);
        outcome = { status: 201, headers, body: customer };
      }
      const requestId = request.headers["paypal-request-id"];
      if (typeof requestId === "string") account.outcomes.set(requestId, outcome);
      return outcome;
    },
    reset(request) {
      const clientId = basicClient(request) ?? clientOf(request);
      if (request.headers.authorization === undefined) {
        tokens.clear();
        accounts.clear();
      } else if (clientId !== undefined) accounts.delete(clientId);
    },
  };
}
