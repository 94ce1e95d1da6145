// Pieces both clients share: where requests go, the browser guard, secrets, and one call — with
// its timeout, retries and cancellation — settled into a Result.
import {
  AbortedError,
  ConfigurationError,
  ConnectionError,
  PaymentsError,
  redact,
  TimeoutError,
  UnreadableResponseError,
  type RedirectError,
  ValidationError,
  type Provider,
  type Scrub,
} from "./errors.js";
import { checkHeaders, checkHeaderValue, checkNumber } from "./options.js";
import { defaultRetryPolicy, isRetryable, retryDelay, sleep, type RetryOptions, type RetryPolicy } from "./retry.js";
import { readBody, type AttemptState, type Fetch, type Transport } from "./transport.js";

export type { Fetch } from "./transport.js";

export type Environment = "sandbox" | "production";

/** Options both clients take besides where to send requests and how to authenticate. */
export interface ClientOptions {
  /** A `fetch` to use instead of the global one. */
  fetch?: Fetch | undefined;
  /** Headers sent with every request. */
  headers?: Record<string, string> | undefined;
  /** Time allowed for each attempt, answer body included, in ms. Default 30 s; 0 turns it off. At most 2^31 - 1. */
  timeoutMs?: number | undefined;
  /** Retry policy for connection failures, timeouts, 408, 429 and 5xx. Default: 2 retries. */
  retry?: RetryOptions | undefined;
  /** Longest answer body the client reads, in bytes; a longer one is an UnreadableResponseError. Default 8 MiB. */
  maxResponseBytes?: number | undefined;
  /**
   * A secret (Paddle API key, PayPal client secret) in a browser is readable by anyone who opens
   * the page, so the clients refuse one there. Point `baseUrl` at your own backend instead; set
   * this only if the page is private to the key's owner.
   */
  dangerouslyAllowBrowser?: boolean | undefined;
}

export interface CallOptions {
  /** Extra headers for this call only. */
  headers?: Record<string, string> | undefined;
  /** Cancels the call, including any wait between retries. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's per-attempt timeout for this call (0: none). */
  timeoutMs?: number | undefined;
  /** Overrides the client's retry count for this call (0: a single attempt). */
  maxRetries?: number | undefined;
  /**
   * Overrides the client's `validateRequests` for this call: false skips the check; true needs a
   * client created with the validators.
   */
  validate?: boolean | undefined;
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

/**
 * The type of `baseUrl` in options that give `environment`, and of `environment` in options that
 * give `baseUrl`. No real value has it: giving both is a compile error whose message is this rule
 * (a call that does so anyway throws a ConfigurationError naming both options).
 */
export type EnvironmentOrBaseUrl = "give environment or baseUrl, not both";

/** The failures any call can end in, whatever the provider. */
export type TransportError =
  | ValidationError
  | ConnectionError
  | TimeoutError
  | AbortedError
  | UnreadableResponseError
  | RedirectError
  | ConfigurationError;

/**
 * Resolves `environment` | `baseUrl` to a URL; there is no default, so nothing reaches production by
 * accident. A provider environment needs the credential (`credentialOption`); a baseUrl may do without.
 */
export function resolveBaseUrl(
  provider: Provider,
  target: { environment?: unknown; baseUrl?: unknown },
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
    if (credential === undefined) throw new ConfigurationError(provider, credentialOption, `is required with environment "${environment}"`);
    return servers[environment];
  }
  const given: unknown = environment;
  throw new ConfigurationError(
    provider,
    "environment",
    `must be "sandbox" or "production" (or give a baseUrl); got ${typeof given === "string" ? JSON.stringify(given.slice(0, 20)) : given === undefined ? "nothing" : `a ${typeof given}`}`,
  );
}

/** Stands for "this page's origin" when a path baseUrl is checked. */
const pageOrigin = "https://page.invalid";

/** HTTPS, plain HTTP on loopback only (a local mock), or a path on the page's own origin (`/api/paddle`). */
function checkBaseUrl(provider: Provider, baseUrl: unknown): string {
  const fail = (why: string) => new ConfigurationError(provider, "baseUrl", why);
  if (typeof baseUrl !== "string") throw fail(`must be a string; got a ${typeof baseUrl}`);
  // Browsers drop tabs and line breaks from URLs and read `\` as `/`: `/\evil.com` is another origin.
  if (/[\x00-\x20\x7f\\]/.test(baseUrl)) throw fail("must not hold spaces, control characters or backslashes");
  const trimmed = baseUrl.replace(/\/+$/, "");
  if (baseUrl.startsWith("/")) {
    const resolved = new URL(baseUrl, pageOrigin);
    if (resolved.origin !== pageOrigin) throw fail("a path must stay on the page's own origin (it starts with // or resolves elsewhere)");
    if (resolved.search || resolved.hash) throw fail("must not have a query or a fragment");
    return trimmed;
  }
  if (!URL.canParse(baseUrl)) throw fail("must be an https URL, or a path such as /api");
  const { protocol, hostname, username, password, search, hash } = new URL(baseUrl);
  // The password would be sent, and would end up in connection errors.
  if (username || password) throw fail("must not hold credentials (user:password@); give them as the client's credentials");
  if (search || hash) throw fail("must not have a query or a fragment");
  const loopback = hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
  if (protocol === "https:" || (protocol === "http:" && loopback)) return trimmed;
  throw fail(`must use https (plain http is allowed only on loopback); got ${protocol}//${hostname}`);
}

/**
 * Whether this code runs where a page's visitors can read it: a document (a page, or an iframe), or a
 * browser worker (dedicated, shared or service worker scopes have `importScripts`).
 */
function inBrowser(): boolean {
  const g = globalThis as { document?: unknown; window?: { document?: unknown }; importScripts?: unknown };
  return g.document !== undefined || g.window?.document !== undefined || typeof g.importScripts === "function";
}

/** Throws if a secret is about to be held by a page in a browser, unless the caller opted in. */
export function refuseSecretInBrowser(provider: Provider, secretOption: string, allowed: boolean | undefined): void {
  if (allowed === true || !inBrowser()) return;
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
      if (typeof secret === "string" && secret.length >= 4) secrets.add(secret);
    },
    scrub(text) {
      let out = text;
      for (const secret of secrets) if (out.includes(secret)) out = out.replaceAll(secret, "[redacted]");
      return out;
    },
  };
}

/** The default for `maxResponseBytes`: far above any customers answer, far below a process's memory. */
export const defaultMaxResponseBytes = 8 * 1024 * 1024;

/** How one client calls: its provider, timeout, retry policy, scrubber, body cap, and the validators it checks requests with. */
export interface CallPolicy {
  provider: Provider;
  timeoutMs: number;
  retry: RetryPolicy;
  scrub: Scrub;
  validators: RequestValidators | undefined;
  maxResponseBytes: number;
}

/** A client's call policy and the transport its calls go through. */
export interface Caller extends CallPolicy {
  transport: Transport<{}>;
}

/**
 * The checks `validateRequests` runs before a body or query is sent, one per operation that has
 * one. Each provider exports its set (`paddleRequestValidators`, `paypalRequestValidators`): a
 * value the user imports, not a switch, so that a bundle holds them only where validation is wanted.
 */
export interface RequestValidators {
  create(body: unknown): ValidationError | undefined;
  update(body: unknown): ValidationError | undefined;
  listQuery(query: unknown): ValidationError | undefined;
}

const requestValidatorMethods = ["create", "update", "listQuery"] as const satisfies readonly (keyof RequestValidators)[];

/** The export a provider's validators come from, as option errors name it. */
const validatorsExport = (provider: Provider) => `${provider}RequestValidators`;

/** The request validators a client was given (`validateRequests`), or undefined; anything else throws, naming the export. */
function checkValidators(provider: Provider, value: unknown): RequestValidators | undefined {
  if (value === undefined || value === false) return undefined;
  if (typeof value === "object" && value !== null && requestValidatorMethods.every((m) => typeof (value as Record<string, unknown>)[m] === "function")) {
    return value as RequestValidators;
  }
  const name = validatorsExport(provider);
  throw new ConfigurationError(
    provider,
    "validateRequests",
    `must be ${name} (import { ${name} } from "@payments-contracts/customers/${provider}"), so that the validators are bundled only where they are used; got ${value === true ? "true" : `a ${typeof value}`}`,
  );
}

/** Checks a client's options (throwing a ConfigurationError naming the option) and returns its call policy. */
export function callPolicy(provider: Provider, options: ClientOptions & { validateRequests?: unknown }, scrub: Scrub): CallPolicy {
  const { retry = {} } = options;
  if (typeof retry !== "object" || retry === null) throw new ConfigurationError(provider, "retry", "must be an object");
  const number = (option: string, value: unknown, rule: Parameters<typeof checkNumber>[3], fallback: number) =>
    checkNumber(provider, option, value, rule) ?? fallback;
  checkHeaders(provider, "headers", options.headers);
  if (options.fetch !== undefined && typeof options.fetch !== "function") throw new ConfigurationError(provider, "fetch", "must be a function");
  return {
    provider,
    timeoutMs: number("timeoutMs", options.timeoutMs, "milliseconds", 30_000),
    retry: {
      maxRetries: number("retry.maxRetries", retry.maxRetries, "count", defaultRetryPolicy.maxRetries),
      baseDelayMs: number("retry.baseDelayMs", retry.baseDelayMs, "milliseconds", defaultRetryPolicy.baseDelayMs),
      maxDelayMs: number("retry.maxDelayMs", retry.maxDelayMs, "milliseconds", defaultRetryPolicy.maxDelayMs),
      maxRetryAfterMs: number("retry.maxRetryAfterMs", retry.maxRetryAfterMs, "milliseconds", defaultRetryPolicy.maxRetryAfterMs),
    },
    scrub,
    validators: checkValidators(provider, options.validateRequests),
    maxResponseBytes: number("maxResponseBytes", options.maxResponseBytes, "bytes", defaultMaxResponseBytes),
  };
}

/** What an attempt that failed is told, to read the error: its number and how the earlier ones failed. */
export interface Attempt {
  number: number;
  failures: readonly PaymentsError[];
}

/**
 * Spread into the openapi-fetch call of one attempt: its signal (timeout + caller), its `fetch`, the
 * call's own headers, and `parseAs: "stream"`: the engine reads a success body itself, with the
 * byte cap, so that a cut-off or undocumented body is ours to report.
 */
export interface SendInit {
  signal: AbortSignal | null;
  fetch: (request: Request) => Promise<Response>;
  parseAs: "stream";
  headers?: Record<string, string>;
}

/** One openapi-fetch call, made with `parseAs: "stream"`. */
export interface FetchOutcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** One operation of a client: its openapi-fetch call, how to read its answer, and its checks. */
export interface Endpoint<Data, Failure extends PaymentsError> {
  /** The openapi-fetch call, with `init` spread into its options. */
  send(init: SendInit): Promise<FetchOutcome>;
  /** Reads a parsed success body (undefined for a 204 or an empty body); throws when it is not the documented shape. */
  read(body: unknown, response: Response): Success<Data>;
  /** Reads an error body instead of the provider's reader, where the operation knows more (the body it sent). */
  readError?(body: unknown, response: Response, attempt: Attempt): Failure | undefined;
  /** Checks the body or query against the spec (when validation is on). */
  validate?: (() => ValidationError | undefined) | undefined;
  /** Always run before sending: throws a PaymentsError for input that cannot be sent (an empty id, a bad header option). */
  check?: () => void;
  /** Turns a provider error into a success where the operation allows it (a DELETE retried after it went through). */
  recover?(failure: Failure, attempt: Attempt): Success<Data> | undefined;
}

/** Reads a provider's error envelope; undefined when the body is something else. */
export type ErrorReader<Failure extends PaymentsError> = (body: unknown, response: Response, attempt: Attempt) => Failure | undefined;

/**
 * The engine one provider's operations share: each operation is an `Endpoint` handed to the
 * returned function with the call's options, and gets the client's configuration checks,
 * timeouts, retries, error reading (`readError`, the provider's envelopes) and secret scrubbing.
 */
export function defineCalls<Failure extends PaymentsError>(caller: Caller, readError: ErrorReader<Failure>) {
  return <Data>(options: CallOptions, endpoint: Endpoint<Data, Failure>): Promise<Result<Data, Failure | TransportError>> =>
    perform(caller, options, endpoint, readError);
}

/** Throws a ValidationError unless `id` is a non-empty string (an empty one would address the collection). */
export function checkId(provider: Provider, field: string, id: unknown): void {
  if (typeof id !== "string" || id.trim() === "") {
    throw new ValidationError(provider, [{ field, message: "must be a non-empty string", issue: "required" }]);
  }
}

/** The call's own settings, checked: a bad one is a ConfigurationError naming it. */
interface CallSettings {
  timeoutMs: number;
  maxRetries: number;
  signal: AbortSignal | undefined;
  headers: Record<string, string> | undefined;
}

function callSettings(policy: CallPolicy, options: CallOptions): CallSettings {
  const { provider } = policy;
  if (typeof options !== "object" || options === null) throw new ConfigurationError(provider, "options", "must be an object");
  const { signal, headers } = options;
  if (signal !== undefined && !(typeof signal === "object" && signal !== null && "aborted" in signal && typeof signal.addEventListener === "function")) {
    throw new ConfigurationError(provider, "signal", "must be an AbortSignal");
  }
  checkHeaders(provider, "headers", headers);
  return {
    timeoutMs: checkNumber(provider, "timeoutMs", options.timeoutMs, "milliseconds") ?? policy.timeoutMs,
    maxRetries: checkNumber(provider, "maxRetries", options.maxRetries, "count") ?? policy.retry.maxRetries,
    signal,
    headers,
  };
}

/** Checks a header a call sets from one of its options (an idempotency key, say): a ConfigurationError naming it. */
export function checkCallHeader(provider: Provider, option: string, value: unknown): void {
  if (value !== undefined) checkHeaderValue(provider, option, value, { allowEmpty: false });
}

/**
 * Runs an operation with the caller's timeout and retry policy; resolves to a Result, never rejects.
 * Every error it returns has had the client's secrets scrubbed from it.
 */
export async function perform<Data, Failure extends PaymentsError>(
  caller: Caller,
  options: CallOptions,
  endpoint: Endpoint<Data, Failure>,
  readError: ErrorReader<Failure> = () => undefined,
): Promise<Result<Data, Failure | TransportError>> {
  let result: Result<Data, Failure | TransportError>;
  try {
    result = await run(caller, options, endpoint, endpoint.readError ?? readError);
  } catch (cause) {
    // Only a ConfigurationError from the checks is thrown on purpose; anything else is reported, not thrown.
    const error = cause instanceof PaymentsError ? cause : new ConfigurationError(caller.provider, "options", `could not be used (${String(cause)})`);
    result = { error: error as Failure | TransportError };
  }
  if (result.error) redact(result.error, caller.scrub);
  return result;
}

const noFailures: readonly PaymentsError[] = Object.freeze([]);

async function run<Data, Failure extends PaymentsError>(
  caller: Caller,
  options: CallOptions,
  endpoint: Endpoint<Data, Failure>,
  readError: ErrorReader<Failure>,
): Promise<Result<Data, Failure | TransportError>> {
  const settings = callSettings(caller, options);
  endpoint.check?.();
  if (options.validate === true && !caller.validators) {
    throw new ConfigurationError(caller.provider, "validate", `needs a client created with validateRequests: ${validatorsExport(caller.provider)}`);
  }
  if (endpoint.validate && (options.validate ?? caller.validators !== undefined)) {
    const invalid = endpoint.validate();
    if (invalid) return { error: invalid };
  }
  // Most calls succeed at once: the list of failures is made only for a second attempt.
  let failures: PaymentsError[] | undefined;
  for (let attemptNo = 1; ; attemptNo++) {
    const result = await attempt(caller, settings, endpoint, readError, attemptNo, failures ?? noFailures);
    if (!result.error || attemptNo > settings.maxRetries || !isRetryable(result.error)) return result;
    (failures ??= []).push(result.error);
    try {
      await sleep(retryDelay(attemptNo, result.error, caller.retry), settings.signal);
    } catch (reason) {
      return { error: new AbortedError(caller.provider, reason, caller.scrub) };
    }
  }
}

/**
 * A controller lent to one attempt at a time, with the listeners added to its signal while lent.
 *
 * Node's `new AbortController()` is slow (its signal is made transferable), and undici's Request
 * follows the signal it is handed with a listener it removes only after a garbage collection. So
 * the engine keeps the controllers of attempts whose signal never fired, and takes off what fetch
 * added when the attempt ends: the next attempt gets a clean, real AbortSignal (any runtime's
 * fetch accepts it), and Node's per-attempt cost of a timeout drops to a timer.
 */
interface LentController {
  controller: AbortController;
  added: [type: string, listener: EventListenerOrEventListenerObject, options: boolean | AddEventListenerOptions | undefined][];
}

const idleControllers: LentController[] = [];
/** Idle controllers kept at most: as many as attempts commonly run at once. */
const maxIdleControllers = 64;

function borrowController(): LentController {
  const idle = idleControllers.pop();
  if (idle) return idle;
  const controller = new AbortController();
  const lent: LentController = { controller, added: [] };
  const { signal } = controller;
  const add = signal.addEventListener;
  signal.addEventListener = function (this: AbortSignal, type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) {
    if (listener) lent.added.push([type, listener, options]);
    add.call(this, type, listener as EventListenerOrEventListenerObject, options);
  };
  return lent;
}

function giveBack(lent: LentController): void {
  const { signal } = lent.controller;
  // A signal that fired stays aborted: it is dropped, and a fresh one is made when needed.
  if (signal.aborted) return;
  for (const [type, listener, options] of lent.added) signal.removeEventListener(type, listener, options);
  lent.added.length = 0;
  if (idleControllers.length < maxIdleControllers) idleControllers.push(lent);
}

/**
 * The running attempts of one timeout length, in deadline order (a doubly linked list: the attempt
 * that started first ends first), and one timer, for the first deadline.
 *
 * A timer per attempt costs more than it seems in Node: a call that clears the only timer of its
 * length drops Node's list for that length, and the next call builds it again and reschedules the
 * event loop's timer, which measured 10–20 µs per sequential call. Here one timer serves every
 * attempt of a length; it is re-armed only when it fires, and holds the process open only while
 * an attempt waits on it (as a timer per attempt would).
 */
class Deadlines {
  private static readonly byLength = new Map<number, Deadlines>();
  private first: AttemptTimeout | undefined;
  private last: AttemptTimeout | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  private constructor(private readonly ms: number) {}

  static of(ms: number): Deadlines {
    let deadlines = Deadlines.byLength.get(ms);
    if (!deadlines) Deadlines.byLength.set(ms, (deadlines = new Deadlines(ms)));
    return deadlines;
  }

  add(timeout: AttemptTimeout): void {
    timeout.deadline = clock() + this.ms;
    timeout.previous = this.last;
    if (this.last) this.last.next = timeout;
    else this.first = timeout;
    this.last = timeout;
    if (!this.timer) this.arm(this.ms);
    else if (timeout === this.first) hold(this.timer, true);
  }

  remove(timeout: AttemptTimeout): void {
    if (timeout.previous) timeout.previous.next = timeout.next;
    else this.first = timeout.next;
    if (timeout.next) timeout.next.previous = timeout.previous;
    else this.last = timeout.previous;
    timeout.previous = timeout.next = undefined;
    if (!this.first && this.timer) hold(this.timer, false);
  }

  private arm(delay: number): void {
    this.timer = setTimeout(() => this.fire(), Math.max(0, Math.ceil(delay)));
  }

  private fire(): void {
    this.timer = undefined;
    const now = clock();
    // Timers may fire a little early or late: within a millisecond is due.
    while (this.first && this.first.deadline <= now + 1) {
      const due = this.first;
      this.remove(due);
      due.expire();
    }
    if (this.first) this.arm(this.first.deadline - now);
    else Deadlines.byLength.delete(this.ms);
  }
}

/** Milliseconds that never step back (a wall clock may); `Date.now` where a runtime has no `performance`. */
const clock: () => number =
  typeof performance === "object" && typeof performance?.now === "function" ? () => performance.now() : () => Date.now();

/** Lets a timer hold the process open (Node) while attempts wait on it, and not once none does. */
function hold(timer: ReturnType<typeof setTimeout>, held: boolean): void {
  const handle = timer as { ref?: () => void; unref?: () => void };
  if (held) handle.ref?.();
  else handle.unref?.();
}

/**
 * The per-attempt timeout: a lent controller aborted when the attempt's deadline passes (see
 * Deadlines), or by the caller's signal. With the timeout off, no signal at all unless the caller
 * gave one (Node's fetch charges for each).
 */
class AttemptTimeout {
  fired = false;
  readonly signal: AbortSignal;
  deadline = 0;
  previous: AttemptTimeout | undefined;
  next: AttemptTimeout | undefined;
  private readonly lent: LentController;
  private readonly deadlines: Deadlines;
  private readonly callerSignal: AbortSignal | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(timeoutMs: number, callerSignal: AbortSignal | undefined) {
    const lent = (this.lent = borrowController());
    this.signal = lent.controller.signal;
    this.callerSignal = callerSignal;
    if (callerSignal) {
      this.onCallerAbort = () => lent.controller.abort(callerSignal.reason);
      callerSignal.addEventListener("abort", this.onCallerAbort);
    }
    this.deadlines = Deadlines.of(timeoutMs);
    this.deadlines.add(this);
  }

  /** The deadline passed: the attempt's fetch is aborted. */
  expire(): void {
    this.fired = true;
    this.lent.controller.abort();
  }

  /** Ends the attempt's timeout; call it once the answer's body has been read (or the attempt failed). */
  stop(): void {
    if (!this.fired) this.deadlines.remove(this);
    if (this.onCallerAbort) this.callerSignal!.removeEventListener("abort", this.onCallerAbort);
    giveBack(this.lent);
  }
}

async function attempt<Data, Failure extends PaymentsError>(
  { provider, scrub, transport, maxResponseBytes }: Caller,
  { timeoutMs, signal: callerSignal, headers }: CallSettings,
  endpoint: Endpoint<Data, Failure>,
  readError: ErrorReader<Failure>,
  attemptNo: number,
  failures: readonly PaymentsError[],
): Promise<Result<Data, Failure | TransportError>> {
  if (callerSignal?.aborted) return { error: new AbortedError(provider, callerSignal.reason, scrub) };
  const timeout = timeoutMs > 0 ? new AttemptTimeout(timeoutMs, callerSignal) : undefined;
  const state: AttemptState = {};
  const init: SendInit = { signal: timeout ? timeout.signal : (callerSignal ?? null), fetch: transport.fetchFor(state), parseAs: "stream" };
  if (headers) init.headers = headers;

  let outcome: FetchOutcome;
  let text: string | undefined;
  try {
    outcome = await endpoint.send(init);
    // No body (a 204, or an empty one): openapi-fetch left data undefined without reading.
    if (outcome.response.ok && outcome.data !== undefined) text = await readBody(provider, outcome.response, maxResponseBytes);
  } catch (cause) {
    return { error: classify(provider, cause, state, callerSignal, timeout?.fired ? timeoutMs : 0, transport, scrub) as Failure | TransportError };
  } finally {
    timeout?.stop();
  }
  const { response } = outcome;
  if (response.ok) {
    let body: unknown;
    try {
      // An empty body is read as undefined; the operation says whether that is right.
      body = text === undefined || text === "" ? undefined : JSON.parse(text);
    } catch {
      return { error: new UnreadableResponseError(provider, response, "a body that is not complete JSON"), response };
    }
    try {
      const { data, requestId } = endpoint.read(body, response);
      return { data, requestId, response };
    } catch (cause) {
      // A reader may name the failure itself (PayPal: a 200 from the token endpoint without a token).
      const error = cause instanceof PaymentsError ? cause : new UnreadableResponseError(provider, response, `an undocumented body (${cause})`);
      return { error: error as Failure | TransportError, response };
    }
  }
  // openapi-fetch has already parsed an error body that is JSON, and left any other as text.
  const current: Attempt = { number: attemptNo, failures };
  let failure: Failure | undefined;
  try {
    failure = readError(outcome.error, response, current);
    const recovered = failure && endpoint.recover?.(failure, current);
    if (recovered) return { data: recovered.data, requestId: recovered.requestId, response };
  } catch {
    failure = undefined;
  }
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

/** Names what went wrong in an attempt that ended without an answer to read. */
function classify(
  provider: Provider,
  cause: unknown,
  state: AttemptState,
  callerSignal: AbortSignal | undefined,
  timedOutAfterMs: number,
  transport: Transport<{}>,
  scrub: Scrub,
): PaymentsError {
  if (callerSignal?.aborted) return new AbortedError(provider, callerSignal.reason, scrub);
  // Ours, already named: a body over the cap or cut off, a redirect, a body that is not JSON-able, a refused token.
  if (cause instanceof PaymentsError) return cause;
  // The answer arrived and then could not be read: it reached the server, so never hide it behind a retry.
  if (state.response) return new UnreadableResponseError(provider, state.response, `an answer that could not be read (${describeCause(cause)})`);
  if (timedOutAfterMs > 0) return new TimeoutError(provider, timedOutAfterMs);
  if (state.networkFailed) return new ConnectionError(provider, cause, scrub);
  // Nothing was sent: the request could not be built, or a middleware threw or returned something
  // openapi-fetch refuses. The caller's to fix, so it is not retried.
  return new ConfigurationError(
    provider,
    transport.hasMiddleware() ? "middleware" : "request",
    `the request was not sent: ${scrub(describeCause(cause))}`,
  );
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
