// One error model for both providers. Every failure a call can meet is a `PaymentsError` with a
// `kind`; provider-specific API errors (PaddleApiError, PayPalApiError) extend `ApiError`.
// No error holds a request, its headers or a credential: messages and causes are scrubbed of the
// client's secrets before they are stored, and `toJSON` shows only what is safe to log.

export type Provider = "paddle" | "paypal";

export type ErrorKind = "api" | "auth" | "connection" | "timeout" | "aborted" | "unreadable" | "configuration";

/** One field the provider (or the mock) rejected, with the rule it broke. */
export interface FieldError {
  /** Dotted path of the field, e.g. `email` or `address.country`. */
  field: string;
  message: string;
  /** The provider's machine-readable issue, where it gives one (PayPal: `INVALID_STRING_LENGTH`). */
  issue?: string;
}

/** Removes a client's secrets from text; the identity function when there are none. */
export type Scrub = (text: string) => string;
const keep: Scrub = (text) => text;

export abstract class PaymentsError extends Error {
  abstract readonly kind: ErrorKind;
  readonly provider: Provider;

  constructor(provider: Provider, message: string, cause?: unknown, scrub: Scrub = keep) {
    super(scrub(message), cause === undefined ? undefined : { cause: safeCause(cause, scrub) });
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
  code: string;
  message: string;
  fieldErrors?: FieldError[];
  requestId?: string | undefined;
  body: Body;
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
  /** Seconds the provider asked to wait (`Retry-After`, seconds or HTTP date), if it did. */
  readonly retryAfter: number | undefined;
  readonly body: Body;
  /** The raw response, for headers and anything else the spec does not model. Not serialised. */
  declare readonly response: Response;

  constructor(provider: Provider, response: Response, init: ApiErrorInit<Body>) {
    super(provider, `${provider} ${response.status} ${init.code}: ${init.message}`);
    this.status = response.status;
    this.code = init.code;
    this.fieldErrors = init.fieldErrors ?? [];
    this.requestId = init.requestId;
    this.retryAfter = parseRetryAfter(response.headers.get("retry-after"));
    this.body = init.body;
    Object.defineProperty(this, "response", { value: response, enumerable: false });
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      code: this.code,
      fieldErrors: this.fieldErrors,
      requestId: this.requestId,
      retryAfter: this.retryAfter,
      body: this.body,
    };
  }
}

/** The request got no HTTP answer: refused or reset connection, DNS, TLS, CORS. */
export class ConnectionError extends PaymentsError {
  readonly kind = "connection" as const;
  constructor(provider: Provider, cause: unknown, scrub?: Scrub) {
    super(provider, `${provider}: could not reach the API (${describeCause(cause)})`, cause, scrub);
  }
  /** True when the request may have reached the provider before the connection failed. */
  get maybeDelivered(): boolean {
    return !/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|bad port|invalid header/i.test(this.message);
  }
}

/** No answer within the per-attempt timeout (after every retry). */
export class TimeoutError extends PaymentsError {
  readonly kind = "timeout" as const;
  readonly timeoutMs: number;
  constructor(provider: Provider, timeoutMs: number) {
    super(provider, `${provider}: no answer within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs };
  }
}

/** The caller's AbortSignal cancelled the call (during a request or a wait between retries). */
export class AbortedError extends PaymentsError {
  readonly kind = "aborted" as const;
  constructor(provider: Provider, reason: unknown, scrub?: Scrub) {
    super(provider, `${provider}: cancelled by the caller`, reason, scrub);
  }
}

/** An answer came back but its body is not what the spec says (HTML from a proxy, cut-off JSON). */
export class UnreadableResponseError extends PaymentsError {
  readonly kind = "unreadable" as const;
  readonly status: number;
  declare readonly response: Response;
  constructor(provider: Provider, response: Response, reason: string) {
    // The body itself is left out: it may be a truncated token response.
    super(provider, `${provider}: HTTP ${response.status} with ${reason}`);
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
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), option: this.option };
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

export function isTimeoutError(value: unknown): value is TimeoutError {
  return value instanceof TimeoutError;
}

export function isAbortedError(value: unknown): value is AbortedError {
  return value instanceof AbortedError;
}

export function isUnreadableResponseError(value: unknown): value is UnreadableResponseError {
  return value instanceof UnreadableResponseError;
}

/** `Retry-After` as seconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
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

/** A copy of a cause that keeps its name, message and code, scrubbed, and nothing else it may carry. */
function safeCause(cause: unknown, scrub: Scrub): Error {
  const error = cause instanceof Error ? cause : new Error(String(cause));
  const copy = new Error(scrub(error.message));
  copy.name = error.name;
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
  if (typeof code === "string") Object.assign(copy, { code });
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}
