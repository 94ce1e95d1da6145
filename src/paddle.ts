// Paddle Billing client: `createPaddleClient({ environment, apiKey })` or `({ baseUrl })`.
import type { Client } from "openapi-fetch";
import type { components, operations, paths } from "../generated/paddle.js";
import { validateCreateCustomer, validateListCustomersQuery, validateUpdateCustomer } from "../generated/paddle.validators.js";
import {
  callPolicy,
  checkId,
  defineCalls,
  isRecord,
  refuseSecretInBrowser,
  resolveBaseUrl,
  secretScrubber,
  type CallOptions,
  type ClientOptions,
  type Environment,
  type EnvironmentOrBaseUrl,
  type RequestValidators,
  type Result,
  type Success,
  type TransportError,
} from "./core.js";
import { ApiError, ConfigurationError, type FieldError, type ValidationError } from "./errors.js";
import { checkCredential } from "./options.js";
import { isAmbiguous } from "./retry.js";
import { iteratePages, type ResultIterator } from "./pages.js";
import { createTransport } from "./transport.js";
import { check } from "./validation.js";


// Everything a user of this provider needs comes from this entry alone.
export * from "./shared.js";

/** Checks a `POST /customers` body with the spec's rules, as the mock does: undefined when valid. */
export const validatePaddleCustomerCreate = (body: unknown): ValidationError | undefined => check("paddle", validateCreateCustomer, body);
/** Checks a `PATCH /customers/{customer_id}` body with the spec's rules: undefined when valid. */
export const validatePaddleCustomerUpdate = (body: unknown): ValidationError | undefined => check("paddle", validateUpdateCustomer, body);
/** Checks a `GET /customers` query with the spec's rules: undefined when valid. */
export const validatePaddleCustomerListQuery = (query: unknown): ValidationError | undefined => check("paddle", validateListCustomersQuery, query);

/** The checks `validateRequests` runs before a body or query is sent, one per operation that has one. */
export interface PaddleRequestValidators extends RequestValidators {}

/**
 * The spec's rules for every request, for `createPaddleClient({ validateRequests: paddleRequestValidators })`.
 * A value to import rather than a switch: a bundle that never imports it leaves the validators out.
 */
export const paddleRequestValidators: PaddleRequestValidators = {
  create: validatePaddleCustomerCreate,
  update: validatePaddleCustomerUpdate,
  listQuery: validatePaddleCustomerListQuery,
};

// The spec's types under the names a user reads: interfaces, so that an editor shows
// `PaddleCustomer` on hover and in errors rather than the structure behind it.
type Schemas = components["schemas"];
type CustomerCreate = Schemas["CustomerCreate"];
type CustomerUpdate = Schemas["CustomerUpdate"];
type Customer = Schemas["Customer"];
type ListQuery = NonNullable<operations["listCustomers"]["parameters"]["query"]>;
type Pagination = Schemas["Pagination"];
type ErrorBody = Schemas["Error"];
/** Body of `POST /customers`, from openapi/paddle.yaml. */
export interface PaddleCustomerCreate extends CustomerCreate {}
/** Body of `PATCH /customers/{customer_id}`: only the fields sent change. */
export interface PaddleCustomerUpdate extends CustomerUpdate {}
/** The customer entity Paddle returns, from openapi/paddle.yaml. */
export interface PaddleCustomer extends Customer {}
/** Query of `GET /customers`: filters, order, page size and the `after` cursor. */
export interface PaddleCustomerListQuery extends ListQuery {}
/** Where a page sits in Paddle's list (`meta.pagination`). */
export interface PaddlePagination extends Pagination {}
/** One page of `GET /customers`, and the query of the next page (undefined on the last). */
export interface PaddleCustomerPage {
  customers: PaddleCustomer[];
  pagination: PaddlePagination;
  next: PaddleCustomerListQuery | undefined;
}
/** Paddle's error envelope, from openapi/paddle.yaml. */
export interface PaddleErrorBody extends ErrorBody {}
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
      baseUrl?: EnvironmentOrBaseUrl;
    }
  | {
      /** A Prism mock, or your own backend that adds the key (then give no apiKey). */
      baseUrl: string;
      apiKey?: string;
      environment?: EnvironmentOrBaseUrl;
    }
) &
  ClientOptions & {
    /**
     * Checks each request body (and list query) against the spec before sending:
     * `validateRequests: paddleRequestValidators`. A body that fails resolves to a ValidationError
     * naming each field, and nothing is sent. Off by default, and then not in your bundle.
     */
    validateRequests?: PaddleRequestValidators | undefined;
  };

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
    /** `GET /customers/{customer_id}`: one customer by its Paddle id (`ctm_…`); 404 `not_found` when none has it. */
    get(id: string, options?: CallOptions): Promise<Result<PaddleCustomer, PaddleError>>;
    /**
     * `PATCH /customers/{customer_id}`: changes only the fields sent (`{ status: "archived" }`
     * archives). Retried like a create: sending the same fields again leaves the same customer.
     */
    update(id: string, body: PaddleCustomerUpdate, options?: CallOptions): Promise<Result<PaddleCustomer, PaddleError>>;
    /** `GET /customers`: one page, newest first, and `next`, the query of the following page. */
    list(query?: PaddleCustomerListQuery, options?: CallOptions): Promise<Result<PaddleCustomerPage, PaddleError>>;
    /**
     * Every customer matching `query`, page after page, fetched as the loop goes. Never throws:
     * a failure ends the loop and is in `error` afterwards.
     */
    iterate(query?: PaddleCustomerListQuery, options?: CallOptions): ResultIterator<PaddleCustomer, PaddleError>;
  };
  /** The underlying openapi-fetch client, authenticated, for anything the wrapper does not cover (and middleware). */
  api: Client<paths>;
}

export function createPaddleClient(options: PaddleClientOptions): PaddleClient {
  if (typeof options !== "object" || options === null) throw new ConfigurationError("paddle", "options", "must be an object");
  const { environment } = options;
  const apiKey = options.apiKey === undefined ? undefined : checkCredential("paddle", "apiKey", options.apiKey);
  const baseUrl = resolveBaseUrl("paddle", options, paddleServers, "apiKey", apiKey);
  // resolveBaseUrl accepted it: a real environment, and no baseUrl beside it.
  if (environment !== undefined) checkKey(environment as Environment, apiKey!);
  if (apiKey) refuseSecretInBrowser("paddle", "apiKey", options.dangerouslyAllowBrowser);
  const secrets = secretScrubber();
  secrets.add(apiKey);
  const policy = callPolicy("paddle", options, secrets.scrub);
  const { validators } = policy;
  const transport = createTransport<paths>({
    provider: "paddle",
    baseUrl,
    fetch: options.fetch,
    headers: { ...options.headers, "Paddle-Version": paddleVersion },
    maxResponseBytes: policy.maxResponseBytes,
    queryArrays: "comma",
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
  const call = defineCalls<PaddleApiError>({ ...policy, transport }, (body, response, attempt) =>
    PaddleApiError.fromBody(body, response, attempt.failures.some(isAmbiguous)),
  );
  // Also among the client's headers; here it wins over a call's own headers.
  const version = { header: { "Paddle-Version": paddleVersion } } as const;
  const byId = (id: string) => ({ ...version, path: { customer_id: id } });

  const customers: PaddleClient["customers"] = {
    create: (body, options = {}) =>
      call(options, { send: (init) => api.POST("/customers", { body, params: version, ...init }), read: entity, validate: validators && (() => validators.create(body)) }),
    get: (id, options = {}) => call(options, { check: () => checkId("paddle", "customer_id", id), send: (init) => api.GET("/customers/{customer_id}", { params: byId(id), ...init }), read: entity }),
    update: (id, body, options = {}) =>
      call(options, {
        check: () => checkId("paddle", "customer_id", id),
        send: (init) => api.PATCH("/customers/{customer_id}", { body, params: byId(id), ...init }),
        read: entity,
        validate: validators && (() => validators.update(body)),
      }),
    list: (query = {}, options = {}) =>
      call(options, { send: (init) => api.GET("/customers", { params: { ...version, query }, ...init }), read: page(query), validate: validators && (() => validators.listQuery(query)) }),
    iterate: (query = {}, options = {}) => iteratePages("paddle", customers.list, query, options),
  };
  return { api, customers };
}

/** Reads `{ data: customer, meta }`, the answer of create, get and update. */
function entity(body: unknown): Success<PaddleCustomer> {
  if (!isRecord(body) || !isRecord(body.data) || typeof body.data.id !== "string") throw new TypeError("no data.id");
  return { data: body.data as PaddleCustomer, requestId: isRecord(body.meta) && typeof body.meta.request_id === "string" ? body.meta.request_id : undefined };
}

/** Reads a page of `GET /customers`; `next` carries the `after` cursor of `meta.pagination.next` while `has_more`. */
const page =
  (query: PaddleCustomerListQuery) =>
  (body: unknown): Success<PaddleCustomerPage> => {
    if (!isRecord(body) || !Array.isArray(body.data) || !isRecord(body.meta) || !isRecord(body.meta.pagination)) throw new TypeError("no data[] and meta.pagination");
    const pagination = body.meta.pagination as PaddlePagination;
    const after = pagination.has_more && URL.canParse(pagination.next) ? new URL(pagination.next).searchParams.get("after") : null;
    return {
      data: { customers: body.data as PaddleCustomer[], pagination, next: after ? { ...query, after } : undefined },
      requestId: typeof body.meta.request_id === "string" ? body.meta.request_id : undefined,
    };
  };

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
