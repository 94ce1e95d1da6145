// Starts a Prism mock for one provider's spec, fronted by a small HTTP layer that makes Prism's
// answers to invalid requests look like the real API's (see openapi/README.md, "Mock vs real API").
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export type Provider = "paddle" | "paypal";
export const providers: readonly Provider[] = ["paddle", "paypal"];

/** Where `npm run mock` / `npm start` serve each mock, and the variable that moves it. */
export const mockPortSettings: Record<Provider, { variable: string; port: number }> = {
  paddle: { variable: "PADDLE_MOCK_PORT", port: 4010 },
  paypal: { variable: "PAYPAL_MOCK_PORT", port: 4011 },
};

export function mockPortsFromEnv(): Record<Provider, number> {
  const port = (p: Provider) => Number(process.env[mockPortSettings[p].variable] ?? mockPortSettings[p].port);
  return { paddle: port("paddle"), paypal: port("paypal") };
}

export interface MockServer {
  provider: Provider;
  /** Base URL of the mock, e.g. `http://127.0.0.1:4010`. */
  url: string;
  stop(): Promise<void>;
}

export interface StartMockOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** How long to wait for Prism to answer, in milliseconds. */
  startTimeoutMs?: number;
}

/** Mocks always listen on loopback only. */
const host = "127.0.0.1";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const prismBin = join(
  dirname(createRequire(import.meta.url).resolve("@stoplight/prism-cli/package.json")),
  "dist/index.js",
);

/** One rule Prism reported as broken, from its `sl-violations` header. */
interface Violation {
  location: (string | number)[];
  severity: string;
  code: string | number;
  message: string;
}

interface Rewrite {
  status: number;
  body: unknown;
}

export async function startMock(provider: Provider, options: StartMockOptions = {}): Promise<MockServer> {
  const prismPort = await freePort();
  const prism = spawn(
    process.execPath,
    [prismBin, "mock", "--host", host, "--port", String(prismPort), join(root, "openapi", `${provider}.yaml`)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(chunk.toString());
  prism.stdout!.on("data", keep);
  prism.stderr!.on("data", keep);
  const killPrism = () => prism.kill("SIGKILL");
  process.once("exit", killPrism);

  const front = createServer((req, res) => forward(provider, prismPort, req, res));
  try {
    await waitUntilAnswering(prism, prismPort, options.startTimeoutMs ?? 30_000, output);
    await new Promise<void>((resolve, reject) => {
      front.once("error", reject);
      front.listen(options.port ?? 0, host, resolve);
    });
  } catch (error) {
    process.off("exit", killPrism);
    await stopChild(prism);
    front.close();
    throw error;
  }
  const { port } = front.address() as AddressInfo;
  return {
    provider,
    url: `http://${host}:${port}`,
    async stop() {
      process.off("exit", killPrism);
      front.closeAllConnections();
      await Promise.all([new Promise((resolve) => front.close(resolve)), stopChild(prism)]);
    },
  };
}

/** Starts both mocks in parallel; if either fails, stops the other and throws. */
export async function startMocks(ports: Partial<Record<Provider, number>> = {}): Promise<Record<Provider, MockServer>> {
  const started = await Promise.allSettled(providers.map((p) => startMock(p, { port: ports[p] ?? 0 })));
  const mocks = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failure = started.find((s) => s.status === "rejected");
  if (failure) {
    await Promise.all(mocks.map((m) => m.stop()));
    throw failure.reason;
  }
  return Object.fromEntries(mocks.map((m) => [m.provider, m])) as Record<Provider, MockServer>;
}

export async function stopMocks(mocks: Record<Provider, MockServer>): Promise<void> {
  await Promise.all(Object.values(mocks).map((m) => m.stop()));
}

function forward(provider: Provider, prismPort: number, req: IncomingMessage, res: ServerResponse) {
  const upstream = httpRequest(
    { host, port: prismPort, method: req.method, path: req.url, headers: req.headers },
    async (answer) => {
      const chunks: Buffer[] = [];
      for await (const chunk of answer) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks);
      const headers = { ...answer.headers };
      const rewrite = translate(provider, req, answer.statusCode ?? 500, headers, raw);
      const body = rewrite ? Buffer.from(JSON.stringify(rewrite.body)) : raw;
      delete headers["transfer-encoding"];
      headers["content-length"] = String(body.length);
      if (rewrite) headers["content-type"] = "application/json";
      res.writeHead(rewrite?.status ?? answer.statusCode ?? 500, headers);
      res.end(body);
    },
  );
  upstream.on("error", (error) => {
    res.writeHead(502, { "content-type": "text/plain" });
    res.end(`mock front: Prism did not answer: ${error.message}`);
  });
  req.pipe(upstream);
}

/** Rewrites Prism's answer to an invalid request into the provider's own error; undefined keeps it. */
function translate(
  provider: Provider,
  req: IncomingMessage,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  raw: Buffer,
): Rewrite | undefined {
  const invalidJson = status === 400 && raw.toString().includes('"code":"invalid_json"') && !headers["sl-violations"];
  const violations: Violation[] = headers["sl-violations"]
    ? (JSON.parse(String(headers["sl-violations"])) as Violation[]).filter((v) => v.severity === "Error")
    : [];
  const isToken = req.url?.startsWith("/v1/oauth2/token") ?? false;

  if (provider === "paddle") {
    if (invalidJson) return { status: 400, body: paddleError("invalid_json", "Invalid JSON request body.") };
    if (status === 401 && violations.some((v) => v.code === 401)) {
      // Paddle answers 403 for a missing or malformed API key; Prism answers 401.
      const sent = req.headers.authorization;
      return sent
        ? { status: 403, body: paddleError("authentication_malformed", "Authentication header included, but incorrectly formatted.") }
        : { status: 403, body: paddleError("authentication_missing", "Authentication header missing.") };
    }
    if ((status === 400 || status === 422) && violations.length > 0) {
      const errors = violations.map((v) => ({ field: fieldPath(v, "."), message: ruleMessage(v) }));
      return { status: 400, body: paddleError("invalid_field", "Request does not pass validation.", { errors }) };
    }
    return undefined;
  }

  if (isToken) {
    if ((status === 400 || status === 422) && violations.length > 0) {
      // The form's only field is grant_type, so a missing body or any body violation is about it.
      const grant = violations.every((v) => v.location[1] !== "header");
      return {
        status: 400,
        body: grant
          ? { error: "unsupported_grant_type", error_description: "Grant Type is NULL or not supported" }
          : { error: "invalid_request", error_description: violations.map(describe).join("; ") },
      };
    }
    return undefined;
  }
  if (invalidJson) {
    return {
      status: 400,
      body: paypalError("INVALID_REQUEST", invalidRequest, [
        { location: "body", issue: "MALFORMED_REQUEST_JSON", description: "The request JSON is not well formed." },
      ]),
    };
  }
  // Prism prefers the spec's 422 for an invalid body; PayPal answers schema violations with 400.
  if ((status === 400 || status === 422) && violations.length > 0) {
    return {
      status: 400,
      body: paypalError(
        "INVALID_REQUEST",
        invalidRequest,
        violations.map((v) => ({
          field: fieldPath(v, "/", "/"),
          location: String(v.location[1] ?? "body"),
          issue: paypalIssue(v.code),
          description: describe(v),
        })),
      ),
    };
  }
  return undefined;
}

/** Paddle's error envelope, with a fresh request id (also used by the tests' fault proxy). */
export function paddleError(
  code: string,
  detail: string,
  { type = "request_error", errors }: { type?: "request_error" | "api_error"; errors?: { field: string; message: string }[] } = {},
) {
  return {
    error: {
      type,
      code,
      detail,
      documentation_url: `https://developer.paddle.com/errors/${code.startsWith("customer_") ? "customers" : "shared"}/${code}`,
      ...(errors ? { errors } : {}),
    },
    meta: { request_id: randomUUID() },
  };
}

/** PayPal's error envelope, with a fresh debug id (also used by the tests' fault proxy). */
export function paypalError(name: string, message: string, details?: object[]) {
  return {
    name,
    message,
    debug_id: randomUUID().replaceAll("-", "").slice(0, 13),
    ...(details ? { details } : {}),
    links: [{ href: "https://developer.paypal.com/docs/api/overview/#error", rel: "information_link" }],
  };
}

const invalidRequest = "Request is not well-formed, syntactically incorrect, or violates schema.";

/** The offending field: the violation's location below body/header, plus the property a `required` rule names. */
function fieldPath(v: Violation, separator: string, prefix = ""): string {
  const parts = v.location.slice(2).map(String);
  const named = /required property '([^']+)'/.exec(v.message) ?? /found '([^']+)'/.exec(v.message);
  if (named) parts.push(named[1]!);
  return prefix + parts.join(separator);
}

/** Prism's message without its "Request body property x.y " lead-in. */
function ruleMessage(v: Violation): string {
  return v.message.replace(/^Request (body|header parameter|query parameter)( property [^ ]+)? /, "");
}

function describe(v: Violation): string {
  const field = v.location.slice(2).join(".");
  return field ? `${field} ${ruleMessage(v)}` : ruleMessage(v);
}

function paypalIssue(code: string | number): string {
  switch (code) {
    case "required":
      return "MISSING_REQUIRED_PARAMETER";
    case "minLength":
    case "maxLength":
      return "INVALID_STRING_LENGTH";
    case "enum":
    case "const":
      return "INVALID_PARAMETER_VALUE";
    case "additionalProperties":
      return "UNKNOWN_FIELD";
    default:
      return "INVALID_PARAMETER_SYNTAX";
  }
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntilAnswering(child: ChildProcess, port: number, timeoutMs: number, output: string[]) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once("exit", () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`Prism exited before answering on ${host}:${port}:\n${output.join("")}`);
    try {
      await fetch(`http://${host}:${port}/`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`Prism did not answer on ${host}:${port} within ${timeoutMs} ms:\n${output.join("")}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
