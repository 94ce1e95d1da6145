// Pieces both clients share: where requests go, and turning an openapi-fetch outcome into a Result.
import { ConfigurationError, ConnectionError, UnreadableResponseError, type PaymentsError, type Provider } from "./errors.js";

export type Environment = "sandbox" | "production";

/** A `fetch` the clients can use: the global one, or any with the same shape (tests, proxies, edge runtimes). */
export type Fetch = (input: Request) => Promise<Response>;

/** Where a client sends requests: a provider environment, or a URL of your own (a mock, your backend's proxy). */
export type Target = { environment: Environment; baseUrl?: never } | { baseUrl: string; environment?: never };

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

export interface CallOptions {
  /** Extra headers for this call only. */
  headers?: Record<string, string>;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** Resolves `environment` | `baseUrl` to a URL; there is no default, so nothing reaches production by accident. */
export function resolveBaseUrl(provider: Provider, target: Partial<Target>, servers: Record<Environment, string>): string {
  const { environment, baseUrl } = target;
  if (environment !== undefined && baseUrl !== undefined) {
    throw new ConfigurationError(provider, "environment", "give either environment or baseUrl, not both");
  }
  if (baseUrl !== undefined) {
    if (!URL.canParse(baseUrl)) throw new ConfigurationError(provider, "baseUrl", "must be an absolute http(s) URL");
    return baseUrl.replace(/\/+$/, "");
  }
  if (environment === "sandbox" || environment === "production") return servers[environment];
  throw new ConfigurationError(
    provider,
    "environment",
    `must be "sandbox" or "production" (or give a baseUrl); got ${environment === undefined ? "nothing" : JSON.stringify(environment)}`,
  );
}

interface FetchOutcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * Runs one openapi-fetch call (made with `parseAs: "text"`, so a cut-off body is ours to report, not
 * a thrown SyntaxError) and settles it into a Result. `onData` reads the parsed success body and
 * throws if it is not the documented shape; `onError` reads a parsed error body and returns
 * undefined when it is not the provider's envelope (an HTML page from a proxy, say).
 */
export async function settle<Data, Failure extends PaymentsError>(
  provider: Provider,
  request: () => Promise<FetchOutcome>,
  onData: (body: unknown, response: Response) => Success<Data>,
  onError: (body: unknown, response: Response) => Failure | undefined,
): Promise<Result<Data, Failure | ConnectionError | UnreadableResponseError>> {
  let outcome: FetchOutcome;
  try {
    outcome = await request();
  } catch (cause) {
    return { error: new ConnectionError(provider, cause) };
  }
  const { response } = outcome;
  if (response.ok) {
    try {
      return { ...onData(JSON.parse(String(outcome.data)), response), response };
    } catch (cause) {
      return { error: new UnreadableResponseError(provider, response, cause), response };
    }
  }
  // openapi-fetch has already parsed an error body that is JSON, and left any other as text.
  const failure = onError(outcome.error, response);
  return { error: failure ?? new UnreadableResponseError(provider, response, outcome.error), response };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
