// A fault-injecting HTTP proxy on 127.0.0.1 in front of a Prism mock: real sockets, real resets.
// Each request to a path takes the next planned fault for that path, or is forwarded unchanged.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { paddleError, paypalError } from "../../scripts/mock-server.js";

export type Fault =
  /** Destroy the connection without forwarding: the provider never sees the request. */
  | { kind: "reset-before" }
  /** Forward, then destroy the connection instead of answering: the provider acted, the client cannot know. */
  | { kind: "reset-after" }
  /** Answer this status without forwarding, with the provider's error body. */
  | { kind: "status"; status: number; retryAfter?: string }
  /** Forward, then hold the answer for `ms` before sending it. */
  | { kind: "stall"; ms: number }
  /** Forward, then send only the first half of the JSON body (with a matching Content-Length). */
  | { kind: "truncate" }
  /** Answer 502 with an HTML page, as a load balancer does. */
  | { kind: "html-502" };

export interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FaultProxyOptions {
  provider: "paddle" | "paypal";
  /** PayPal: rewrite `expires_in` of issued tokens (the mock still honours the token for its own lifetime). */
  tokenLifetimeSeconds?: number;
  /** PayPal: strip `PayPal-Request-Id` before forwarding, as an API that ignores the header would. */
  dropRequestId?: boolean;
}

export interface FaultProxy {
  url: string;
  /** The next requests to `path` meet these faults, in order. */
  plan(path: string, ...faults: Fault[]): void;
  /** Every request the proxy received. */
  received: Seen[];
  /** Every request that reached the mock. */
  forwarded: Seen[];
  /** Forgets planned faults and what was seen. */
  reset(): void;
  /** PayPal: from now on, the current token is answered with 401, as an expired token is. */
  expireToken(): void;
  /** PayPal: every access token the token endpoint issued through this proxy, in order. */
  issuedTokens: string[];
  /** PayPal: called before each create is forwarded (after the token check). */
  onCreate?: (count: number) => void;
  close(): Promise<void>;
}

const paddleErrors: Record<number, { type: "request_error" | "api_error"; code: string; detail: string }> = {
  401: { type: "request_error", code: "invalid_access_token", detail: "Access token is expired or invalid." },
  429: { type: "request_error", code: "too_many_requests", detail: "IP address exceeded the allowed rate limit." },
  500: { type: "api_error", code: "internal_error", detail: "Problem processing your request. The Paddle team has been notified." },
  503: { type: "api_error", code: "service_unavailable", detail: "Endpoint is down temporarily and can't process your request. The Paddle team has been notified." },
};
const paypalNames: Record<number, string> = {
  401: "AUTHENTICATION_FAILURE",
  429: "RATE_LIMIT_REACHED",
  500: "INTERNAL_SERVER_ERROR",
  503: "SERVICE_UNAVAILABLE",
};

function errorBody(provider: FaultProxyOptions["provider"], status: number): object {
  if (provider === "paddle") {
    const { type, code, detail } = paddleErrors[status] ?? { type: "api_error", code: "internal_error", detail: "error" };
    return paddleError(code, detail, { type });
  }
  return paypalError(paypalNames[status] ?? "INTERNAL_SERVER_ERROR", `HTTP ${status}`);
}

export async function startFaultProxy(target: string, options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(target);
  const plans = new Map<string, Fault[]>();
  const sockets = new Set<Socket>();
  let validToken: string | undefined;
  const expired = new Set<string>();
  let creates = 0;

  const proxy: FaultProxy = {
    url: "",
    received: [],
    forwarded: [],
    issuedTokens: [],
    plan(path, ...faults) {
      plans.set(path, [...(plans.get(path) ?? []), ...faults]);
    },
    expireToken() {
      if (validToken) expired.add(validToken);
    },
    reset() {
      plans.clear();
      proxy.received.length = 0;
      proxy.forwarded.length = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        async (answer) => {
          const chunks: Buffer[] = [];
          for await (const chunk of answer) chunks.push(chunk as Buffer);
          resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) });
        },
      );
      out.on("error", reject);
      out.end(body);
    });

  const send = (res: ServerResponse, status: number, headers: IncomingHttpHeaders, body: Buffer) => {
    const clean = { ...headers };
    delete clean["transfer-encoding"];
    delete clean["content-length"];
    res.writeHead(status, { ...clean, "content-length": String(body.length) });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, value: object, extra: Record<string, string> = {}) =>
    send(res, status, { "content-type": "application/json", ...extra }, Buffer.from(JSON.stringify(value)));

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const seen: Seen = { path, headers: req.headers, body: body.toString() };
    proxy.received.push(seen);
    const fault = plans.get(path)?.shift();

    if (fault?.kind === "reset-before") return req.socket.destroy();
    if (fault?.kind === "status") {
      return json(res, fault.status, errorBody(options.provider, fault.status), fault.retryAfter ? { "retry-after": fault.retryAfter } : {});
    }
    if (fault?.kind === "html-502") {
      return send(res, 502, { "content-type": "text/html" }, Buffer.from("<html><body><h1>502 Bad Gateway</h1></body></html>"));
    }

    if (options.provider === "paypal" && path === "/v1/commerce/billing/customers") {
      const token = req.headers.authorization?.replace(/^Bearer /, "");
      if (token && expired.has(token)) return json(res, 401, errorBody("paypal", 401));
      proxy.onCreate?.(++creates);
      if (options.dropRequestId) delete req.headers["paypal-request-id"];
    }

    proxy.forwarded.push(seen);
    let answer: Awaited<ReturnType<typeof forward>>;
    try {
      answer = await forward(req, body);
    } catch {
      return req.socket.destroy();
    }
    if (path === "/v1/oauth2/token" && answer.status === 200) {
      const token = JSON.parse(answer.body.toString()) as { access_token: string; expires_in: number };
      proxy.issuedTokens.push((validToken = token.access_token));
      if (options.tokenLifetimeSeconds !== undefined) {
        token.expires_in = options.tokenLifetimeSeconds;
        answer.body = Buffer.from(JSON.stringify(token));
      }
    }

    if (fault?.kind === "reset-after") return req.socket.destroy();
    if (fault?.kind === "stall") await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === "truncate") answer.body = answer.body.subarray(0, Math.floor(answer.body.length / 2));
    if (res.destroyed || req.socket.destroyed) return;
    send(res, answer.status, answer.headers, answer.body);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
