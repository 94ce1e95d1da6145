// PayPal client: `createPayPalClient({ environment, auth: { clientId, clientSecret } })` or `({ baseUrl })`.
import createClient, { type Client } from "openapi-fetch";
import type { components, operations, paths } from "../generated/paypal.js";
import { isRecord, resolveBaseUrl, settle, type CallOptions, type Environment, type Fetch, type Result } from "./core.js";
import { ApiError, ConfigurationError, PaymentsError, type ConnectionError, type FieldError, type UnreadableResponseError } from "./errors.js";

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
) & {
  /** A `fetch` to use instead of the global one. */
  fetch?: Fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
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
  constructor(body: PayPalErrorBody, response: Response) {
    super("paypal", {
      status: response.status,
      code: body.name,
      message: body.message,
      fieldErrors: (body.details ?? []).flatMap((d): FieldError[] =>
        d.field ? [{ field: fieldFromPointer(d.field), message: d.description ?? d.issue, issue: d.issue }] : [],
      ),
      requestId: body.debug_id,
      body,
      response,
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
  readonly kind = "auth" as const;
  readonly status: number;
  /** OAuth error code, e.g. `invalid_client`. */
  readonly code: string;
  readonly body: PayPalOAuthErrorBody;
  constructor(body: PayPalOAuthErrorBody, response: Response) {
    super("paypal", `paypal: access token refused (${response.status} ${body.error}${body.error_description ? `: ${body.error_description}` : ""})`);
    this.status = response.status;
    this.code = body.error;
    this.body = body;
  }
  static fromBody(body: unknown, response: Response): PayPalAuthError | undefined {
    if (!isRecord(body) || typeof body.error !== "string") return undefined;
    return new PayPalAuthError(body as PayPalOAuthErrorBody, response);
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, code: this.code, body: this.body };
  }
}

export function isPayPalApiError(value: unknown): value is PayPalApiError {
  return value instanceof PayPalApiError;
}

export function isPayPalAuthError(value: unknown): value is PayPalAuthError {
  return value instanceof PayPalAuthError;
}

export type PayPalError = PayPalApiError | PayPalAuthError | ConnectionError | UnreadableResponseError;

export interface PayPalClient {
  customers: {
    /** `POST /v1/commerce/billing/customers`. Resolves to the new customer, or to a typed error; never throws for HTTP or network failures. */
    create(body: PayPalCustomerCreate, options?: PayPalCreateOptions): Promise<Result<PayPalCustomer, PayPalError>>;
  };
  /** Returns the access token the client would send now (fetching one if needed). */
  getAccessToken(): Promise<string | undefined>;
  /** The underlying openapi-fetch client; requests get the bearer token automatically. */
  api: Client<paths>;
}

/** Refresh this long before PayPal's `expires_in` runs out, so a token never expires in flight. */
const expiryMarginMs = 60_000;

export function createPayPalClient(options: PayPalClientOptions): PayPalClient {
  const baseUrl = resolveBaseUrl("paypal", options, paypalServers);
  if (options.environment !== undefined && !options.auth) {
    throw new ConfigurationError("paypal", "auth", `is required to call PayPal's ${options.environment} API directly`);
  }
  const api = createClient<paths>({
    baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const accessToken = tokenSource(api, options.auth);
  api.use({
    async onRequest({ request, schemaPath }) {
      if (schemaPath === "/v1/oauth2/token" || request.headers.has("Authorization")) return;
      const token = await accessToken();
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  });

  return {
    api,
    getAccessToken: accessToken,
    customers: {
      async create(body, callOptions = {}) {
        let token: string | undefined;
        try {
          token = await accessToken();
        } catch (error) {
          if (error instanceof PaymentsError) return { error: error as PayPalError };
          throw error; // the caller's own token function failed: not ours to hide
        }
        return settle(
          "paypal",
          () =>
            api.POST("/v1/commerce/billing/customers", {
              body,
              params: {
                header: {
                  "PayPal-Request-Id": callOptions.paypalRequestId ?? crypto.randomUUID(),
                  ...(callOptions.prefer ? { Prefer: callOptions.prefer } : {}),
                  ...(callOptions.authAssertion ? { "PayPal-Auth-Assertion": callOptions.authAssertion } : {}),
                },
              },
              parseAs: "text",
              headers: { ...callOptions.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
              ...(callOptions.signal ? { signal: callOptions.signal } : {}),
            }),
          (customer, response) => {
            if (!isRecord(customer) || typeof customer.id !== "string") throw new TypeError("2xx body has no id");
            return { data: customer as PayPalCustomer, requestId: response.headers.get("paypal-debug-id") ?? undefined };
          },
          PayPalApiError.fromBody,
        );
      },
    },
  };
}

/** Returns a function that yields the bearer token to send, or undefined when the client has no auth. */
function tokenSource(api: Client<paths>, auth: PayPalAuth | undefined): () => Promise<string | undefined> {
  if (!auth) return async () => undefined;
  if (auth.accessToken !== undefined) {
    const { accessToken } = auth;
    return typeof accessToken === "function" ? async () => accessToken() : async () => accessToken;
  }
  const basic = `Basic ${base64(`${auth.clientId}:${auth.clientSecret}`)}`;
  let cached: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const exchange = async (): Promise<string> => {
    const result = await settle(
      "paypal",
      () =>
        api.POST("/v1/oauth2/token", {
          body: { grant_type: "client_credentials" },
          bodySerializer: (form) => new URLSearchParams(form).toString(),
          headers: { Authorization: basic, "Content-Type": "application/x-www-form-urlencoded" },
          parseAs: "text",
        }),
      (token) => {
        if (!isRecord(token) || typeof token.access_token !== "string" || typeof token.expires_in !== "number") {
          throw new TypeError("token response has no access_token/expires_in");
        }
        return { data: token as PayPalAccessToken, requestId: undefined };
      },
      PayPalAuthError.fromBody,
    );
    if (result.error) throw result.error;
    const { access_token, expires_in } = result.data;
    cached = { token: access_token, refreshAt: Date.now() + Math.max(0, expires_in * 1000 - expiryMarginMs) };
    return access_token;
  };

  return () => {
    if (cached && Date.now() < cached.refreshAt) return Promise.resolve(cached.token);
    // Concurrent callers share one token request.
    pending ??= exchange().finally(() => (pending = undefined));
    return pending;
  };
}

/** `/address/country` → `address.country`. */
function fieldFromPointer(pointer: string): string {
  return pointer.replace(/^\//, "").replaceAll("/", ".");
}

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}
