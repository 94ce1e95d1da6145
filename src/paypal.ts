// PayPal client: `createPayPalClient({ environment, auth: { clientId, clientSecret } })` or `({ baseUrl })`.
import type { Client } from "openapi-fetch";
import type { components, operations, paths } from "../generated/paypal.js";
import { validateCreateCustomer, validateListCustomersQuery, validateUpdateCustomer } from "../generated/paypal.validators.js";
import {
  callPolicy,
  checkCallHeader,
  checkId,
  defineCalls,
  isRecord,
  perform,
  refuseSecretInBrowser,
  resolveBaseUrl,
  secretScrubber,
  type Attempt,
  type CallOptions,
  type Caller,
  type CallPolicy,
  type ClientOptions,
  type Environment,
  type EnvironmentOrBaseUrl,
  type RequestValidators,
  type Result,
  type Success,
  type TransportError,
} from "./core.js";
import { AbortedError, ApiError, ConfigurationError, PaymentsError, redact, type FieldError, type ValidationError } from "./errors.js";
import { checkCredential } from "./options.js";
import { isAmbiguous } from "./retry.js";
import { iteratePages, type ResultIterator } from "./pages.js";
import { createTransport, type Credentials } from "./transport.js";
import { check } from "./validation.js";


// Everything a user of this provider needs comes from this entry alone.
export * from "./shared.js";

/** Checks a `POST /v1/commerce/billing/customers` body with the spec's rules, as the mock does: undefined when valid. */
export const validatePayPalCustomerCreate = (body: unknown): ValidationError | undefined => check("paypal", validateCreateCustomer, body);

/** Checks a `PUT /v1/commerce/billing/customers/{id}` body with the spec's rules: undefined when valid. */
export const validatePayPalCustomerUpdate = (body: unknown): ValidationError | undefined => check("paypal", validateUpdateCustomer, body);
/** Checks a `GET /v1/commerce/billing/customers` query with the spec's rules: undefined when valid. */
export const validatePayPalCustomerListQuery = (query: unknown): ValidationError | undefined => check("paypal", validateListCustomersQuery, query);

/** The checks `validateRequests` runs before a body or query is sent, one per operation that has one. */
export interface PayPalRequestValidators extends RequestValidators {}

/**
 * The spec's rules for every request, for `createPayPalClient({ validateRequests: paypalRequestValidators })`.
 * A value to import rather than a switch: a bundle that never imports it leaves the validators out.
 */
export const paypalRequestValidators: PayPalRequestValidators = {
  create: validatePayPalCustomerCreate,
  update: validatePayPalCustomerUpdate,
  listQuery: validatePayPalCustomerListQuery,
};

type CreateCustomer = operations["createCustomer"];
// The spec's types under the names a user reads: interfaces, so that an editor shows
// `PayPalCustomer` on hover and in errors rather than the structure behind it.
type Schemas = components["schemas"];
type CustomerCreate = Schemas["CustomerCreate"];
type CustomerUpdate = Schemas["CustomerUpdate"];
type Customer = Schemas["Customer"];
type ListQuery = NonNullable<operations["listCustomers"]["parameters"]["query"]>;
type ListMetadata = Schemas["ListMetadata"];
type ErrorBody = Schemas["Error"];
type OAuthErrorBody = Schemas["OAuthError"];
type AccessToken = Schemas["AccessToken"];
/** Body of `POST /v1/commerce/billing/customers`, from openapi/paypal.yaml. */
export interface PayPalCustomerCreate extends CustomerCreate {}
/** Body of `PUT /v1/commerce/billing/customers/{id}`: the fields sent replace the stored ones. */
export interface PayPalCustomerUpdate extends CustomerUpdate {}
/** The customer PayPal returns, from openapi/paypal.yaml. */
export interface PayPalCustomer extends Customer {}
/** Query of `GET /v1/commerce/billing/customers`: `page` (from 1) and `per_page`. */
export interface PayPalCustomerListQuery extends ListQuery {}
/** Where a page sits in PayPal's list (`metadata`). */
export interface PayPalListMetadata extends ListMetadata {}
/** One page of `GET /v1/commerce/billing/customers`, and the query of the next page (undefined on the last). */
export interface PayPalCustomerPage {
  customers: PayPalCustomer[];
  metadata: PayPalListMetadata | undefined;
  next: PayPalCustomerListQuery | undefined;
}
/** PayPal's error envelope, from openapi/paypal.yaml. */
export interface PayPalErrorBody extends ErrorBody {}
/** The token endpoint's OAuth error body, from openapi/paypal.yaml. */
export interface PayPalOAuthErrorBody extends OAuthErrorBody {}
/** The token endpoint's answer, from openapi/paypal.yaml. */
export interface PayPalAccessToken extends AccessToken {}
export type PayPalPaths = paths;
type CreateHeaders = NonNullable<CreateCustomer["parameters"]["header"]>;

/** The servers in openapi/paypal.yaml (a test keeps them equal). */
export const paypalServers: Record<Environment, string> = {
  production: "https://api-m.paypal.com",
  sandbox: "https://api-m.sandbox.paypal.com",
};

export type PayPalAuth =
  /** Exchanged at `/v1/oauth2/token`; the token is cached until shortly before it expires. */
  | { clientId: string; clientSecret: string; accessToken?: never }
  /** A token you manage: a string, or a function called before each request (cache in it). */
  | { accessToken: string | (() => string | Promise<string>); clientId?: never; clientSecret?: never };

export type PayPalClientOptions = (
  | { environment: Environment; auth: PayPalAuth; baseUrl?: EnvironmentOrBaseUrl }
  | {
      /** A Prism mock, or your own backend that authenticates (then give no auth). */
      baseUrl: string;
      auth?: PayPalAuth;
      environment?: EnvironmentOrBaseUrl;
    }
) &
  ClientOptions & {
    /**
     * Checks each request body (and list query) against the spec before sending:
     * `validateRequests: paypalRequestValidators`. A body that fails resolves to a ValidationError
     * naming each field, and nothing is sent. Off by default, and then not in your bundle.
     */
    validateRequests?: PayPalRequestValidators | undefined;
  };

export interface PayPalCreateOptions extends CallOptions {
  /** Idempotency key (`PayPal-Request-Id`). A fresh UUID is used when omitted. */
  paypalRequestId?: CreateHeaders["PayPal-Request-Id"];
  /** `Prefer` header, e.g. `return=representation`. */
  prefer?: CreateHeaders["Prefer"];
  /** `PayPal-Auth-Assertion`, for partners acting for a merchant. */
  authAssertion?: CreateHeaders["PayPal-Auth-Assertion"];
}

/** PayPal answered with an error status. `code` is `name` (e.g. `INVALID_REQUEST`), `requestId` is `debug_id`. */
export class PayPalApiError extends ApiError<PayPalErrorBody> {
  /** The envelope is read defensively: a detail of the wrong shape is left out, never thrown over. */
  constructor(body: PayPalErrorBody, response: Response, name = "PayPalApiError") {
    const details: unknown = body.details;
    super(name, "paypal", response, {
      code: text(body.name) ?? "UNKNOWN",
      message: text(body.message) ?? "",
      fieldErrors: Array.isArray(details) ? details.flatMap(fieldError) : [],
      requestId: text(body.debug_id),
      body,
    });
  }

  /** Reads PayPal's error envelope; undefined when the body is something else. */
  static fromBody(body: unknown, response: Response): PayPalApiError | undefined {
    if (!isRecord(body) || typeof body.name !== "string" || typeof body.message !== "string") return undefined;
    return new PayPalApiError(body as PayPalErrorBody, response);
  }
}

/**
 * 409 on a create: a customer with this `external_id` exists (`DUPLICATE_RESOURCE`). Whether PayPal
 * honours `PayPal-Request-Id` on this endpoint is unconfirmed, so a retry after an ambiguous failure
 * may meet this conflict: when `earlierAttemptMayHaveCreatedIt` is true, an earlier attempt of this
 * same call may have reached PayPal (a dropped connection, a timeout, a 5xx), and the existing
 * customer is most likely the one this call created.
 */
export class PayPalCustomerExistsError extends PayPalApiError {
  /** The `external_id` this call sent: the key to find the existing customer by. */
  declare readonly externalId: string | undefined;
  declare readonly earlierAttemptMayHaveCreatedIt: boolean;
  constructor(body: PayPalErrorBody, response: Response, externalId: string | undefined, earlierAttemptMayHaveCreatedIt: boolean) {
    super(body, response, "PayPalCustomerExistsError");
    Object.assign(this, { externalId, earlierAttemptMayHaveCreatedIt });
  }

  /** Whether a 409 body says the `external_id` is taken. */
  static matches(body: PayPalErrorBody): boolean {
    const details: unknown = body.details;
    return (
      body.name === "RESOURCE_CONFLICT" &&
      (!Array.isArray(details) || details.length === 0 || details.some((d) => isRecord(d) && (d.issue === "DUPLICATE_RESOURCE" || d.field === "/external_id")))
    );
  }
}

export function isPayPalCustomerExistsError(value: unknown): value is PayPalCustomerExistsError {
  return value instanceof PayPalCustomerExistsError;
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** One entry of PayPal's `details[]`, if it names a field: `/address/country` → `address.country`. */
function fieldError(detail: unknown): FieldError[] {
  if (!isRecord(detail) || typeof detail.field !== "string" || !detail.field) return [];
  const issue = text(detail.issue);
  return [
    {
      field: detail.field.replace(/^\//, "").replaceAll("/", "."),
      message: text(detail.description) ?? issue ?? "",
      ...(issue === undefined ? {} : { issue }),
    },
  ];
}

/**
 * No usable access token: the token endpoint refused the client credentials (`invalid_client`, …)
 * or answered without a token, or your `accessToken` function failed. No credential is kept in it.
 */
export class PayPalAuthError extends PaymentsError {
  declare readonly kind: "auth";
  /** The token endpoint's HTTP status; undefined when no token request was made (your `accessToken` function failed). */
  declare readonly status: number | undefined;
  /** OAuth error code, e.g. `invalid_client`; `invalid_token_response` when a 200 carried no usable token. */
  declare readonly code: string;
  declare readonly body: PayPalOAuthErrorBody | undefined;
  constructor(code: string, description: string, { response, body, cause }: { response?: Response; body?: PayPalOAuthErrorBody; cause?: unknown } = {}) {
    const status = response?.status;
    super(
      "PayPalAuthError",
      "auth",
      "paypal",
      `paypal: no access token (${status === undefined ? "" : `${status} `}${code}${description ? `: ${description}` : ""})`,
      { status, code, body, ...(response ? { response } : {}) },
      cause,
    );
  }
  static fromBody(body: unknown, response: Response): PayPalAuthError | undefined {
    if (!isRecord(body) || typeof body.error !== "string") return undefined;
    return new PayPalAuthError(body.error, text(body.error_description) ?? "", { response, body: body as PayPalOAuthErrorBody });
  }
}

export function isPayPalApiError(value: unknown): value is PayPalApiError {
  return value instanceof PayPalApiError;
}

export function isPayPalAuthError(value: unknown): value is PayPalAuthError {
  return value instanceof PayPalAuthError;
}

export type PayPalError = PayPalApiError | PayPalAuthError | TransportError;

/** What `getAccessToken` resolves to: the token, or why there is none. Never rejects. */
export type PayPalTokenResult = { data: string; error?: undefined } | { data?: undefined; error: PayPalError };

export interface PayPalClient {
  customers: {
    /**
     * `POST /v1/commerce/billing/customers`. Resolves to the new customer or to a typed error; never
     * throws for HTTP or network failures. Every attempt of one call carries the same
     * `PayPal-Request-Id`, so retries (connection failures, timeouts, 408, 429, 5xx) never create
     * twice; a 401 refreshes the token once and replays.
     */
    create(body: PayPalCustomerCreate, options?: PayPalCreateOptions): Promise<Result<PayPalCustomer, PayPalError>>;
    /** `GET /v1/commerce/billing/customers/{id}`: one customer by PayPal's `id`; 404 `RESOURCE_NOT_FOUND` when none has it. */
    get(id: string, options?: CallOptions): Promise<Result<PayPalCustomer, PayPalError>>;
    /** `PUT /v1/commerce/billing/customers/{id}`: the fields sent replace the stored ones (idempotent, so retried). */
    update(id: string, body: PayPalCustomerUpdate, options?: CallOptions): Promise<Result<PayPalCustomer, PayPalError>>;
    /**
     * `DELETE /v1/commerce/billing/customers/{id}`: resolves to `{ data: null }` (204). Retried like
     * any call; a retry that meets 404 after an attempt that may have gone through is a success too.
     */
    delete(id: string, options?: CallOptions): Promise<Result<null, PayPalError>>;
    /** `GET /v1/commerce/billing/customers`: one page (from 1), and `next`, the query of the following page. */
    list(query?: PayPalCustomerListQuery, options?: CallOptions): Promise<Result<PayPalCustomerPage, PayPalError>>;
    /** Every customer, page after page, fetched as the loop goes. Never throws: a failure ends the loop and is in `error`. */
    iterate(query?: PayPalCustomerListQuery, options?: CallOptions): ResultIterator<PayPalCustomer, PayPalError>;
  };
  /** The access token the client would send now (fetching one if needed), or why there is none. Never rejects. */
  getAccessToken(options?: { signal?: AbortSignal | undefined }): Promise<PayPalTokenResult>;
  /** The underlying openapi-fetch client; requests get the bearer token automatically (middleware never sees it). */
  api: Client<paths>;
}

export function createPayPalClient(options: PayPalClientOptions): PayPalClient {
  if (typeof options !== "object" || options === null) throw new ConfigurationError("paypal", "options", "must be an object");
  const auth = checkAuth(options.auth);
  const baseUrl = resolveBaseUrl("paypal", options, paypalServers, "auth", auth);
  if (auth?.kind === "client") refuseSecretInBrowser("paypal", "auth.clientSecret", options.dangerouslyAllowBrowser);
  const secrets = secretScrubber();
  const policy = callPolicy("paypal", options, secrets.scrub);
  const { validators } = policy;
  const tokens = tokenSource(auth, policy, { baseUrl, fetch: options.fetch, headers: options.headers }, secrets.add);
  const transport = createTransport<paths>({
    provider: "paypal",
    baseUrl,
    fetch: options.fetch,
    headers: options.headers,
    maxResponseBytes: policy.maxResponseBytes,
    credentials: tokens && bearer(tokens),
  });
  const { api } = transport;
  const call = defineCalls<PayPalApiError | PayPalAuthError>({ ...policy, transport }, readError);

  const collection = "/v1/commerce/billing/customers";
  const item = "/v1/commerce/billing/customers/{id}";
  const byId = (id: string) => ({ path: { id } });
  const customers: PayPalClient["customers"] = {
    create: (body, options = {}) => {
      // One id per logical create, the same on every retry: PayPal answers a repeat with the first outcome.
      const paypalRequestId = options.paypalRequestId ?? crypto.randomUUID();
      const header = {
        "PayPal-Request-Id": paypalRequestId,
        ...(options.prefer === undefined ? {} : { Prefer: options.prefer }),
        ...(options.authAssertion === undefined ? {} : { "PayPal-Auth-Assertion": options.authAssertion }),
      };
      return call(options, {
        check() {
          checkCallHeader("paypal", "paypalRequestId", options.paypalRequestId);
          checkCallHeader("paypal", "prefer", options.prefer);
          checkCallHeader("paypal", "authAssertion", options.authAssertion);
        },
        validate: validators && (() => validators.create(body)),
        send: (init) => api.POST("/v1/commerce/billing/customers", { body, params: { header }, ...init }),
        read: customer,
        readError: (answer, response, attempt) => readError(answer, response, attempt, text((body as { external_id?: unknown }).external_id)),
      });
    },
    get: (id, options = {}) => call(options, { check: () => checkId("paypal", "id", id), send: (init) => api.GET(item, { params: byId(id), ...init }), read: customer }),
    update: (id, body, options = {}) =>
      call(options, {
        check: () => checkId("paypal", "id", id),
        send: (init) => api.PUT(item, { body, params: byId(id), ...init }),
        read: customer,
        validate: validators && (() => validators.update(body)),
      }),
    delete: (id, options = {}) =>
      call(options, {
        check: () => checkId("paypal", "id", id),
        send: (init) => api.DELETE(item, { params: byId(id), ...init }),
        read: (_body, response) => ({ data: null, requestId: response.headers.get("paypal-debug-id") ?? undefined }),
        // The customer is gone either way: this call's earlier attempt most likely deleted it.
        recover: (failure, attempt) => (failure.status === 404 && attempt.failures.some(isAmbiguous) ? { data: null, requestId: undefined } : undefined),
      }),
    list: (query = {}, options = {}) =>
      call(options, { send: (init) => api.GET(collection, { params: { query }, ...init }), read: page(query), validate: validators && (() => validators.listQuery(query)) }),
    iterate: (query = {}, options = {}) => iteratePages("paypal", customers.list, query, options),
  };

  return {
    api,
    async getAccessToken({ signal } = {}) {
      if (!tokens) return { error: new ConfigurationError("paypal", "auth", "is not set: this client sends no token (a backend adds it)") };
      try {
        return { data: await tokens.get(signal ?? null) };
      } catch (cause) {
        const error =
          cause instanceof PaymentsError
            ? cause
            : signal?.aborted
              ? new AbortedError("paypal", signal.reason)
              : new PayPalAuthError("access_token_unavailable", "the token could not be got", { cause });
        return { error: redact(error as PayPalError, secrets.scrub) };
      }
    },
    customers,
  };
}

/** Reads a customer answer (create, get, update); the request id is the `Paypal-Debug-Id` header. */
function customer(body: unknown, response: Response): Success<PayPalCustomer> {
  if (!isRecord(body) || typeof body.id !== "string") throw new TypeError("no id");
  return { data: body as PayPalCustomer, requestId: response.headers.get("paypal-debug-id") ?? undefined };
}

/**
 * Reads a page of `GET /v1/commerce/billing/customers`. The next page is `metadata.next_page` when
 * the answer gives it; without it, a full page suggests another (and an empty one ends the walk).
 */
const page =
  (query: PayPalCustomerListQuery) =>
  (body: unknown, response: Response): Success<PayPalCustomerPage> => {
    if (!isRecord(body) || !Array.isArray(body.customers)) throw new TypeError("no customers[]");
    const metadata = isRecord(body.metadata) ? (body.metadata as PayPalListMetadata) : undefined;
    const current = query.page ?? 1;
    const following =
      metadata && "next_page" in metadata
        ? typeof metadata.next_page === "number" && metadata.next_page > current
          ? metadata.next_page
          : undefined
        : body.customers.length > 0 && body.customers.length >= (query.per_page ?? defaultPerPage)
          ? current + 1
          : undefined;
    return {
      data: { customers: body.customers as PayPalCustomer[], metadata, next: following === undefined ? undefined : { ...query, page: following } },
      requestId: response.headers.get("paypal-debug-id") ?? undefined,
    };
  };

/** The page size the spec declares as PayPal's default. */
const defaultPerPage = 10;

/**
 * PayPal's error bodies: its envelope (a 409 on `external_id` becomes a PayPalCustomerExistsError,
 * flagged when an earlier attempt of the call may have created it), or the OAuth-style body of a
 * 401 for an unknown or expired token (after the one renewal and replay).
 */
function readError(body: unknown, response: Response, attempt: Attempt, externalId?: string): PayPalApiError | PayPalAuthError | undefined {
  const error = PayPalApiError.fromBody(body, response);
  if (error?.status === 409 && PayPalCustomerExistsError.matches(error.body)) {
    const named = error.body.details?.find((d) => d.field === "/external_id")?.value;
    return new PayPalCustomerExistsError(error.body, response, externalId ?? named, attempt.failures.some(isAmbiguous));
  }
  return error ?? PayPalAuthError.fromBody(body, response);
}

/** The three ways to authenticate, checked: a mistake is a ConfigurationError naming the field. */
type CheckedAuth =
  | { kind: "client"; clientId: string; clientSecret: string }
  | { kind: "static"; token: string }
  | { kind: "function"; token: () => string | Promise<string> };

function checkAuth(auth: unknown): CheckedAuth | undefined {
  if (auth === undefined) return undefined;
  if (!isRecord(auth)) throw new ConfigurationError("paypal", "auth", "must be { clientId, clientSecret } or { accessToken }");
  const hasClient = "clientId" in auth || "clientSecret" in auth;
  if (hasClient && "accessToken" in auth) throw new ConfigurationError("paypal", "auth", "give clientId and clientSecret, or accessToken, not both");
  if (hasClient) {
    return {
      kind: "client",
      clientId: checkCredential("paypal", "auth.clientId", auth.clientId),
      clientSecret: checkCredential("paypal", "auth.clientSecret", auth.clientSecret),
    };
  }
  const { accessToken } = auth;
  if (typeof accessToken === "function") return { kind: "function", token: accessToken as () => string | Promise<string> };
  if (accessToken !== undefined) return { kind: "static", token: checkCredential("paypal", "auth.accessToken", accessToken) };
  throw new ConfigurationError("paypal", "auth", "must be { clientId, clientSecret } or { accessToken }");
}

interface TokenSource {
  /** The token to send now. Rejects with a PaymentsError, or with the signal's reason when it aborts. */
  get(signal: AbortSignal | null): Promise<string>;
  /** The token to send now when it is at hand without waiting (a static one, or a fresh cached one). */
  ready?(): string | undefined;
  /** Whether a 401 can be answered with a new token. */
  refreshable: boolean;
  /** Drops `stale` (if it is still the current token) and gets a new one. */
  refresh(stale: string, signal: AbortSignal | null): Promise<string>;
}

/** Bearer credentials from a token source; a 401 gets one new token (and the transport one replay). */
function bearer(tokens: TokenSource): Credentials {
  /** The headers this client put a token in (not a caller's own Authorization), and that token. */
  const sentTokens = new WeakMap<Headers, string>();
  const authorize = (headers: Headers, token: string) => {
    headers.set("Authorization", `Bearer ${token}`);
    sentTokens.set(headers, token);
  };
  return {
    apply(headers, signal) {
      if (headers.has("Authorization")) return;
      // Most calls find the token at hand: no promise, no wait.
      const ready = tokens.ready?.();
      if (ready !== undefined) return authorize(headers, ready);
      return tokens.get(signal).then((token) => authorize(headers, token));
    },
    async renew(headers, signal) {
      const stale = sentTokens.get(headers);
      if (stale === undefined || !tokens.refreshable) return false;
      authorize(headers, await tokens.refresh(stale, signal));
      return true;
    },
  };
}

/** A token is sent as a header: it must be a non-empty header value. */
function usableToken(token: unknown): token is string {
  return typeof token === "string" && /^[\x21-\x7e]+$/.test(token);
}

/** How long a token exchange may take when the client's timeout is off: it is shared, so it must end. */
const tokenExchangeTimeoutMs = 30_000;

function tokenSource(
  auth: CheckedAuth | undefined,
  policy: CallPolicy,
  target: { baseUrl: string; fetch: PayPalClientOptions["fetch"]; headers: PayPalClientOptions["headers"] },
  remember: (secret: string | undefined) => void,
): TokenSource | undefined {
  if (!auth) return undefined;
  if (auth.kind === "static") {
    remember(auth.token);
    const token = Promise.resolve(auth.token);
    return { get: () => token, ready: () => auth.token, refreshable: false, refresh: () => token };
  }
  if (auth.kind === "function") {
    // The caller's function is asked again on a 401: it is the caller's cache to refresh.
    const get = (signal: AbortSignal | null) => {
      const asked = (async () => {
        let token: unknown;
        try {
          token = await auth.token();
        } catch (cause) {
          throw new PayPalAuthError("access_token_unavailable", "auth.accessToken() failed", { cause });
        }
        if (!usableToken(token)) throw new PayPalAuthError("invalid_access_token", "auth.accessToken() returned no usable token (empty, not a string, or with spaces)");
        remember(token);
        return token;
      })();
      return untilAborted(asked, signal);
    };
    return { get, refreshable: true, refresh: (_stale, signal) => get(signal) };
  }

  remember(auth.clientSecret);
  const basic = base64(`${auth.clientId}:${auth.clientSecret}`);
  remember(basic);
  // The exchange has its own transport: middleware added with `api.use()` never sees the Basic
  // credentials or the token in the answer. It has its own bounded time too, as many calls may wait on it.
  const exchanger: Caller = {
    ...policy,
    timeoutMs: policy.timeoutMs > 0 ? policy.timeoutMs : tokenExchangeTimeoutMs,
    transport: createTransport<paths>({
      provider: "paypal",
      ...target,
      maxResponseBytes: policy.maxResponseBytes,
      credentials: { apply: (headers) => headers.set("Authorization", `Basic ${basic}`) },
    }),
  };
  const token = exchanger.transport.api as Client<paths>;
  let cached: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const exchange = async (): Promise<string> => {
    const result = await perform(exchanger, { maxRetries: 0 }, {
      send: (init) =>
        token.POST("/v1/oauth2/token", {
          body: { grant_type: "client_credentials" },
          bodySerializer: (form) => new URLSearchParams(form).toString(),
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          ...init,
        }),
      read(answer, response): Success<PayPalAccessToken> {
        if (!isRecord(answer)) throw new TypeError("not an object");
        if (!usableToken(answer.access_token)) {
          throw new PayPalAuthError("invalid_token_response", "the token endpoint answered without a usable access_token", { response });
        }
        // PayPal always sends expires_in, but its SDK types it optional: without it, keep the token until a 401.
        const lifetime = answer.expires_in;
        if (lifetime !== undefined && !(typeof lifetime === "number" && lifetime >= 0 && Number.isFinite(lifetime))) throw new TypeError("expires_in is not a number of seconds");
        return { data: answer as PayPalAccessToken, requestId: undefined };
      },
      readError: (body, response) => PayPalAuthError.fromBody(body, response) ?? PayPalApiError.fromBody(body, response),
    });
    if (result.error) throw result.error;
    const { access_token, expires_in } = result.data;
    remember(access_token);
    const lifetimeMs = expires_in === undefined ? Number.POSITIVE_INFINITY : expires_in * 1000;
    cached = { token: access_token, refreshAt: Date.now() + lifetimeMs - Math.min(expiryMarginMs, lifetimeMs / 10) };
    return access_token;
  };

  const get = (signal: AbortSignal | null): Promise<string> => {
    if (cached && Date.now() < cached.refreshAt) return Promise.resolve(cached.token);
    if (signal?.aborted) return Promise.reject(signal.reason);
    // Concurrent callers share one token request; each still stops waiting when its own signal aborts.
    if (!pending) {
      pending = exchange().finally(() => (pending = undefined));
      // Waiters get the failure through untilAborted; the shared promise itself must never be left unhandled.
      pending.catch(() => {});
    }
    return untilAborted(pending, signal);
  };
  return {
    get,
    ready: () => (cached && Date.now() < cached.refreshAt ? cached.token : undefined),
    refreshable: true,
    refresh(stale, signal) {
      if (cached?.token === stale) cached = undefined;
      return get(signal);
    },
  };
}

/** Refresh this long before PayPal's `expires_in` runs out (at most a tenth of the token's life). */
const expiryMarginMs = 60_000;

/**
 * `promise`, or the signal's reason as soon as it aborts. `promise` always gets a handler, so a
 * failure after the waiter left is not an unhandled rejection.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | null): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}
