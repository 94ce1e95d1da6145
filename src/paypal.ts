// PayPal client: `createPayPalClient({ environment, auth: { clientId, clientSecret } })` or `({ baseUrl })`.
import type { Client } from "openapi-fetch";
import type { components, operations, paths } from "../generated/paypal.js";
import { validateCreateCustomer } from "../generated/paypal.validators.js";
import {
  caller,
  isRecord,
  perform,
  refuseSecretInBrowser,
  resolveBaseUrl,
  secretScrubber,
  type CallOptions,
  type Caller,
  type ClientOptions,
  type Environment,
  type Result,
  type TransportError,
} from "./core.js";
import { ApiError, PaymentsError, type FieldError, type ValidationError } from "./errors.js";
import { createApiClient } from "./transport.js";
import { check } from "./validation.js";

/** Checks a `POST /v1/commerce/billing/customers` body with the spec's rules, as the mock does: undefined when valid. */
export const validatePayPalCustomerCreate = (body: unknown): ValidationError | undefined => check("paypal", validateCreateCustomer, body);

type CreateCustomer = operations["createCustomer"];
/** Body of `POST /v1/commerce/billing/customers`, from openapi/paypal.yaml. */
export type PayPalCustomerCreate = CreateCustomer["requestBody"]["content"]["application/json"];
/** The customer PayPal returns, from openapi/paypal.yaml. */
export type PayPalCustomer = CreateCustomer["responses"][201]["content"]["application/json"];
/** PayPal's error envelope, from openapi/paypal.yaml. */
export type PayPalErrorBody = components["schemas"]["Error"];
/** The token endpoint's OAuth error body, from openapi/paypal.yaml. */
export type PayPalOAuthErrorBody = components["schemas"]["OAuthError"];
export type PayPalAccessToken = components["schemas"]["AccessToken"];
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
  | { environment: Environment; auth: PayPalAuth; baseUrl?: never }
  | {
      /** A Prism mock, or your own backend that authenticates (then give no auth). */
      baseUrl: string;
      auth?: PayPalAuth;
      environment?: never;
    }
) &
  ClientOptions;

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
  constructor(body: PayPalErrorBody, response: Response) {
    super("PayPalApiError", "paypal", response, {
      code: body.name,
      message: body.message,
      fieldErrors: (body.details ?? []).flatMap(({ field, description, issue }): FieldError[] =>
        // `/address/country` → `address.country`
        field ? [{ field: field.replace(/^\//, "").replaceAll("/", "."), message: description ?? issue, issue }] : [],
      ),
      requestId: body.debug_id,
      body,
    });
  }

  /** Reads PayPal's error envelope; undefined when the body is something else. */
  static fromBody(body: unknown, response: Response): PayPalApiError | undefined {
    if (!isRecord(body) || typeof body.name !== "string" || typeof body.message !== "string") return undefined;
    return new PayPalApiError(body as PayPalErrorBody, response);
  }
}

/** The token endpoint refused the client credentials (`invalid_client`, …). No credential is kept in it. */
export class PayPalAuthError extends PaymentsError {
  declare readonly kind: "auth";
  declare readonly status: number;
  /** OAuth error code, e.g. `invalid_client`. */
  declare readonly code: string;
  declare readonly body: PayPalOAuthErrorBody;
  constructor(body: PayPalOAuthErrorBody, response: Response) {
    const { status } = response;
    super("PayPalAuthError", "auth", "paypal", `paypal: access token refused (${status} ${body.error}: ${body.error_description ?? ""})`, {
      status,
      code: body.error,
      body,
    });
  }
  static fromBody(body: unknown, response: Response): PayPalAuthError | undefined {
    if (!isRecord(body) || typeof body.error !== "string") return undefined;
    return new PayPalAuthError(body as PayPalOAuthErrorBody, response);
  }
}

export function isPayPalApiError(value: unknown): value is PayPalApiError {
  return value instanceof PayPalApiError;
}

export function isPayPalAuthError(value: unknown): value is PayPalAuthError {
  return value instanceof PayPalAuthError;
}

export type PayPalError = PayPalApiError | PayPalAuthError | TransportError;

export interface PayPalClient {
  customers: {
    /**
     * `POST /v1/commerce/billing/customers`. Resolves to the new customer or to a typed error; never
     * throws for HTTP or network failures. Every attempt of one call carries the same
     * `PayPal-Request-Id`, so retries (connection failures, timeouts, 408, 429, 5xx) never create
     * twice; a 401 refreshes the token once and replays.
     */
    create(body: PayPalCustomerCreate, options?: PayPalCreateOptions): Promise<Result<PayPalCustomer, PayPalError>>;
    /** Checks a create body with the spec's rules, sending nothing: undefined when valid. */
    validate(body: unknown): ValidationError | undefined;
  };
  /** Returns the access token the client would send now (fetching one if needed). */
  getAccessToken(): Promise<string | undefined>;
  /** The underlying openapi-fetch client; requests get the bearer token automatically. */
  api: Client<paths>;
}

export function createPayPalClient(options: PayPalClientOptions): PayPalClient {
  const { auth } = options;
  const baseUrl = resolveBaseUrl("paypal", options, paypalServers, "auth", auth);
  if (auth?.clientSecret !== undefined) refuseSecretInBrowser("paypal", "auth.clientSecret", options.dangerouslyAllowBrowser);
  const secrets = secretScrubber();
  const call = caller("paypal", options, secrets.scrub);
  // Tokens are fetched through the same client; `credentials` reaches `tokens` only when a request is sent.
  const tokens: TokenSource = tokenSource(() => api, call, auth, secrets.add);
  /** The headers this client put a token in (not a caller's own Authorization), and that token. */
  const sentTokens = new WeakMap<Headers, string>();
  const authorize = (headers: Headers, token: string | undefined) => {
    if (token) {
      headers.set("Authorization", `Bearer ${token}`);
      sentTokens.set(headers, token);
    }
    return !!token;
  };
  const api = createApiClient<paths>({
    baseUrl,
    fetch: options.fetch,
    headers: options.headers,
    // Every request but the token exchange gets the bearer token, after middleware, for raw `api`
    // calls too; a 401 gets one new token and one replay (a create keeps its PayPal-Request-Id).
    credentials: auth && {
      apply(headers, url, signal) {
        if (headers.has("Authorization")) return;
        if (url.endsWith("/v1/oauth2/token")) return void (tokens.basic && headers.set("Authorization", `Basic ${tokens.basic}`));
        return tokens.get(signal).then((token) => void authorize(headers, token));
      },
      async renew(headers, signal) {
        const stale = sentTokens.get(headers);
        return !!stale && tokens.refreshable && authorize(headers, await tokens.refresh(stale, signal));
      },
    },
  });

  return {
    api,
    getAccessToken: () => tokens.get(),
    customers: {
      validate: validatePayPalCustomerCreate,
      create(body, callOptions = {}) {
        // One id per logical create, the same on every retry: PayPal answers a repeat with the first outcome.
        const paypalRequestId = callOptions.paypalRequestId ?? crypto.randomUUID();
        const post = (signal: AbortSignal | null) =>
          api.POST("/v1/commerce/billing/customers", {
            body,
            params: {
              header: {
                "PayPal-Request-Id": paypalRequestId,
                ...(callOptions.prefer ? { Prefer: callOptions.prefer } : {}),
                ...(callOptions.authAssertion ? { "PayPal-Auth-Assertion": callOptions.authAssertion } : {}),
              },
            },
            parseAs: "text",
            signal,
            ...(callOptions.headers ? { headers: callOptions.headers } : {}),
          });
        return perform(call, callOptions, {
          validate: () => validatePayPalCustomerCreate(body),
          send: ({ signal }) => post(signal),
          onData(customer, response) {
            if (!isRecord(customer) || typeof customer.id !== "string") throw new TypeError("no id");
            return { data: customer as PayPalCustomer, requestId: response.headers.get("paypal-debug-id") ?? undefined };
          },
          onError: PayPalApiError.fromBody,
        });
      },
    },
  };
}

interface TokenSource {
  /** `base64(clientId:clientSecret)` for the token exchange, with client credentials. */
  basic?: string;
  /** The token to send now; undefined when the client has no auth. Rejects with a PaymentsError. */
  get(signal?: AbortSignal | null): Promise<string | undefined>;
  /** Whether a 401 can be answered with a new token. */
  refreshable: boolean;
  /** Drops `stale` (if it is still the current token) and gets a new one. */
  refresh(stale: string, signal?: AbortSignal | null): Promise<string | undefined>;
}

function tokenSource(
  client: () => Client<paths>,
  call: Caller,
  auth: PayPalAuth | undefined,
  remember: (secret: string | undefined) => void,
): TokenSource {
  if (!auth) return { get: async () => undefined, refreshable: false, refresh: async () => undefined };
  if (auth.accessToken !== undefined) {
    const { accessToken } = auth;
    if (typeof accessToken === "string") {
      remember(accessToken);
      return { get: async () => accessToken, refreshable: false, refresh: async () => accessToken };
    }
    // The caller's function is asked again on a 401: it is the caller's cache to refresh.
    const get = async () => {
      const token = await accessToken();
      remember(token);
      return token;
    };
    return { get, refreshable: true, refresh: get };
  }

  remember(auth.clientSecret);
  const basic = base64(`${auth.clientId}:${auth.clientSecret}`);
  remember(basic);
  let cached: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const exchange = async (): Promise<string> => {
    const result = await perform(call, { maxRetries: 0 }, {
      send: ({ signal }) =>
        client().POST("/v1/oauth2/token", {
          body: { grant_type: "client_credentials" },
          bodySerializer: (form) => new URLSearchParams(form).toString(),
          // Authorization: Basic is added by the client's credentials, after any middleware.
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          parseAs: "text",
          signal,
        }),
      onData(token) {
        if (!isRecord(token) || typeof token.access_token !== "string" || typeof token.expires_in !== "number") {
          throw new TypeError("no access_token");
        }
        return { data: token as PayPalAccessToken, requestId: undefined };
      },
      onError: (body, response) => PayPalAuthError.fromBody(body, response) ?? PayPalApiError.fromBody(body, response),
    });
    if (result.error) throw result.error;
    const { access_token, expires_in } = result.data;
    remember(access_token);
    const lifetimeMs = expires_in * 1000;
    cached = { token: access_token, refreshAt: Date.now() + lifetimeMs - Math.min(expiryMarginMs, lifetimeMs / 10) };
    return access_token;
  };

  const get = (signal?: AbortSignal | null): Promise<string> => {
    if (cached && Date.now() < cached.refreshAt) return Promise.resolve(cached.token);
    // Concurrent callers share one token request; each still stops waiting when its own signal aborts.
    pending ??= exchange().finally(() => (pending = undefined));
    return signal ? abortable(pending, signal) : pending;
  };
  return {
    basic,
    get,
    refreshable: true,
    refresh(stale, signal) {
      if (cached?.token === stale) cached = undefined;
      return get(signal);
    },
  };
}

/** Refresh this long before PayPal's `expires_in` runs out (at most a tenth of the token's life). */
const expiryMarginMs = 60_000;

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}
