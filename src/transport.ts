// The openapi-fetch client both providers use, with the per-call `Request` taken out of the hot path.
//
// openapi-fetch builds a `Request` for every call and passes it to `fetch`. In Node (undici) that
// costs about a third of a loopback round trip: the Request is built, then taken apart again by
// fetch. Through openapi-fetch's public `Request` and `fetch` options, calls here carry a plain
// { url, init } instead, and `fetch(url, init)` gets it unwrapped. Once a caller adds middleware
// with `api.use()`, real Requests are built again, as middleware may expect one.
import createClient, { createQuerySerializer, type Client, type ClientOptions } from "openapi-fetch";

/** A `fetch`-compatible function: the global one, undici's, a test recorder, an edge runtime's. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The little of a Request that openapi-fetch and our own code read. */
class PlainRequest {
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
 * Credentials, added after any middleware ran (so middleware never sees them) and renewed once
 * when the server answers 401.
 */
export interface Credentials {
  /** Adds credentials to a request about to be sent; may wait (for a token being fetched). */
  apply(headers: Headers, url: string, signal: AbortSignal | null): void | Promise<void>;
  /** After a 401: replaces the credentials `apply` added; false when they cannot be renewed. */
  renew?(headers: Headers, signal: AbortSignal | null): Promise<boolean>;
}

export interface TransportOptions {
  baseUrl: string;
  fetch?: Fetch | undefined;
  headers?: Record<string, string> | undefined;
  credentials?: Credentials | undefined;
}

export function createApiClient<Paths extends {}>(options: TransportOptions): Client<Paths> {
  const send: Fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const { credentials } = options;
  let realRequests = false;
  function AdaptiveRequest(url: string, init: RequestInit) {
    return realRequests ? new Request(url, init) : new PlainRequest(url, init);
  }
  const client = createClient<Paths>({
    baseUrl: options.baseUrl,
    ...(options.headers ? { headers: options.headers } : {}),
    Request: AdaptiveRequest as unknown as typeof Request,
    // The default serializer, built once: given options instead, openapi-fetch rebuilds it per call.
    querySerializer: createQuerySerializer(),
    fetch: (request: Request | PlainRequest) => {
      // A real Request's body can be read once: keep a copy in case a 401 asks for a replay.
      const spare = credentials?.renew && request instanceof Request ? request.clone() : undefined;
      const go = (r: Request | PlainRequest) => (r instanceof PlainRequest ? send(r.url, r.init) : send(r));
      const first = async () => {
        const response = await go(request);
        if (response.status !== 401 || !(await credentials!.renew?.(request.headers, request.signal))) return response;
        if (spare) for (const [name, value] of request.headers) spare.headers.set(name, value);
        return go(spare ?? request);
      };
      if (!credentials) return go(request);
      // Only wait when `apply` has something to wait for (a token being fetched): a tick per call adds up.
      const pending = credentials.apply(request.headers, request.url, request.signal);
      return pending ? pending.then(first) : first();
    },
  } as ClientOptions);
  const use = client.use.bind(client);
  client.use = (...middleware) => {
    realRequests = true;
    use(...middleware);
  };
  return client;
}
