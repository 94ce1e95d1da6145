// Paddle Billing client: `createPaddleClient({ environment, apiKey })` or `({ baseUrl })`.
import createClient, { type Client } from "openapi-fetch";
import type { components, operations, paths } from "../generated/paddle.js";
import { isRecord, resolveBaseUrl, settle, type CallOptions, type Environment, type Fetch, type Result } from "./core.js";
import { ApiError, ConfigurationError, type ConnectionError, type UnreadableResponseError } from "./errors.js";

type CreateCustomer = operations["createCustomer"];
/** Body of `POST /customers`, from openapi/paddle.yaml. */
export type PaddleCustomerCreate = CreateCustomer["requestBody"]["content"]["application/json"];
/** The customer entity Paddle returns, from openapi/paddle.yaml. */
export type PaddleCustomer = CreateCustomer["responses"][201]["content"]["application/json"]["data"];
/** Paddle's error envelope, from openapi/paddle.yaml. */
export type PaddleErrorBody = components["schemas"]["Error"];
export type PaddlePaths = paths;

/** The servers in openapi/paddle.yaml (a test keeps them equal). */
export const paddleServers: Record<Environment, string> = {
  production: "https://api.paddle.com",
  sandbox: "https://sandbox-api.paddle.com",
};

const paddleVersion: components["parameters"]["PaddleVersion"] = "1";

export type PaddleClientOptions = (
  | {
      environment: Environment;
      /** `pdl_live_apikey_…` for production, `pdl_sdbx_apikey_…` for the sandbox. */
      apiKey: string;
      baseUrl?: never;
    }
  | {
      /** A Prism mock, or your own backend that adds the key (then give no apiKey). */
      baseUrl: string;
      apiKey?: string;
      environment?: never;
    }
) & {
  /** A `fetch` to use instead of the global one. */
  fetch?: Fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
};

/** Paddle answered with an error status. `code` is `error.code`, `requestId` is `meta.request_id`. */
export class PaddleApiError extends ApiError<PaddleErrorBody> {
  /** `request_error` or `api_error`. */
  readonly type: PaddleErrorBody["error"]["type"];
  /** Paddle's explanation of this code. */
  readonly documentationUrl: string;

  constructor(body: PaddleErrorBody, response: Response) {
    super("paddle", {
      status: response.status,
      code: body.error.code,
      message: body.error.detail,
      fieldErrors: body.error.errors?.map(({ field, message }) => ({ field, message })) ?? [],
      requestId: body.meta.request_id,
      body,
      response,
    });
    this.type = body.error.type;
    this.documentationUrl = body.error.documentation_url;
  }

  /** Reads Paddle's error envelope; undefined when the body is something else. */
  static fromBody(body: unknown, response: Response): PaddleApiError | undefined {
    if (!isRecord(body) || !isRecord(body.error) || typeof body.error.code !== "string" || !isRecord(body.meta)) return undefined;
    return new PaddleApiError(body as PaddleErrorBody, response);
  }
}

export function isPaddleApiError(value: unknown): value is PaddleApiError {
  return value instanceof PaddleApiError;
}

export type PaddleError = PaddleApiError | ConnectionError | UnreadableResponseError;

export interface PaddleClient {
  customers: {
    /** `POST /customers`. Resolves to the new customer, or to a typed error; never throws for HTTP or network failures. */
    create(body: PaddleCustomerCreate, options?: CallOptions): Promise<Result<PaddleCustomer, PaddleError>>;
  };
  /** The underlying openapi-fetch client, authenticated, for anything the wrapper does not cover (and middleware). */
  api: Client<paths>;
}

export function createPaddleClient(options: PaddleClientOptions): PaddleClient {
  const baseUrl = resolveBaseUrl("paddle", options, paddleServers);
  const { apiKey } = options;
  if (options.environment !== undefined && !apiKey) {
    throw new ConfigurationError("paddle", "apiKey", `is required to call Paddle's ${options.environment} API directly`);
  }
  const api = createClient<paths>({
    baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: {
      ...options.headers,
      "Paddle-Version": paddleVersion,
      ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}),
    },
  });

  return {
    api,
    customers: {
      create(body, callOptions = {}) {
        return settle(
          "paddle",
          () =>
            api.POST("/customers", {
              body,
              params: { header: { "Paddle-Version": paddleVersion } },
              parseAs: "text",
              ...(callOptions.headers ? { headers: callOptions.headers } : {}),
              ...(callOptions.signal ? { signal: callOptions.signal } : {}),
            }),
          (created) => {
            const { data, meta } = created as CreateCustomer["responses"][201]["content"]["application/json"];
            if (!isRecord(data) || typeof data.id !== "string") throw new TypeError("201 body has no data.id");
            return { data, requestId: meta?.request_id };
          },
          PaddleApiError.fromBody,
        );
      },
    },
  };
}
