// Paddle Billing client: `createPaddleClient({ environment, apiKey })` or `({ baseUrl })`.
import type { Client } from "openapi-fetch";
import type { components, operations, paths } from "../generated/paddle.js";
import { validateCreateCustomer } from "../generated/paddle.validators.js";
import {
  callPolicy,
  isRecord,
  perform,
  refuseSecretInBrowser,
  resolveBaseUrl,
  secretScrubber,
  type CallOptions,
  type Caller,
  type ClientOptions,
  type Environment,
  type Result,
  type TransportError,
} from "./core.js";
import { ApiError, ConfigurationError, type FieldError, type ValidationError } from "./errors.js";
import { checkCredential } from "./options.js";
import { isAmbiguous } from "./retry.js";
import { createTransport } from "./transport.js";
import { check } from "./validation.js";

/** Checks a `POST /customers` body with the spec's rules, as the mock does: undefined when valid. */
export const validatePaddleCustomerCreate = (body: unknown): ValidationError | undefined => check("paddle", validateCreateCustomer, body);

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
/** Which environment a key belongs to, by its prefix. */
const keyPrefixes: Record<Environment, string> = { production: "pdl_live_", sandbox: "pdl_sdbx_" };

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
) &
  ClientOptions;

/** Paddle answered with an error status. `code` is `error.code`, `requestId` is `meta.request_id`. */
export class PaddleApiError extends ApiError<PaddleErrorBody> {
  /** `request_error` or `api_error`. */
  declare readonly type: PaddleErrorBody["error"]["type"];
  /** Paddle's explanation of this code. */
  declare readonly documentationUrl: string;

  /** The envelope is read defensively: a field of the wrong type is left out, never thrown over. */
  constructor(body: PaddleErrorBody, response: Response, name = "PaddleApiError") {
    const error: Record<string, unknown> = isRecord(body.error) ? body.error : {};
    const meta: Record<string, unknown> = isRecord(body.meta) ? body.meta : {};
    super(name, "paddle", response, {
      code: text(error.code) ?? "unknown",
      message: text(error.detail) ?? "",
      fieldErrors: Array.isArray(error.errors) ? error.errors.flatMap(fieldError) : [],
      requestId: text(meta.request_id),
      body,
    });
    Object.assign(this, { type: text(error.type), documentationUrl: text(error.documentation_url) });
  }

  /** Reads Paddle's error envelope (`meta` may be missing); undefined when the body is something else. */
  static fromBody(body: unknown, response: Response, earlierAttemptMayHaveCreatedIt = false): PaddleApiError | undefined {
    if (!isRecord(body) || !isRecord(body.error) || typeof body.error.code !== "string") return undefined;
    const envelope = body as PaddleErrorBody;
    return envelope.error.code === "customer_already_exists"
      ? new PaddleCustomerExistsError(envelope, response, earlierAttemptMayHaveCreatedIt)
      : new PaddleApiError(envelope, response);
  }
}

/**
 * 409 `customer_already_exists`: a customer with this email exists, and this is its id.
 * When `earlierAttemptMayHaveCreatedIt` is true, an earlier attempt of this same call failed in a
 * way that may have reached Paddle (a dropped connection, a timeout, a 5xx): the existing customer
 * is then most likely the one this call created, and fetching it by id completes the create.
 */
export class PaddleCustomerExistsError extends PaddleApiError {
  /** The existing customer's id (`ctm_…`), read from `detail` so that callers need not. */
  declare readonly existingCustomerId: string | undefined;
  declare readonly earlierAttemptMayHaveCreatedIt: boolean;

  constructor(body: PaddleErrorBody, response: Response, earlierAttemptMayHaveCreatedIt: boolean) {
    super(body, response, "PaddleCustomerExistsError");
    Object.assign(this, { existingCustomerId: /\bctm_[a-z\d]{26}\b/.exec(text(body.error.detail) ?? "")?.[0], earlierAttemptMayHaveCreatedIt });
  }
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** One entry of Paddle's `errors[]`, if it names a field. */
function fieldError(entry: unknown): FieldError[] {
  if (!isRecord(entry) || typeof entry.field !== "string") return [];
  return [{ field: entry.field, message: text(entry.message) ?? "" }];
}

export function isPaddleApiError(value: unknown): value is PaddleApiError {
  return value instanceof PaddleApiError;
}

export function isPaddleCustomerExistsError(value: unknown): value is PaddleCustomerExistsError {
  return value instanceof PaddleCustomerExistsError;
}

export type PaddleError = PaddleApiError | TransportError;

export interface PaddleClient {
  customers: {
    /**
     * `POST /customers`. Resolves to the new customer or to a typed error; never throws for HTTP or
     * network failures. Retried on connection failures, timeouts, 408, 429 and 5xx: Paddle refuses
     * a second customer with the same email, so a retry cannot create a duplicate (see
     * `PaddleCustomerExistsError`).
     */
    create(body: PaddleCustomerCreate, options?: CallOptions): Promise<Result<PaddleCustomer, PaddleError>>;
    /** Checks a create body with the spec's rules, sending nothing: undefined when valid. */
    validate(body: unknown): ValidationError | undefined;
  };
  /** The underlying openapi-fetch client, authenticated, for anything the wrapper does not cover (and middleware). */
  api: Client<paths>;
}

export function createPaddleClient(options: PaddleClientOptions): PaddleClient {
  if (typeof options !== "object" || options === null) throw new ConfigurationError("paddle", "options", "must be an object");
  const { environment } = options;
  const apiKey = options.apiKey === undefined ? undefined : checkCredential("paddle", "apiKey", options.apiKey);
  const baseUrl = resolveBaseUrl("paddle", options, paddleServers, "apiKey", apiKey);
  if (environment !== undefined) checkKey(environment, apiKey!);
  if (apiKey) refuseSecretInBrowser("paddle", "apiKey", options.dangerouslyAllowBrowser);
  const secrets = secretScrubber();
  secrets.add(apiKey);
  const policy = callPolicy("paddle", options, secrets.scrub);
  const transport = createTransport<paths>({
    provider: "paddle",
    baseUrl,
    fetch: options.fetch,
    headers: { ...options.headers, "Paddle-Version": paddleVersion },
    maxResponseBytes: policy.maxResponseBytes,
    // Added to a copy of the headers after any middleware ran, so middleware never sees the key.
    credentials: apiKey
      ? {
          apply(headers) {
            if (!headers.has("Authorization")) headers.set("Authorization", `Bearer ${apiKey}`);
          },
        }
      : undefined,
  });
  const { api } = transport;
  const call: Caller = { ...policy, transport };

  return {
    api,
    customers: {
      validate: validatePaddleCustomerCreate,
      create(body, callOptions = {}) {
        return perform(call, callOptions, {
          validate: () => validatePaddleCustomerCreate(body),
          send: ({ init }) =>
            api.POST("/customers", {
              body,
              // Also among the client's headers; here it wins over a call's own headers.
              params: { header: { "Paddle-Version": paddleVersion } },
              ...init,
              ...(callOptions.headers ? { headers: callOptions.headers } : {}),
            }),
          onData(created) {
            const { data, meta } = created as CreateCustomer["responses"][201]["content"]["application/json"];
            if (!isRecord(data) || typeof data.id !== "string") throw new TypeError("no data.id");
            return { data, requestId: meta?.request_id };
          },
          onError: (error, response, attempt) => PaddleApiError.fromBody(error, response, attempt.failures.some(isAmbiguous)),
        });
      },
    },
  };
}

/** Refuses a key from the other environment before it ever reaches Paddle (which would answer a bare 403). */
function checkKey(environment: Environment, apiKey: string): void {
  const other: Environment = environment === "production" ? "sandbox" : "production";
  if (apiKey.startsWith(keyPrefixes[other])) {
    throw new ConfigurationError(
      "paddle",
      "apiKey",
      `is a ${other} key (${keyPrefixes[other]}…) but environment is "${environment}": ` +
        `use a ${environment} key (${keyPrefixes[environment]}…) or environment "${other}"`,
    );
  }
}
