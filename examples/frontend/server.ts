// The backend half of a frontend: serves the page and holds the credentials. The page's clients
// point at `/api/paddle` and `/api/paypal` and carry no secret; this server answers those routes
// with the real clients (as the README's server snippet does) and sends back the providers' own
// response shapes, so the page's clients read them as if they had called the provider.
//
// Only the routes the page uses exist: nothing else is forwarded, and no credential is ever in a
// response. `npm run example` starts it against both mocks.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import {
  createPaddleClient,
  createPayPalClient,
  isApiError,
  isValidationError,
  paddleRequestValidators,
  paypalRequestValidators,
  type PaddleClient,
  type PaddleCustomerCreate,
  type PaddleCustomerListQuery,
  type PayPalClient,
  type PayPalCustomerCreate,
  type PayPalCustomerListQuery,
  type PaymentsError,
} from "../../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));

export interface ExampleOptions {
  /** Where the server's Paddle client goes (a mock, or `environment` for the real API). */
  paddle: { baseUrl: string; apiKey: string };
  paypal: { baseUrl: string; clientId: string; clientSecret: string };
  /** 0 picks a free port. */
  port?: number;
}

export interface Example {
  url: string;
  stop(): Promise<void>;
}

/** The page's script: the clients bundled for the browser by esbuild, as a frontend build would. */
async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, "app.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

export async function startExample(options: ExampleOptions): Promise<Example> {
  const [html, script] = await Promise.all([readFile(join(here, "index.html"), "utf8"), bundlePage()]);
  const paddle = createPaddleClient({ baseUrl: options.paddle.baseUrl, apiKey: options.paddle.apiKey, validateRequests: paddleRequestValidators });
  const paypal = createPayPalClient({
    baseUrl: options.paypal.baseUrl,
    auth: { clientId: options.paypal.clientId, clientSecret: options.paypal.clientSecret },
    validateRequests: paypalRequestValidators,
  });
  const server = createServer((req, res) => {
    route(req, res, { html, script, paddle, paypal }).catch(() => send(res, 500, { error: "internal" }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

interface Context {
  html: string;
  script: string;
  paddle: PaddleClient;
  paypal: PayPalClient;
}

async function route(req: IncomingMessage, res: ServerResponse, { html, script, paddle, paypal }: Context): Promise<void> {
  const url = new URL(req.url ?? "/", "http://example.invalid");
  const at = `${req.method} ${url.pathname}`;
  if (at === "GET /") return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
  if (at === "GET /app.js") return void res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script);

  if (at === "POST /api/paddle/customers") {
    // Checked by the server's client too (validateRequests): the page is not trusted to have done it.
    const { data, error, requestId } = await paddle.customers.create((await json(req)) as PaddleCustomerCreate);
    // Paddle's own shapes: the client in the page reads them as it would read Paddle's.
    return error ? fail(res, "paddle", error) : send(res, 201, { data, meta: { request_id: requestId } });
  }
  if (at === "GET /api/paddle/customers") {
    const query: PaddleCustomerListQuery = { per_page: Number(url.searchParams.get("per_page") ?? 5) };
    const after = url.searchParams.get("after");
    if (after) query.after = after;
    const { data, error, requestId } = await paddle.customers.list(query);
    return error ? fail(res, "paddle", error) : send(res, 200, { data: data.customers, meta: { request_id: requestId, pagination: data.pagination } });
  }
  if (at === "POST /api/paypal/v1/commerce/billing/customers") {
    // The page's idempotency key travels on: a retry from the page does not create twice.
    const key = req.headers["paypal-request-id"];
    const { data, error } = await paypal.customers.create((await json(req)) as PayPalCustomerCreate, typeof key === "string" ? { paypalRequestId: key } : {});
    return error ? fail(res, "paypal", error) : send(res, 201, data);
  }
  if (at === "GET /api/paypal/v1/commerce/billing/customers") {
    const query: PayPalCustomerListQuery = { page: Number(url.searchParams.get("page") ?? 1), per_page: Number(url.searchParams.get("per_page") ?? 5) };
    const { data, error } = await paypal.customers.list(query);
    return error ? fail(res, "paypal", error) : send(res, 200, { customers: data.customers, ...(data.metadata ? { metadata: data.metadata } : {}) });
  }
  send(res, 404, { error: "not_found" });
}

/**
 * An API error goes back as the provider sent it (status and body: the page's client reads its
 * field errors from it); a body the server refused before sending, in the provider's own 400 shape;
 * anything else (the provider unreachable, a timeout) as a 502 naming only the kind.
 */
function fail(res: ServerResponse, provider: "paddle" | "paypal", error: PaymentsError): void {
  if (isApiError(error)) return send(res, error.status, error.body);
  if (isValidationError(error)) {
    return send(
      res,
      400,
      provider === "paddle"
        ? { error: { type: "request_error", code: "bad_request", detail: error.message, errors: error.fieldErrors.map(({ field, message }) => ({ field, message })) } }
        : { name: "INVALID_REQUEST", message: error.message, details: error.fieldErrors.map(({ field, issue, message }) => ({ field, issue: issue ?? "INVALID", description: message })) },
    );
  }
  send(res, 502, { error: error.kind });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** The request body as JSON, at most 64 KiB; `undefined` when it is not JSON (the server's client then refuses it). */
async function json(req: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 65_536) break;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
