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

export interface TransportOptions {
  baseUrl: string;
  fetch?: Fetch | undefined;
  headers?: Record<string, string> | undefined;
  /** Runs before each request is sent, after any middleware: the place to add credentials. */
  prepare?: (headers: Headers, url: string) => void | Promise<void>;
}

export function createApiClient<Paths extends {}>(options: TransportOptions): Client<Paths> {
  const send: Fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const { prepare } = options;
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
      const go = () => (request instanceof PlainRequest ? send(request.url, request.init) : send(request));
      // Only wait when `prepare` has something to wait for (a token being fetched): a tick per call adds up.
      const pending = prepare?.(request.headers, request.url);
      return pending ? pending.then(go) : go();
    },
  } as ClientOptions);
  const use = client.use.bind(client);
  client.use = (...middleware) => {
    realRequests = true;
    use(...middleware);
  };
  return client;
}
