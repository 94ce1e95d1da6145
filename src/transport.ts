// The openapi-fetch client both providers use, and the one place a request meets the network:
// credentials go on here (after any middleware, which never sees them), redirects are refused,
// and answer bodies are read with a byte cap.
//
// openapi-fetch builds a `Request` for every call and passes it to `fetch`. In Node (undici) that
// costs about a third of a loopback round trip: the Request is built, then taken apart again by
// fetch. Through openapi-fetch's public `Request` and `fetch` options, calls here carry a plain
// { url, init } instead, and `fetch(url, init)` gets it unwrapped. Middleware gets real Requests:
// once `api.use()` was called, and for a call given its own `middleware`.
import createClient, {
  createQuerySerializer,
  defaultBodySerializer,
  type Client,
  type ClientOptions,
  type Middleware,
} from "openapi-fetch";
import { PaymentsError, RedirectError, UnreadableResponseError, ValidationError, type Provider } from "./errors.js";

/** A `fetch`-compatible function: the global one, undici's, a test recorder, an edge runtime's. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The little of a Request that openapi-fetch and our own code read (exported for the benchmark's floor). */
export class PlainRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal | null;
  readonly init: RequestInit;
  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.init = init;
    this.method = init.method ?? "GET";
    // openapi-fetch passes a Headers object; it stays the one in `init`, so changes to it are sent.
    this.headers = init.headers instanceof Headers ? init.headers : (init.headers = new Headers(init.headers));
    this.signal = init.signal ?? null;
  }
}

/**
 * Credentials, added to a copy of each request's headers after any middleware ran (so middleware
 * never sees them), and renewed once when the server answers 401.
 */
export interface Credentials {
  /** Adds credentials to headers about to be sent; may wait (for a token being fetched). */
  apply(headers: Headers, signal: AbortSignal | null): void | Promise<void>;
  /** After a 401: replaces the credentials `apply` added; false when they cannot be renewed. */
  renew?(headers: Headers, signal: AbortSignal | null): Promise<boolean>;
}

/** What one attempt learns from the transport, so that its failure can be named rightly. */
export interface AttemptState {
  /** The answer's status line and headers arrived (a later failure is in reading its body). */
  response?: Response;
  /** `fetch` itself failed: no answer came back. */
  networkFailed?: boolean;
}

export interface TransportOptions {
  provider: Provider;
  baseUrl: string;
  fetch?: Fetch | undefined;
  headers?: Record<string, string> | undefined;
  credentials?: Credentials | undefined;
  /** Longest answer body read, in bytes; a longer one is an UnreadableResponseError. */
  maxResponseBytes: number;
  /** How arrays in a query are written (Paddle: `email=a,b`, the spec's `explode: false`). Default: repeated. */
  queryArrays?: "comma" | "repeat";
}

export interface Transport<Paths extends {}> {
  /** The openapi-fetch client (what users reach as `client.api`). */
  api: Client<Paths>;
  /** A `fetch` for one attempt of the engine (openapi-fetch's per-call `fetch` option), reporting into `state`; a success body is left for the engine's `readBody`. */
  fetchFor(state: AttemptState): (request: Request) => Promise<Response>;
  /** Whether any middleware is installed with `api.use()`. */
  hasMiddleware(): boolean;
}

const methods = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

export function createTransport<Paths extends {}>(options: TransportOptions): Transport<Paths> {
  const { provider, credentials, maxResponseBytes } = options;
  const send: Fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let middlewareCount = 0;

  // openapi-fetch checks a middleware's result with `instanceof` this constructor: real Requests pass.
  function AdaptiveRequest(url: string, init: RequestInit) {
    return middlewareCount > 0 ? new Request(url, init) : new PlainRequest(url, init);
  }
  Object.defineProperty(AdaptiveRequest, Symbol.hasInstance, {
    value: (value: unknown) => value instanceof Request || value instanceof PlainRequest,
  });

  /** The one way out: credentials on a copy, no redirect followed, 401 renewed once, body capped. */
  async function transportFetch(request: Request | PlainRequest, state?: AttemptState): Promise<Response> {
    const real = request instanceof PlainRequest ? undefined : request;
    // A real Request is shown to middleware (onResponse, onError): it keeps its own headers, and is
    // cloned for sending so that its body stays readable for them and for a replay.
    const headers = real ? new Headers(real.headers) : request.headers;
    const signal = request.signal;
    const sameOrigin = !real || isSameOrigin(real.url, options.baseUrl);
    const network = async (): Promise<Response> => {
      try {
        return real
          ? await send(new Request(real.clone(), { headers, redirect: "manual" }))
          : await send(request.url, (request as PlainRequest).init);
      } catch (error) {
        if (state) state.networkFailed = true;
        throw error;
      }
    };
    // Credentials never go to another origin (a middleware may have returned a Request for one).
    if (credentials && sameOrigin) {
      const applying = credentials.apply(headers, signal);
      if (applying) await applying;
    }
    let response = await network();
    if (response.status === 401 && credentials?.renew && sameOrigin && (await credentials.renew(headers, signal))) {
      void response.body?.cancel().catch(() => {});
      response = await network();
    }
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status <= 399)) {
      void response.body?.cancel().catch(() => {});
      throw new RedirectError(provider, response);
    }
    if (state) state.response = response;
    // An attempt of the engine reads a success body itself, with `readBody`; anything else that
    // reads a body (openapi-fetch, middleware, `client.api` callers) gets capped readers.
    return state && response.ok ? response : capBody(provider, response, maxResponseBytes);
  }

  const client = createClient<Paths>({
    baseUrl: options.baseUrl,
    ...(options.headers ? { headers: options.headers } : {}),
    Request: AdaptiveRequest as unknown as typeof Request,
    // An API client does not follow redirects: a 3xx ends in a RedirectError, nothing is re-sent.
    redirect: "manual",
    // The default serializer, built once: given options instead, openapi-fetch rebuilds it per call.
    querySerializer: createQuerySerializer(options.queryArrays === "comma" ? { array: { style: "form", explode: false } } : undefined),
    bodySerializer(body: unknown, headers?: Headers | Record<string, string>) {
      try {
        return (defaultBodySerializer as (body: unknown, headers?: Headers | Record<string, string>) => unknown)(body, headers);
      } catch (cause) {
        // A circular object or a BigInt: the caller's mistake, not a network failure; nothing is sent.
        throw new ValidationError(provider, [{ field: "", message: `cannot be sent as JSON (${(cause as Error)?.message ?? cause})`, issue: "json" }]);
      }
    },
    fetch: (request: Request | PlainRequest) => transportFetch(request),
  } as ClientOptions);

  const use = client.use.bind(client);
  const eject = client.eject.bind(client);
  const installed = new Set<Middleware>();
  client.use = (...middleware) => {
    use(...middleware);
    for (const m of middleware) if (m) installed.add(m);
    middlewareCount = installed.size;
  };
  client.eject = (...middleware) => {
    eject(...middleware);
    for (const m of middleware) installed.delete(m);
    middlewareCount = installed.size;
  };
  // A call given its own `middleware` gets real Requests too.
  const withRealRequests = <Init>(init: Init): Init =>
    (init as { middleware?: unknown[] } | undefined)?.middleware?.length ? { ...init, Request: globalThis.Request } : init;
  const raw = client as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of methods) {
    const original = raw[method]!;
    raw[method] = (url: unknown, init: unknown) => original(url, withRealRequests(init));
  }
  const request = raw.request!;
  raw.request = (method: unknown, url: unknown, init: unknown) => request(method, url, withRealRequests(init));

  return {
    api: client,
    fetchFor: (state) => (request) => transportFetch(request, state),
    hasMiddleware: () => middlewareCount > 0,
  };
}

/** Whether `url` is on the origin of `baseUrl` (a path baseUrl: the page's own origin). */
function isSameOrigin(url: string, baseUrl: string): boolean {
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(url, page).origin === new URL(baseUrl, page).origin;
  } catch {
    return false;
  }
}

/** The announced length of an uncompressed body; undefined when unknown or compressed. */
function plainLength(response: Response): number | undefined {
  const declared = response.headers.get("content-length");
  if (declared === null || !/^\d+$/.test(declared)) return undefined;
  // A compressed body's announced length is the compressed one, while fetch hands over the decoded
  // bytes (a gzip of 64 KiB may decode to 64 MiB): only an uncompressed length bounds what is read.
  const encoding = response.headers.get("content-encoding");
  return encoding === null || encoding.trim().toLowerCase() === "identity" ? Number(declared) : undefined;
}

/**
 * Reads a body as text, at most `maxBytes` of it: a longer body (announced or streamed) is an
 * UnreadableResponseError instead of a grown process, and so is a body cut off by the connection,
 * which is reported with its status rather than as a connection failure.
 */
export async function readBody(provider: Provider, response: Response, maxBytes: number, text = () => response.text()): Promise<string> {
  const length = plainLength(response);
  // Announced and within the cap: the runtime's own reader (it fails if the body is cut short).
  if (length === undefined || length > maxBytes) return new TextDecoder().decode(await readBytes(provider, response, maxBytes, length));
  try {
    return await text();
  } catch (cause) {
    throw cutOff(provider, response, cause);
  }
}

const cutOff = (provider: Provider, response: Response, cause: unknown) =>
  new UnreadableResponseError(provider, response, `a body cut off before its end (${(cause as Error)?.message ?? cause})`);

async function readBytes(provider: Provider, response: Response, maxBytes: number, length = plainLength(response)): Promise<Uint8Array> {
  if (length !== undefined && length > maxBytes) {
    void response.body?.cancel().catch(() => {});
    throw new UnreadableResponseError(provider, response, `a body of ${length} bytes, over the ${maxBytes}-byte limit (maxResponseBytes)`);
  }
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        void reader.cancel().catch(() => {});
        throw new UnreadableResponseError(provider, response, `a body over the ${maxBytes}-byte limit (maxResponseBytes)`);
      }
      chunks.push(value);
    }
  } catch (cause) {
    throw cause instanceof PaymentsError ? cause : cutOff(provider, response, cause);
  }
  if (chunks.length === 1) return chunks[0]!;
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

/**
 * Makes the response's body readers stop at `maxBytes` (see `readBody`), for openapi-fetch and
 * middleware, which read bodies with `text()` and `json()`.
 */
function capBody(provider: Provider, response: Response, maxBytes: number): Response {
  const runtimeText = response.text;
  const text = () => readBody(provider, response, maxBytes, () => runtimeText.call(response));
  const bytes = () => readBytes(provider, response, maxBytes);
  Object.defineProperties(response, {
    text: { value: text },
    json: { value: async () => JSON.parse(await text()) },
    arrayBuffer: { value: async () => (await bytes()).slice().buffer },
    blob: { value: async () => new Blob([(await bytes()).slice()], { type: response.headers.get("content-type") ?? "" }) },
  });
  return response;
}
