// One error model for both providers. Every failure a call can meet is a `PaymentsError` with a
// `kind`; provider-specific API errors (PaddleApiError, PayPalApiError) extend `ApiError`.
// No error holds a request, its headers or a credential: messages and causes are scrubbed of the
// client's secrets before they are stored, and `toJSON` shows only what is safe to log.
// (Written for size: this ships to browsers. Names are explicit strings, as minifiers rename classes.)

export type Provider = "paddle" | "paypal";

export type ErrorKind = "api" | "auth" | "validation" | "connection" | "timeout" | "aborted" | "unreadable" | "redirect" | "configuration";

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

/**
 * The raw responses errors were made from. Kept outside the errors (a getter reads them), so that
 * neither `JSON.stringify` nor `util.inspect(error, { showHidden: true })` prints a response's
 * headers, which a hostile server may have filled with an echoed credential.
 */
const responses = new WeakMap<object, Response>();

export abstract class PaymentsError extends Error {
  declare readonly kind: ErrorKind;
  declare readonly provider: Provider;

  /** `fields` become the error's own (enumerable, serialised) properties; `response` is kept out of them. */
  constructor(name: string, kind: ErrorKind, provider: Provider, message: string, fields?: object, cause?: unknown, scrub: Scrub = (t) => t) {
    super(scrub(message), cause === undefined ? undefined : { cause: safeCause(cause, scrub) });
    this.name = name;
    const { response, ...own } = (fields ?? {}) as { response?: Response };
    Object.assign(this, { kind, provider }, own);
    if (response) responses.set(this, response);
  }

  /** The raw response this error was read from, if any: for headers the spec does not model. Not serialised. */
  get response(): Response | undefined {
    return responses.get(this);
  }

  /** What `JSON.stringify` shows: the name, message and fields; no raw response, no cause, nothing secret. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...(this as object) };
  }
}

/**
 * Removes the client's secrets from everything an error carries: its message and stack, its cause,
 * and every string in its own fields (a provider's error body included, however deep). Every
 * error a call returns passes through here, so a server that echoes a credential cannot leak it.
 */
export function redact<E extends PaymentsError>(error: E, scrub: Scrub): E {
  const writable = error as { -readonly [K in keyof E]: E[K] } & { message: string; stack?: string; cause?: unknown };
  writable.message = scrub(error.message);
  if (error.stack !== undefined) writable.stack = scrub(error.stack);
  if (error.cause !== undefined) writable.cause = safeCause(error.cause, scrub);
  for (const key of Object.keys(error)) (writable as Record<string, unknown>)[key] = scrubDeep((error as Record<string, unknown>)[key], scrub);
  return error;
}

function scrubDeep(value: unknown, scrub: Scrub, depth = 0): unknown {
  if (typeof value === "string") return scrub(value);
  if (typeof value !== "object" || value === null || depth > 64) return value;
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, scrub, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[scrub(key)] = scrubDeep(item, scrub, depth + 1);
  return copy;
}

/** The provider answered with an error status. `body` is typed from the provider's spec. */
export class ApiError<Body = unknown> extends PaymentsError {
  declare readonly kind: "api";
  /** HTTP status. */
  declare readonly status: number;
  /** Paddle `error.code`, PayPal `name` (e.g. `INVALID_REQUEST`). */
  declare readonly code: string;
  declare readonly fieldErrors: FieldError[];
  /** Paddle `meta.request_id`, PayPal `debug_id`: quote it to the provider's support. */
  declare readonly requestId: string | undefined;
  /** Seconds the provider asked to wait (`Retry-After`, seconds or HTTP date), if it did. */
  declare readonly retryAfter: number | undefined;
  declare readonly body: Body;
  /** The raw response, for headers and anything else the spec does not model. Not serialised. */
  override get response(): Response {
    return super.response!;
  }

  constructor(
    name: string,
    provider: Provider,
    response: Response,
    init: { code: string; message: string; fieldErrors: FieldError[]; requestId: string | undefined; body: Body },
  ) {
    super(name, "api", provider, `${provider} ${response.status} ${init.code}: ${init.message}`, {
      status: response.status,
      ...init,
      retryAfter: parseRetryAfter(response.headers.get("retry-after")),
      response,
    });
  }
}

/**
 * The body breaks the spec's rules, checked before sending (nothing was sent). `fieldErrors` name
 * each field and, in `issue`, the rule it broke: the verdict the mock (and the API) would give.
 */
export class ValidationError extends PaymentsError {
  declare readonly kind: "validation";
  declare readonly fieldErrors: FieldError[];
  constructor(provider: Provider, fieldErrors: FieldError[]) {
    const summary = fieldErrors.map((f) => `${f.field || "(body)"}: ${f.message}`).join("; ");
    super("ValidationError", "validation", provider, `${provider}: invalid request body (${summary})`, { fieldErrors });
  }
}

/** The request got no HTTP answer: refused or reset connection, DNS, TLS, CORS. */
export class ConnectionError extends PaymentsError {
  declare readonly kind: "connection";
  /** False when the request certainly never left (refused, unresolvable); true when it may have reached the provider. */
  declare readonly maybeDelivered: boolean;
  constructor(provider: Provider, cause: unknown, scrub?: Scrub) {
    const code = errorCode(cause);
    super("ConnectionError", "connection", provider, `${provider}: could not reach the API (${describe(cause)})`, {
      maybeDelivered: !(code && neverSent.has(code)),
    }, cause, scrub);
  }
}

/** Connection failures that happen before a byte of the request is sent. */
const neverSent = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "ERR_INVALID_URL"]);

/** No answer within the per-attempt timeout (after every retry). */
export class TimeoutError extends PaymentsError {
  declare readonly kind: "timeout";
  declare readonly timeoutMs: number;
  constructor(provider: Provider, timeoutMs: number) {
    super("TimeoutError", "timeout", provider, `${provider}: no answer within ${timeoutMs} ms`, { timeoutMs });
  }
}

/** The caller's AbortSignal cancelled the call (during a request or a wait between retries). */
export class AbortedError extends PaymentsError {
  declare readonly kind: "aborted";
  constructor(provider: Provider, reason: unknown, scrub?: Scrub) {
    super("AbortedError", "aborted", provider, `${provider}: cancelled by the caller`, undefined, reason, scrub);
  }
}

/**
 * The server answered with a redirect (3xx). An API client does not follow one: a redirected POST
 * may become a GET that reports another server's data as a success, or replay the body and
 * headers to another origin. Nothing was re-sent. `location` is the `Location` header, if readable
 * (a browser hides it: `status` is then 0).
 */
export class RedirectError extends PaymentsError {
  declare readonly kind: "redirect";
  declare readonly status: number;
  declare readonly location: string | undefined;
  constructor(provider: Provider, response: Response) {
    const location = response.headers.get("location") ?? undefined;
    const status = response.type === "opaqueredirect" ? 0 : response.status;
    super(
      "RedirectError",
      "redirect",
      provider,
      `${provider}: HTTP ${status || "3xx"} redirect${location ? ` to ${location}` : ""}, not followed (check baseUrl)`,
      { status, location, response },
    );
  }
}

/** An answer came back but its body is not what the spec says (HTML from a proxy, cut-off JSON). */
export class UnreadableResponseError extends PaymentsError {
  declare readonly kind: "unreadable";
  declare readonly status: number;
  override get response(): Response {
    return super.response!;
  }
  /** `what` says what was wrong with the body; the body itself is left out (it may be a cut-off token). */
  constructor(provider: Provider, response: Response, what: string) {
    super("UnreadableResponseError", "unreadable", provider, `${provider}: HTTP ${response.status} with ${what}`, { status: response.status, response });
  }
}

/** The client was set up wrongly (thrown by the constructor, before any request). */
export class ConfigurationError extends PaymentsError {
  declare readonly kind: "configuration";
  /** The option at fault, e.g. `baseUrl`. */
  declare readonly option: string;
  constructor(provider: Provider, option: string, message: string) {
    super("ConfigurationError", "configuration", provider, `${provider}: ${option}: ${message}`, { option });
  }
}

export const isPaymentsError = (value: unknown): value is PaymentsError => value instanceof PaymentsError;
export const isApiError = (value: unknown): value is ApiError => value instanceof ApiError;
export const isValidationError = (value: unknown): value is ValidationError => value instanceof ValidationError;
export const isConnectionError = (value: unknown): value is ConnectionError => value instanceof ConnectionError;
export const isTimeoutError = (value: unknown): value is TimeoutError => value instanceof TimeoutError;
export const isAbortedError = (value: unknown): value is AbortedError => value instanceof AbortedError;
export const isUnreadableResponseError = (value: unknown): value is UnreadableResponseError => value instanceof UnreadableResponseError;
export const isRedirectError = (value: unknown): value is RedirectError => value instanceof RedirectError;
export const isConfigurationError = (value: unknown): value is ConfigurationError => value instanceof ConfigurationError;

/**
 * An error's field errors grouped by field, for a form: `{ email: ["…", "…"] }`, every message of
 * a field in the order given. An error about the body as a whole is under `""`. `{}` for anything
 * that names no field (a connection error, `undefined`). The object has no prototype, so a field
 * named `__proto__` or `constructor` is a field like any other.
 */
export function messagesByField(error: unknown): Record<string, string[]> {
  const byField: Record<string, string[]> = Object.create(null);
  const list: unknown = error instanceof PaymentsError ? (error as { fieldErrors?: unknown }).fieldErrors : undefined;
  if (Array.isArray(list)) for (const { field, message } of list as FieldError[]) (byField[field] ??= []).push(message);
  return byField;
}

/** One message per field (the first given): what a form shows next to each field. See `messagesByField`. */
export function firstMessageByField(error: unknown): Record<string, string> {
  const first: Record<string, string> = Object.create(null);
  for (const [field, messages] of Object.entries(messagesByField(error))) first[field] = messages[0]!;
  return first;
}

/** `Retry-After` as seconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header?.trim()) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return +header;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** The system error code of a failure or of its cause (`ECONNREFUSED`, …). */
function errorCode(cause: unknown): string | undefined {
  const outer = cause as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = outer?.code ?? outer?.cause?.code;
  return typeof code === "string" ? code : undefined;
}

/** Node's fetch says only "fetch failed"; what failed is in its cause (ECONNREFUSED, bad port, …). */
function describe(cause: unknown): string {
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const detail = inner?.code ?? inner?.message;
  return `${(cause as Error)?.message ?? cause}${typeof detail === "string" ? `: ${detail}` : ""}`;
}

/** A copy of a cause that keeps its name, message and code, scrubbed, and nothing else it may carry. */
function safeCause(cause: unknown, scrub: Scrub): Error {
  const original = cause as { name?: string; message?: string; code?: unknown; cause?: { code?: unknown } };
  const copy = new Error(scrub(String(original?.message ?? cause)));
  copy.name = original?.name ?? "Error";
  copy.stack = `${copy.name}: ${copy.message}`;
  const code = original?.code ?? original?.cause?.code;
  return typeof code === "string" ? Object.assign(copy, { code }) : copy;
}
