// One error model for both providers. Every failure a call can meet is a `PaymentsError` with a
// `kind`; provider-specific API errors (PaddleApiError, PayPalApiError) extend `ApiError`.
// No error ever holds a request, its headers or any credential: only the response side.

export type Provider = "paddle" | "paypal";

export type ErrorKind = "api" | "auth" | "connection" | "unreadable" | "configuration";

/** One field the provider (or the mock) rejected, with the rule it broke. */
export interface FieldError {
  /** Dotted path of the field, e.g. `email` or `address.country`. */
  field: string;
  message: string;
  /** The provider's machine-readable issue, where it gives one (PayPal: `INVALID_STRING_LENGTH`). */
  issue?: string;
}

export abstract class PaymentsError extends Error {
  abstract readonly kind: ErrorKind;
  readonly provider: Provider;

  constructor(provider: Provider, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.provider = provider;
  }

  override get name(): string {
    return this.constructor.name;
  }

  /** What `JSON.stringify` shows: enough to debug, nothing secret, no raw response. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, kind: this.kind, provider: this.provider, message: this.message };
  }
}

export interface ApiErrorInit<Body> {
  status: number;
  code: string;
  message: string;
  fieldErrors?: FieldError[];
  requestId?: string | undefined;
  body: Body;
  response: Response;
}

/** The provider answered with an error status. `body` is typed from the provider's spec. */
export class ApiError<Body = unknown> extends PaymentsError {
  readonly kind = "api" as const;
  /** HTTP status. */
  readonly status: number;
  /** Paddle `error.code`, PayPal `name` (e.g. `INVALID_REQUEST`). */
  readonly code: string;
  readonly fieldErrors: FieldError[];
  /** Paddle `meta.request_id`, PayPal `debug_id`: quote it to the provider's support. */
  readonly requestId: string | undefined;
  readonly body: Body;
  /** The raw response, for headers and anything else the spec does not model. Not serialised. */
  declare readonly response: Response;

  constructor(provider: Provider, init: ApiErrorInit<Body>) {
    super(provider, `${provider} ${init.status} ${init.code}: ${init.message}`);
    this.status = init.status;
    this.code = init.code;
    this.fieldErrors = init.fieldErrors ?? [];
    this.requestId = init.requestId;
    this.body = init.body;
    // Non-enumerable: a Response is large and not meant for logs.
    Object.defineProperty(this, "response", { value: init.response, enumerable: false });
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      code: this.code,
      fieldErrors: this.fieldErrors,
      requestId: this.requestId,
      body: this.body,
    };
  }
}

/** The request never got an HTTP answer: DNS, refused or reset connection, TLS, CORS. */
export class ConnectionError extends PaymentsError {
  readonly kind = "connection" as const;
  constructor(provider: Provider, cause: unknown) {
    super(provider, `${provider}: could not reach the API (${describeCause(cause)})`, { cause });
  }
}

/** An answer came back but its body could not be read as the spec says (HTML from a proxy, cut-off JSON). */
export class UnreadableResponseError extends PaymentsError {
  readonly kind = "unreadable" as const;
  readonly status: number;
  declare readonly response: Response;
  constructor(provider: Provider, response: Response, cause: unknown) {
    super(provider, `${provider}: HTTP ${response.status} with a body that is not the expected JSON`, { cause });
    this.status = response.status;
    Object.defineProperty(this, "response", { value: response, enumerable: false });
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status };
  }
}

/** The client was set up wrongly (thrown by the constructor, before any request). */
export class ConfigurationError extends PaymentsError {
  readonly kind = "configuration" as const;
  /** The option at fault, e.g. `baseUrl`. */
  readonly option: string;
  constructor(provider: Provider, option: string, message: string) {
    super(provider, `${provider}: ${option}: ${message}`);
    this.option = option;
  }
}

export function isPaymentsError(value: unknown): value is PaymentsError {
  return value instanceof PaymentsError;
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

export function isConnectionError(value: unknown): value is ConnectionError {
  return value instanceof ConnectionError;
}

export function isUnreadableResponseError(value: unknown): value is UnreadableResponseError {
  return value instanceof UnreadableResponseError;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    // Node's fetch says only "fetch failed"; what failed is in its cause (ECONNREFUSED, bad port, …).
    const inner = cause.cause as { code?: unknown; message?: unknown } | undefined;
    const detail = typeof inner?.code === "string" ? inner.code : typeof inner?.message === "string" ? inner.message : undefined;
    return detail ? `${cause.message}: ${detail}` : cause.message;
  }
  return String(cause);
}
