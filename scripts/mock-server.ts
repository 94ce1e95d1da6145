// Starts a Prism mock for one provider's spec, fronted by a small HTTP layer that makes Prism's
// answers to invalid requests look like the real API's (see openapi/README.md, "Mock vs real API").
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { adminPaths, paddleBehaviour, paypalBehaviour, type FrontAnswer, type FrontRequest, type MockBehaviour, type MockStateOptions } from "./mock-state.js";
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
  /** The process id of the Prism behind the front (it changes when a dead Prism is started again). */
  prismPid(): number | undefined;
  stop(): Promise<void>;
}

export interface StartMockOptions extends MockStateOptions {
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

/**
 * How many requests the front lets through to one Prism at a time; the rest wait in line. Prism is
 * one Node process: hundreds of concurrent requests on a busy 2-core machine made it drop
 * connections, which the tests then saw as the mock failing.
 */
const prismConcurrency = 8;
/** How often the front tries Prism for one request before answering 502. */
const prismAttempts = 3;

export async function startMock(provider: Provider, options: StartMockOptions = {}): Promise<MockServer> {
  const prism = await supervisePrism(provider, options.startTimeoutMs ?? 30_000);
  const agent = new Agent({ keepAlive: true, maxSockets: prismConcurrency });
  const behaviour = provider === "paddle" ? paddleBehaviour(paddleError) : paypalBehaviour(paypalError, options);
  const front = createServer((req, res) => void forward(provider, prism, agent, behaviour, req, res));
  try {
    await new Promise<void>((resolve, reject) => {
      front.once("error", reject);
      front.listen(options.port ?? 0, host, resolve);
    });
  } catch (error) {
    await prism.stop();
    throw error;
  }
  const { port } = front.address() as AddressInfo;
  return {
    provider,
    url: `http://${host}:${port}`,
    prismPid: () => prism.pid(),
    async stop() {
      front.closeAllConnections();
      agent.destroy();
      await Promise.all([new Promise((resolve) => front.close(resolve)), prism.stop()]);
    },
  };
}

/** A Prism process that is started again, on the same port, if it dies while the mock runs. */
interface SupervisedPrism {
  port: number;
  /** Resolves when Prism answers (at once, unless it is being restarted). */
  ready(): Promise<void>;
  pid(): number | undefined;
  stop(): Promise<void>;
}

async function supervisePrism(provider: Provider, startTimeoutMs: number): Promise<SupervisedPrism> {
  const port = await freePort();
  const output: string[] = [];
  let child: ChildProcess;
  let ready: Promise<void>;
  let stopping = false;
  const killPrism = () => child.kill("SIGKILL");
  process.once("exit", killPrism);

  const start = () => {
    child = spawn(process.execPath, [prismBin, "mock", "--host", host, "--port", String(port), join(root, "openapi", `${provider}.yaml`)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 200) output.splice(0, output.length - 200);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    child.once("exit", (code, signal) => {
      if (stopping) return;
      console.error(`${provider} mock: Prism exited (${signal ?? code}); starting it again on ${host}:${port}`);
      start();
    });
    ready = waitUntilAnswering(child, port, startTimeoutMs, output);
    // A failed restart is reported to the requests waiting on it (as a 502), never left unhandled.
    ready.catch(() => {});
  };
  start();
  try {
    await ready!;
  } catch (error) {
    stopping = true;
    process.off("exit", killPrism);
    await stopChild(child!);
    throw error;
  }
  return {
    port,
    ready: () => ready,
    pid: () => child.pid,
    async stop() {
      stopping = true;
      process.off("exit", killPrism);
      await stopChild(child);
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

async function forward(provider: Provider, prism: SupervisedPrism, agent: Agent, behaviour: MockBehaviour, req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    return void req.socket.destroy();
  }
  const request: FrontRequest = {
    method: req.method ?? "GET",
    path: new URL(req.url ?? "/", "http://mock").pathname,
    query: new URL(req.url ?? "/", "http://mock").searchParams,
    headers: { ...req.headers },
    body: Buffer.concat(chunks),
  };
  behaviour.prepare?.(request);
  if (request.method === "POST" && request.path === adminPaths.reset) {
    behaviour.reset(request);
    return void reply(res, { status: 204 });
  }
  const early = behaviour.before?.(request);
  if (early) return void reply(res, early);

  let failure: unknown;
  for (let attempt = 1; attempt <= prismAttempts; attempt++) {
    try {
      await prism.ready();
      const answer = await askPrism(prism.port, agent, req.url ?? "/", request);
      const headers = { ...answer.headers };
      const rewrite = translate(provider, req, answer.status, headers, answer.body);
      // Prism's own headers stay (its `sl-violations` list among them), around the provider's body.
      if (rewrite) return void reply(res, { status: rewrite.status, body: rewrite.body, headers: passOn(headers) });
      // Prism accepted the request: the answer comes from what the mock remembers, where it keeps state.
      const stateful = answer.status >= 200 && answer.status <= 299 ? behaviour.after?.(request, answer.status) : undefined;
      if (stateful) return void reply(res, stateful);
      if (res.headersSent || res.destroyed) return;
      res.writeHead(answer.status, { ...passOn(headers), "content-length": String(answer.body.length) });
      return void res.end(answer.body);
    } catch (error) {
      // Prism is stateless: asking it again is harmless. A dead Prism is being restarted meanwhile.
      failure = error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
  // The mock's own message, in the provider's error envelope, so a client shows it as it is.
  const message = `mock front: Prism did not answer after ${prismAttempts} tries (${(failure as Error)?.message ?? failure})`;
  reply(res, {
    status: 502,
    body: provider === "paddle" ? paddleError("mock_unavailable", message, { type: "api_error" }) : paypalError("MOCK_UNAVAILABLE", message),
  });
}

/** Prism's answer headers, without those that describe its connection or its own body's length. */
function passOn(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || ["transfer-encoding", "connection", "keep-alive", "content-length"].includes(name)) continue;
    kept[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return kept;
}

/**
 * Sends an answer the front made itself (JSON, with a length), unless the client is gone. It carries
 * the CORS headers Prism adds to its own answers, so that a page on another origin can read it.
 */
function reply(res: ServerResponse, { status, body, headers = {} }: FrontAnswer) {
  if (res.headersSent || res.destroyed) return;
  const origin = res.req.headers.origin;
  const cors = {
    "access-control-allow-origin": origin ?? "*",
    "access-control-allow-headers": "*",
    "access-control-allow-credentials": "true",
    "access-control-expose-headers": "*",
  };
  if (body === undefined) return void res.writeHead(status, { ...cors, ...headers }).end();
  const text = JSON.stringify(body);
  res.writeHead(status, { ...cors, ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

function askPrism(port: number, agent: Agent, url: string, request: FrontRequest): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...request.headers, "content-length": String(request.body.length) };
    delete headers["transfer-encoding"];
    delete headers.connection;
    const upstream = httpRequest({ host, port, method: request.method, path: url, headers, agent }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk));
      answer.on("end", () => resolve({ status: answer.statusCode ?? 500, headers: answer.headers, body: Buffer.concat(chunks) }));
      answer.on("error", reject);
    });
    upstream.on("error", reject);
    upstream.end(request.body);
  });
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
    if (invalidJson) return { status: 400, body: paddleError("invalid_json", "Invalid JSON in your request.") };
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
