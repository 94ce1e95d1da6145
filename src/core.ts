// Pieces both clients share: where requests go, the browser guard, secrets, and one call — with
// its timeout, retries and cancellation — settled into a Result.
import {
  AbortedError,
  ConfigurationError,
  ConnectionError,
  PaymentsError,
  TimeoutError,
  UnreadableResponseError,
  type ValidationError,
  type Provider,
  type Scrub,
} from "./errors.js";
import { defaultRetryPolicy, isRetryable, retryDelay, sleep, type RetryOptions, type RetryPolicy } from "./retry.js";

export type Environment = "sandbox" | "production";

import type { Fetch } from "./transport.js";
export type { Fetch } from "./transport.js";

/** Options both clients take besides where to send requests and how to authenticate. */
export interface ClientOptions {
  /** A `fetch` to use instead of the global one. */
  fetch?: Fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Time allowed for each attempt, answer body included. Default 30 s; 0 turns it off. */
  timeoutMs?: number;
  /** Retry policy for connection failures, timeouts, 408, 429 and 5xx. Default: 2 retries. */
  retry?: RetryOptions;
  /**
   * A secret (Paddle API key, PayPal client secret) in a browser is readable by anyone who opens
   * the page, so the clients refuse one there. Point `baseUrl` at your own backend instead; set
   * this only if the page is private to the key's owner.
   */
  dangerouslyAllowBrowser?: boolean;
  /**
   * Check each request body against the spec before sending (with validators generated from it);
   * a body that fails resolves to a ValidationError and nothing is sent. Default false.
   */
  validateRequests?: boolean;
}

export interface CallOptions {
  /** Extra headers for this call only. */
  headers?: Record<string, string>;
  /** Cancels the call, including any wait between retries. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout for this call (0: none). */
  timeoutMs?: number;
  /** Overrides the client's retry count for this call (0: a single attempt). */
  maxRetries?: number;
  /** Overrides the client's `validateRequests` for this call. */
  validate?: boolean;
}

/** What every call returns: the typed data, or one typed error. Never throws for an HTTP or network failure. */
export type Result<Data, Failure extends PaymentsError> =
  | {
      data: Data;
      error?: undefined;
      /** The provider's id for this request (Paddle `meta.request_id`, PayPal `Paypal-Debug-Id`). */
      requestId: string | undefined;
      response: Response;
    }
  | { data?: undefined; error: Failure; requestId?: undefined; response?: Response };

/** What a client makes of a success body: the data it returns, and the request id. */
export interface Success<Data> {
  data: Data;
  requestId: string | undefined;
}

/** The failures any call can end in, whatever the provider. */
export type TransportError = ValidationError | ConnectionError | TimeoutError | AbortedError | UnreadableResponseError;

/**
 * Resolves `environment` | `baseUrl` to a URL; there is no default, so nothing reaches production by
 * accident. A provider environment needs the credential (`credentialOption`); a baseUrl may do without.
 */
export function resolveBaseUrl(
  provider: Provider,
  target: { environment?: Environment | undefined; baseUrl?: string | undefined },
  servers: Record<Environment, string>,
  credentialOption: string,
  credential: unknown,
): string {
  const { environment, baseUrl } = target;
  if (environment !== undefined && baseUrl !== undefined) {
    throw new ConfigurationError(provider, "environment", "give environment or baseUrl, not both");
  }
  if (baseUrl !== undefined) return checkBaseUrl(provider, baseUrl);
  if (environment === "sandbox" || environment === "production") {
    if (!credential) throw new ConfigurationError(provider, credentialOption, `is required with environment "${environment}"`);
    return servers[environment];
  }
  throw new ConfigurationError(
    provider,
    "environment",
    `must be "sandbox" or "production" (or give a baseUrl); got ${environment === undefined ? "nothing" : JSON.stringify(environment)}`,
  );
}

/** HTTPS, plain HTTP on loopback only (a local mock), or a path on the page's own origin (`/api/paddle`). */
function checkBaseUrl(provider: Provider, baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, "");
  if (baseUrl.startsWith("/") && !baseUrl.startsWith("//")) return trimmed;
  if (!URL.canParse(baseUrl)) {
    throw new ConfigurationError(provider, "baseUrl", "must be an https URL, or a path such as /api");
  }
  const { protocol, hostname } = new URL(baseUrl);
  const loopback = hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
  if (protocol === "https:" || (protocol === "http:" && loopback)) return trimmed;
  throw new ConfigurationError(provider, "baseUrl", `must use https (plain http is allowed only on loopback); got ${protocol}//${hostname}`);
}

/** Throws if a secret is about to be held by a page in a browser, unless the caller opted in. */
export function refuseSecretInBrowser(provider: Provider, secretOption: string, allowed: boolean | undefined): void {
  const g = globalThis as { window?: { document?: unknown } };
  if (allowed || typeof g.window?.document === "undefined") return;
  throw new ConfigurationError(
    provider,
    secretOption,
    "a secret in a browser is readable by every visitor. Point baseUrl at your own backend, which adds it; " +
      "or set dangerouslyAllowBrowser: true for a page only its owner opens.",
  );
}

/** Collects a client's secrets so that no error message can carry one. */
export function secretScrubber(): { add(secret: string | undefined): void; scrub: Scrub } {
  const secrets = new Set<string>();
  return {
    add(secret) {
      if (secret && secret.length >= 4) secrets.add(secret);
    },
    scrub(text) {
      let out = text;
      for (const secret of secrets) out = out.replaceAll(secret, "[redacted]");
      return out;
    },
  };
}

/** How one client calls: its provider, timeout, retry policy, scrubber, and whether it validates bodies. */
export interface Caller {
  provider: Provider;
  timeoutMs: number;
  retry: RetryPolicy;
  scrub: Scrub;
  validate: boolean;
}

export function caller(provider: Provider, options: ClientOptions, scrub: Scrub): Caller {
  return {
    provider,
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: { ...defaultRetryPolicy, ...options.retry },
    scrub,
    validate: options.validateRequests ?? false,
  };
}

/** What an attempt is told: its signal (timeout + caller; none when both are off), its number, and how the earlier ones failed. */
export interface Attempt {
  signal: AbortSignal | null;
  number: number;
  failures: readonly PaymentsError[];
}

/** One openapi-fetch call, made with `parseAs: "text"` so that a cut-off body is ours to report. */
export interface FetchOutcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}

export interface Operation<Data, Failure extends PaymentsError> {
  /** Checks the body before anything is sent (run when validation is on). */
  validate?: () => ValidationError | undefined;
  send(attempt: Attempt): Promise<FetchOutcome>;
  /** Reads a parsed success body; throws if it is not the documented shape. */
  onData(body: unknown, response: Response): Success<Data>;
  /** Reads a parsed error body; undefined when it is not the provider's envelope. */
  onError(body: unknown, response: Response, attempt: Attempt): Failure | undefined;
}

/** Runs an operation with the caller's timeout and retry policy; resolves to a Result, never rejects for I/O. */
export async function perform<Data, Failure extends PaymentsError>(
  caller: Caller,
  options: CallOptions,
  operation: Operation<Data, Failure>,
): Promise<Result<Data, Failure | TransportError>> {
  if (operation.validate && (options.validate ?? caller.validate)) {
    const invalid = operation.validate();
    if (invalid) return { error: invalid };
  }
  const maxRetries = options.maxRetries ?? caller.retry.maxRetries;
  const failures: PaymentsError[] = [];
  for (let number = 1; ; number++) {
    const result = await attempt(caller, options, operation, { number, failures });
    if (!result.error || number > maxRetries || !isRetryable(result.error)) return result;
    failures.push(result.error);
    try {
      await sleep(retryDelay(number, result.error, caller.retry), options.signal);
    } catch (reason) {
      return { error: new AbortedError(caller.provider, reason, caller.scrub) };
    }
  }
}

async function attempt<Data, Failure extends PaymentsError>(
  { provider, timeoutMs: clientTimeoutMs, scrub }: Caller,
  options: CallOptions,
  operation: Operation<Data, Failure>,
  context: Omit<Attempt, "signal">,
): Promise<Result<Data, Failure | TransportError>> {
  const { signal: callerSignal } = options;
  if (callerSignal?.aborted) return { error: new AbortedError(provider, callerSignal.reason, scrub) };
  const timeoutMs = options.timeoutMs ?? clientTimeoutMs;
  // One controller and one timer per attempt (AbortSignal.timeout/any cost twice as much in Node).
  // timeoutMs 0 turns the timeout off: no signal at all then, unless the caller gave one, as Node's
  // fetch charges a few percent of a loopback round trip for each signal it is handed.
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let signal = callerSignal;
  let onCallerAbort: (() => void) | undefined;
  if (timeoutMs > 0) {
    const controller = new AbortController();
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    if (callerSignal) callerSignal.addEventListener("abort", (onCallerAbort = () => controller.abort(callerSignal.reason)));
    signal = controller.signal;
  }
  const current: Attempt = { ...context, signal: signal ?? null };

  let outcome: FetchOutcome;
  try {
    outcome = await operation.send(current);
  } catch (cause) {
    if (callerSignal?.aborted) return { error: new AbortedError(provider, callerSignal.reason, scrub) };
    if (timedOut) return { error: new TimeoutError(provider, timeoutMs) };
    if (cause instanceof PaymentsError) return { error: cause as Failure };
    return { error: new ConnectionError(provider, cause, scrub) };
  } finally {
    clearTimeout(timer);
    if (onCallerAbort) callerSignal!.removeEventListener("abort", onCallerAbort);
  }
  const { response } = outcome;
  if (response.ok) {
    let body: unknown;
    try {
      body = JSON.parse(String(outcome.data));
    } catch {
      return { error: new UnreadableResponseError(provider, response, "a body that is not complete JSON"), response };
    }
    try {
      return { ...operation.onData(body, response), response };
    } catch (cause) {
      return { error: new UnreadableResponseError(provider, response, `an undocumented body (${cause})`), response };
    }
  }
  // openapi-fetch has already parsed an error body that is JSON, and left any other as text.
  const failure = operation.onError(outcome.error, response, current);
  return {
    error:
      failure ??
      new UnreadableResponseError(
        provider,
        response,
        typeof outcome.error === "string" ? `a ${response.headers.get("content-type")} body, not the error JSON` : "an undocumented error body",
      ),
    response,
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
