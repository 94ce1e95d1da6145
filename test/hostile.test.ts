// The clients attacked as an outside auditor would: hostile servers on 127.0.0.1, bad options and
// bad input, for both providers and every path (create, the token exchange, getAccessToken).
// Whatever happens, a call resolves to a typed result, never rejects, never hangs, never crashes
// the process, never sends twice what it must not, and no credential escapes.
import { inspect } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  AbortedError,
  ConfigurationError,
  ConnectionError,
  createPaddleClient,
  createPayPalClient,
  PaddleApiError,
  PayPalApiError,
  PayPalAuthError,
  RedirectError,
  TimeoutError,
  UnreadableResponseError,
  ValidationError,
  type PaddleClient,
  type PayPalClient,
  type PaymentsError,
} from "../src/index.js";
import {
  json,
  paddleCreatePath,
  paddleCustomer,
  paypalCreatePath,
  paypalCustomer,
  startHostileServer,
  tokenAnswer,
  tokenPath,
  type Handler,
  type HostileServer,
} from "./support/hostile-server.js";
import { expectConfigurationError, expectError } from "./support/expect.js";

const paddleKey = "pdl_sdbx_apikey_HOSTILEpaddlekey0001";
const clientId = "HOSTILEclientid";
const clientSecret = "HOSTILEclientsecret42";
const basic = btoa(`${clientId}:${clientSecret}`);
const staticToken = "HOSTILEstatictoken";
const issuedToken = "HOSTILEissuedtoken";
const fast = { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 };
const paypalBody = { name: "John Doe", external_id: "ext_cust_12345", email: "abc@test.com" };

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const serve = async (handler: Handler) => (server = await startHostileServer(handler));

/** Every unhandled rejection in this file's process: there must be none. */
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
beforeAll(() => void process.on("unhandledRejection", onUnhandled));
afterAll(() => void process.off("unhandledRejection", onUnhandled));

/** A path's answer: the token endpoint always issues `issuedToken`, anything else goes to `handler`. */
const withTokens =
  (handler: Handler): Handler =>
  (request, res, req) =>
    request.path === tokenPath ? json(res, 200, tokenAnswer(issuedToken)) : handler(request, res, req);

interface Contender {
  label: string;
  provider: "paddle" | "paypal";
  path: string;
  /** A valid create's answer. */
  created: unknown;
  create(url: string, options?: Record<string, unknown>, call?: Record<string, unknown>): ReturnType<PaddleClient["customers"]["create"] | PayPalClient["customers"]["create"]>;
}

const contenders: Contender[] = [
  {
    label: "paddle",
    provider: "paddle",
    path: paddleCreatePath,
    created: paddleCustomer,
    create: (url, options = {}, call = {}) =>
      createPaddleClient({ baseUrl: url, apiKey: paddleKey, retry: fast, timeoutMs: 2_000, ...options }).customers.create({ email: "jo@example.com" }, call),
  },
  {
    label: "paypal (client credentials)",
    provider: "paypal",
    path: paypalCreatePath,
    created: paypalCustomer,
    create: (url, options = {}, call = {}) =>
      createPayPalClient({ baseUrl: url, auth: { clientId, clientSecret }, retry: fast, timeoutMs: 2_000, ...options }).customers.create(paypalBody, call),
  },
  {
    label: "paypal (static token)",
    provider: "paypal",
    path: paypalCreatePath,
    created: paypalCustomer,
    create: (url, options = {}, call = {}) =>
      createPayPalClient({ baseUrl: url, auth: { accessToken: staticToken }, retry: fast, timeoutMs: 2_000, ...options }).customers.create(paypalBody, call),
  },
];

const secrets = [paddleKey, clientSecret, basic, staticToken, issuedToken, "HOSTILE"];
/** Every view of an error a program or a log could print. */
function expectNoSecret(error: PaymentsError) {
  const views = [
    error.message,
    String(error.stack),
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: Infinity, showHidden: true }),
    JSON.stringify((error as { body?: unknown }).body ?? null),
  ];
  for (const view of views) for (const secret of secrets) expect(view, `${error.name}: ${error.message}`).not.toContain(secret);
}

describe("1. no promise is ever left unhandled", () => {
  test("a token exchange failing after the call that started it was aborted, with an async middleware", async () => {
    await serve(async (request, res, req) => {
      if (request.path === tokenPath) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        return void req.socket.destroy();
      }
      json(res, 201, paypalCustomer);
    });
    const client = createPayPalClient({ baseUrl: server!.url, auth: { clientId, clientSecret }, retry: { maxRetries: 0 } });
    client.api.use({ onRequest: () => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 60)) });
    const aborted = await client.customers.create(paypalBody, { signal: AbortSignal.timeout(20) });
    expectError(aborted, AbortedError);
    const timedOut = await client.customers.create(paypalBody, { timeoutMs: 30 });
    expect(timedOut.error?.kind).toMatch(/timeout|aborted/);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(unhandled).toEqual([]);
  });

  test("getAccessToken with an aborted signal while the exchange later fails", async () => {
    await serve(async (_request, _res, req) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      req.socket.destroy();
    });
    const client = createPayPalClient({ baseUrl: server!.url, auth: { clientId, clientSecret } });
    const first = client.getAccessToken({ signal: AbortSignal.timeout(10) });
    const second = client.getAccessToken({ signal: AbortSignal.abort() });
    expectError(await first, AbortedError as never);
    expect((await second).error).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(unhandled).toEqual([]);
  });
});

describe("2. an error envelope a little off still resolves to a typed error", () => {
  const paddleBodies: [string, unknown, "api" | "unreadable"][] = [
    ["errors not an array", { error: { type: "request_error", code: "invalid_field", detail: "bad", errors: "email" }, meta: { request_id: "r" } }, "api"],
    ["errors holding null", { error: { type: "request_error", code: "invalid_field", detail: "bad", errors: [null, { field: "email", message: "m" }] }, meta: { request_id: "r" } }, "api"],
    ["errors with a numeric field", { error: { code: "invalid_field", detail: "bad", errors: [{ field: 3, message: 4 }] }, meta: { request_id: "r" } }, "api"],
    ["no meta (as Paddle's own 429 example)", { error: { type: "request_error", code: "too_many_requests", detail: "slow down" } }, "api"],
    ["meta null, detail a number", { error: { code: "bad_request", detail: 42 }, meta: null }, "api"],
    ["error a string", { error: "nope" }, "unreadable"],
    ["null", null, "unreadable"],
    ["an array", [1, 2], "unreadable"],
  ];
  test.each(paddleBodies)("paddle: %s → %s", async (_label, body, kind) => {
    await serve((_request, res) => json(res, 400, body));
    const result = await contenders[0]!.create(server!.url);
    expect(result.error?.kind).toBe(kind);
    if (kind === "api") {
      const error = expectError(result, PaddleApiError);
      expect(error.status).toBe(400);
      expect(Array.isArray(error.fieldErrors)).toBe(true);
      for (const f of error.fieldErrors) expect(typeof f.field).toBe("string");
    }
  });

  const paypalBodies: [string, unknown, "api" | "unreadable"][] = [
    ["details a string", { name: "INVALID_REQUEST", message: "m", debug_id: "d", details: "email" }, "api"],
    ["details holding null", { name: "INVALID_REQUEST", message: "m", debug_id: "d", details: [null, { field: "/email", issue: "X" }] }, "api"],
    ["a numeric field", { name: "INVALID_REQUEST", message: "m", details: [{ field: 7, issue: "X", description: 8 }] }, "api"],
    ["details an object", { name: "INVALID_REQUEST", message: "m", details: { field: "/email" } }, "api"],
    ["debug_id a number", { name: "INVALID_REQUEST", message: "m", debug_id: 12 }, "api"],
    ["name missing", { message: "m" }, "unreadable"],
  ];
  test.each(paypalBodies)("paypal: %s → %s", async (_label, body, kind) => {
    await serve(withTokens((_request, res) => json(res, 400, body)));
    const result = await contenders[1]!.create(server!.url);
    expect(result.error?.kind).toBe(kind);
    if (kind === "api") {
      const error = expectError(result, PayPalApiError);
      for (const f of error.fieldErrors) expect(typeof f.field).toBe("string");
    }
  });

  test("paypal: details holding null keep the readable entry", async () => {
    await serve(withTokens((_request, res) => json(res, 400, paypalBodies[1]![1])));
    const error = expectError(await contenders[1]!.create(server!.url), PayPalApiError);
    expect(error.fieldErrors).toEqual([{ field: "email", message: "X", issue: "X" }]);
  });
});

describe("3. every numeric option is checked; undefined means the default", () => {
  const bad: [string, unknown][] = [
    ["NaN", Number.NaN],
    ["negative", -1],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a string", "5"],
  ];
  const timers = ["timeoutMs", "retry.baseDelayMs", "retry.maxDelayMs", "retry.maxRetryAfterMs"];
  const clientCases = [
    ...["retry.maxRetries", ...timers, "maxResponseBytes"].flatMap((option) => bad.map(([label, value]) => ({ option, label, value }))),
    { option: "retry.maxRetries", label: "not whole", value: 1.5 },
    { option: "maxResponseBytes", label: "not whole", value: 10.5 },
    ...timers.map((option) => ({ option, label: "above 2^31 - 1", value: 2 ** 31 })),
  ];
  const asOptions = (option: string, value: unknown) =>
    option.startsWith("retry.") ? { retry: { [option.slice(6)]: value } } : { [option]: value };

  test.each(clientCases)("client $option $label → ConfigurationError naming it", ({ option, value }) => {
    for (const create of [
      () => createPaddleClient({ baseUrl: "http://127.0.0.1:9", ...asOptions(option, value) } as never),
      () => createPayPalClient({ baseUrl: "http://127.0.0.1:9", ...asOptions(option, value) } as never),
    ]) {
      expectConfigurationError(create, option);
    }
  });

  const callCases = ["maxRetries", "timeoutMs"].flatMap((option) => [
    ...bad.map(([label, value]) => ({ option, label, value })),
    option === "maxRetries" ? { option, label: "not whole", value: 0.5 } : { option, label: "above 2^31 - 1", value: 2 ** 31 },
  ]);
  test.each(contenders.flatMap((c) => callCases.map((k) => ({ ...k, c }))))("$c.label: call $option $label → a ConfigurationError result, nothing sent", async ({ c, option, value }) => {
    await serve(withTokens((_request, res) => json(res, 201, c.created)));
    const result = await c.create(server!.url, {}, { [option]: value });
    expect(expectError(result, ConfigurationError).option).toBe(option);
    expect(server!.on(c.path)).toHaveLength(0);
  });

  test.each(contenders)("$label: maxRetries: undefined means the default, 2 retries, and ends", async (c) => {
    await serve(withTokens((_request, res) => json(res, 503, {})));
    const result = await c.create(server!.url, { retry: { maxRetries: undefined, baseDelayMs: 1, maxDelayMs: 2 } }, { maxRetries: undefined, timeoutMs: undefined });
    expect(result.error).toBeDefined();
    expect(server!.on(c.path)).toHaveLength(3);
  });

  test("a server gone for good: retries end, and the call resolves", async () => {
    const gone = await startHostileServer(() => {});
    const url = gone.url;
    await gone.close();
    for (const c of contenders) {
      const result = await c.create(url, { retry: { maxRetries: 3, baseDelayMs: 1 } });
      expect(expectError(result, ConnectionError).maybeDelivered).toBe(false);
    }
  });
});

describe("4. no secret in any error, even when the server echoes it", () => {
  /** Echoes every header and the body it got, in the error body, a header and (502) an HTML page. */
  const echo = (status: number, shape: "paddle" | "paypal" | "oauth" | "html"): Handler => (request, res) => {
    const echoed = `${JSON.stringify(request.headers)} ${request.body} ${request.headers.authorization}`;
    const headers = { "x-echo": String(request.headers.authorization) };
    if (shape === "html") {
      res.writeHead(status, { "content-type": "text/html", ...headers });
      return void res.end(`<html><body>${echoed}</body></html>`);
    }
    const body =
      shape === "paddle"
        ? { error: { type: "request_error", code: "forbidden", detail: echoed, errors: [{ field: echoed, message: echoed }] }, meta: { request_id: echoed } }
        : shape === "paypal"
          ? { name: "AUTHENTICATION_FAILURE", message: echoed, debug_id: echoed, details: [{ field: `/${echoed}`, issue: echoed, description: echoed }], [echoed]: echoed }
          : { error: "invalid_client", error_description: echoed };
    json(res, status, body, headers);
  };

  const cases: { label: string; run: () => Promise<{ error?: PaymentsError | undefined }> }[] = [
    { label: "paddle 403", run: () => contenders[0]!.create(server!.url) },
    { label: "paddle 502 HTML", run: () => contenders[0]!.create(server!.url) },
    { label: "paypal create 400, client credentials", run: () => contenders[1]!.create(server!.url) },
    { label: "paypal create 401, client credentials", run: () => contenders[1]!.create(server!.url) },
    { label: "paypal create 400, static token", run: () => contenders[2]!.create(server!.url) },
    { label: "paypal create 502 HTML, static token", run: () => contenders[2]!.create(server!.url) },
    { label: "token endpoint 401", run: () => contenders[1]!.create(server!.url) },
    { label: "token endpoint 500", run: () => contenders[1]!.create(server!.url) },
    { label: "getAccessToken, token endpoint 401", run: () => createPayPalClient({ baseUrl: server!.url, auth: { clientId, clientSecret } }).getAccessToken() },
    {
      label: "paypal create 400, token from a function",
      run: () => createPayPalClient({ baseUrl: server!.url, auth: { accessToken: async () => issuedToken }, retry: fast }).customers.create(paypalBody),
    },
  ];
  const handlers: Record<string, Handler> = {
    "paddle 403": echo(403, "paddle"),
    "paddle 502 HTML": echo(502, "html"),
    "paypal create 400, client credentials": withTokens(echo(400, "paypal")),
    "paypal create 401, client credentials": withTokens(echo(401, "paypal")),
    "paypal create 400, static token": echo(400, "paypal"),
    "paypal create 502 HTML, static token": echo(502, "html"),
    "token endpoint 401": echo(401, "oauth"),
    "token endpoint 500": echo(500, "paypal"),
    "getAccessToken, token endpoint 401": echo(401, "oauth"),
    "paypal create 400, token from a function": echo(400, "paypal"),
  };
  test.each(cases)("$label", async ({ label, run }) => {
    await serve(handlers[label]!);
    const { error } = await run();
    expect(error).toBeDefined();
    // The secret really went out, and came back.
    expect(server!.received.map((r) => r.headers.authorization).join(" ")).toMatch(/HOSTILE|[A-Za-z0-9+/]{20,}/);
    expectNoSecret(error!);
  });

  test("the response an error keeps is reachable, but not printed or serialised", async () => {
    await serve(echo(403, "paddle"));
    const error = expectError(await contenders[0]!.create(server!.url), PaddleApiError);
    expect(error.response.headers.get("x-echo")).toContain(paddleKey);
    expect(inspect(error, { showHidden: true, depth: Infinity })).not.toContain("x-echo");
  });

  test.each(["http://user:pass@127.0.0.1:4010", "https://:HOSTILEpassword@api.example.com", "https://HOSTILEuser@api.example.com"])(
    "a baseUrl with credentials is refused without echoing them: %s",
    (baseUrl) => {
      for (const create of [() => createPaddleClient({ baseUrl }), () => createPayPalClient({ baseUrl })]) {
        const thrown = expectConfigurationError(create, "baseUrl");
        expect(JSON.stringify(thrown) + thrown.stack).not.toMatch(/:pass@|HOSTILE/);
      }
    },
  );
});

describe("5. middleware never sees a credential", () => {
  test.each(contenders)("$label: onRequest, onResponse and onError see no Authorization; the server does", async (c) => {
    let fail = true;
    await serve(
      withTokens((_request, res, req) => {
        if (fail) {
          fail = false;
          return void req.socket.destroy();
        }
        json(res, 201, c.created);
      }),
    );
    const seen: (string | null)[] = [];
    const paths: string[] = [];
    const client =
      c.provider === "paddle"
        ? createPaddleClient({ baseUrl: server!.url, apiKey: paddleKey, retry: fast })
        : createPayPalClient({ baseUrl: server!.url, auth: c.label.includes("static") ? { accessToken: staticToken } : { clientId, clientSecret }, retry: fast });
    (client.api as PaddleClient["api"]).use({
      onRequest: ({ request }) => void seen.push(request.headers.get("authorization")),
      onResponse: ({ request }) => void (seen.push(request.headers.get("authorization")), paths.push(new URL(request.url).pathname)),
      onError: ({ request }) => void seen.push(request.headers.get("authorization")),
    });
    const created = await (client as PaddleClient).customers.create(c.provider === "paddle" ? { email: "jo@example.com" } : (paypalBody as never));
    expect(created.error).toBeUndefined();
    expect(seen).toHaveLength(4); // onRequest and onError (the dropped attempt), onRequest and onResponse (the retry)
    expect(seen.every((value) => value === null)).toBe(true);
    expect(paths).not.toContain(tokenPath); // the token exchange is not shown to middleware at all
    expect(server!.on(c.path).every((r) => /^Bearer /.test(String(r.headers.authorization)))).toBe(true);
  });
});

describe("6. middleware works as openapi-fetch documents it", () => {
  const paddleAt = (url: string) => createPaddleClient({ baseUrl: url, apiKey: paddleKey, retry: fast });
  const ok = (): Handler => (_request, res) => json(res, 201, paddleCustomer);

  test("onRequest sets a header on the request and returns it", async () => {
    await serve(ok());
    const client = paddleAt(server!.url);
    client.api.use({
      onRequest({ request }) {
        request.headers.set("X-Trace", "1");
        return request;
      },
    });
    expect((await client.customers.create({ email: "jo@example.com" })).error).toBeUndefined();
    expect(server!.received).toHaveLength(1);
    expect(server!.received[0]!.headers["x-trace"]).toBe("1");
    expect(server!.received[0]!.headers.authorization).toBe(`Bearer ${paddleKey}`);
  });

  test("onRequest returns a new Request", async () => {
    await serve(ok());
    const client = paddleAt(server!.url);
    client.api.use({ onRequest: ({ request }) => new Request(request, { headers: { ...Object.fromEntries(request.headers), "X-New": "yes" } }) });
    expect((await client.customers.create({ email: "jo@example.com" })).error).toBeUndefined();
    expect(server!.received[0]!.headers["x-new"]).toBe("yes");
    expect(JSON.parse(server!.received[0]!.body)).toEqual({ email: "jo@example.com" });
  });

  test("onRequest returns a Response: short-circuit, the server is never called", async () => {
    await serve(ok());
    const client = paddleAt(server!.url);
    client.api.use({ onRequest: () => Response.json(paddleCustomer, { status: 201 }) });
    const result = await client.customers.create({ email: "jo@example.com" });
    expect(result.data?.id).toBe(paddleCustomer.data.id);
    expect(server!.received).toHaveLength(0);
  });

  test("onResponse returns a new Response", async () => {
    await serve(ok());
    const client = paddleAt(server!.url);
    client.api.use({
      async onResponse({ response }) {
        const body = (await response.clone().json()) as typeof paddleCustomer;
        return Response.json({ ...body, data: { ...body.data, name: "From middleware" } }, { status: response.status });
      },
    });
    const result = await client.customers.create({ email: "jo@example.com" });
    expect(result.data?.name).toBe("From middleware");
  });

  test("onError turns a network failure into a Response", async () => {
    await serve((_request, _res, req) => void req.socket.destroy());
    const client = paddleAt(server!.url);
    client.api.use({ onError: () => Response.json(paddleCustomer, { status: 201 }) });
    expect((await client.customers.create({ email: "jo@example.com" })).data?.id).toBe(paddleCustomer.data.id);
  });

  test("onError returns its own Error: still a ConnectionError with it as the cause, retried", async () => {
    await serve((_request, _res, req) => void req.socket.destroy());
    const client = paddleAt(server!.url);
    client.api.use({ onError: () => new Error("replaced by middleware") });
    const error = expectError(await client.customers.create({ email: "jo@example.com" }), ConnectionError);
    expect(error.message).toContain("replaced by middleware");
    expect(server!.received).toHaveLength(3);
  });

  test("a middleware that throws: a ConfigurationError naming middleware, not retried, nothing sent", async () => {
    await serve(ok());
    const client = paddleAt(server!.url);
    let calls = 0;
    client.api.use({
      onRequest() {
        calls++;
        throw new Error("tracing is down");
      },
    });
    const error = expectError(await client.customers.create({ email: "jo@example.com" }), ConfigurationError);
    expect(error.option).toBe("middleware");
    expect(error.message).toContain("tracing is down");
    expect(calls).toBe(1);
    expect(server!.received).toHaveLength(0);
  });

  test("a middleware on one raw call (openapi-fetch's per-request middleware) gets a real Request", async () => {
    await serve(ok());
    const client = paddleAt(server!.url);
    const { response } = await client.api.POST("/customers", {
      body: { email: "jo@example.com" },
      middleware: [
        {
          onRequest({ request }) {
            request.headers.set("X-Per-Call", "1");
            return request.clone();
          },
        },
      ],
    });
    expect(response.status).toBe(201);
    expect(server!.received[0]!.headers["x-per-call"]).toBe("1");
    expect(server!.received[0]!.headers.authorization).toBe(`Bearer ${paddleKey}`);
  });

  test("a middleware's Request for another origin gets no credentials", async () => {
    await serve(ok());
    const other = await startHostileServer((_request, res) => json(res, 201, paddleCustomer));
    try {
      const client = paddleAt(server!.url);
      client.api.use({ onRequest: ({ request }) => new Request(`${other.url}/customers`, request) });
      await client.customers.create({ email: "jo@example.com" });
      expect(other.received).toHaveLength(1);
      expect(other.received[0]!.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  test("eject removes a middleware; the fast path returns", async () => {
    await serve(ok());
    const client = paddleAt(server!.url);
    const seen: string[] = [];
    const middleware = { onRequest: ({ request }: { request: Request }) => void seen.push(request.url) };
    client.api.use(middleware);
    await client.customers.create({ email: "jo@example.com" });
    client.api.eject(middleware);
    await client.customers.create({ email: "jo@example.com" });
    expect(seen).toHaveLength(1);
    expect(server!.received).toHaveLength(2);
  });
});

describe("7. redirects are not followed", () => {
  test.each(contenders.flatMap((c) => [301, 302, 303, 307, 308].map((status) => ({ c, status }))))("$c.label: $status → RedirectError, nothing re-sent", async ({ c, status }) => {
    const elsewhere = await startHostileServer((_request, res) => json(res, 201, c.created));
    try {
      await serve(withTokens((_request, res) => void (res.writeHead(status, { location: `${elsewhere.url}${c.path}` }), res.end())));
      const result = await c.create(server!.url, {}, c.provider === "paypal" ? { authAssertion: "assertion", headers: { "X-Custom": "1" } } : {});
      const error = expectError(result, RedirectError);
      expect(error.kind).toBe("redirect");
      expect(error.status).toBe(status);
      expect(error.location).toBe(`${elsewhere.url}${c.path}`);
      expect(error.message).toContain(`${elsewhere.url}${c.path}`);
      expect(elsewhere.received).toEqual([]);
      expect(server!.on(c.path)).toHaveLength(1);
    } finally {
      await elsewhere.close();
    }
  });

  test("the token endpoint redirecting: create and getAccessToken end in RedirectError", async () => {
    await serve((_request, res) => void (res.writeHead(307, { location: "http://127.0.0.1:9/token" }), res.end()));
    expectError(await contenders[1]!.create(server!.url), RedirectError);
    const token = await createPayPalClient({ baseUrl: server!.url, auth: { clientId, clientSecret } }).getAccessToken();
    expect(token.error).toBeInstanceOf(RedirectError);
  });
});

describe("8. a hung token request blocks nobody for long", () => {
  const hang: Handler = () => new Promise(() => {});

  test("with timeoutMs 0, a waiting call's own abort releases it at once; so does its own timeout", async () => {
    await serve(hang);
    const client = createPayPalClient({ baseUrl: server!.url, auth: { clientId, clientSecret }, timeoutMs: 0, retry: { maxRetries: 0 } });
    let started = performance.now();
    expectError(await client.customers.create(paypalBody, { signal: AbortSignal.timeout(50) }), AbortedError);
    expect(performance.now() - started).toBeLessThan(1_000);
    started = performance.now();
    expectError(await client.customers.create(paypalBody, { timeoutMs: 80 }), TimeoutError);
    expect(performance.now() - started).toBeLessThan(1_000);
    started = performance.now();
    expectError(await client.getAccessToken({ signal: AbortSignal.timeout(50) }), AbortedError as never);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test("the exchange has its own bounded time even when the call's timeout is off; later calls try again", async () => {
    let tokenRequests = 0;
    await serve((request, res) => {
      if (request.path !== tokenPath) return json(res, 201, paypalCustomer);
      if (++tokenRequests === 1) return new Promise(() => {});
      json(res, 200, tokenAnswer(issuedToken));
    });
    const client = createPayPalClient({ baseUrl: server!.url, auth: { clientId, clientSecret }, timeoutMs: 200, retry: { maxRetries: 0 } });
    const started = performance.now();
    const first = await client.customers.create(paypalBody, { timeoutMs: 0 });
    expectError(first, TimeoutError);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect((await client.customers.create(paypalBody)).error).toBeUndefined();
    expect(tokenRequests).toBe(2);
  });
});

describe("9. answer bodies are read with a byte cap", () => {
  /** Streams chunks of 64 KiB without end (chunked), or announces a huge length. */
  const endless =
    (status: number, announce = false): Handler =>
    (_request, res) => {
      res.writeHead(status, { "content-type": "application/json", ...(announce ? { "content-length": String(2 ** 40) } : {}) });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const write = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once("drain", write);
      };
      write();
    };
  test.each(contenders.flatMap((c) => [201, 500].flatMap((status) => [false, true].map((announce) => ({ c, status, announce })))))(
    "$c.label: an endless $status body (announced length: $announce) → UnreadableResponseError naming maxResponseBytes",
    async ({ c, status, announce }) => {
      await serve(withTokens(endless(status, announce)));
      const started = performance.now();
      const result = await c.create(server!.url, { maxResponseBytes: 256 * 1024, retry: { maxRetries: 0 } });
      const error = expectError(result, UnreadableResponseError);
      expect(error.status).toBe(status);
      expect(error.message).toContain("maxResponseBytes");
      expect(performance.now() - started).toBeLessThan(1_500);
    },
  );

  test.each(contenders.map((c) => ({ c })))(
    "$c.label: a compressed body whose announced (compressed) length is small but whose content is not → UnreadableResponseError",
    async ({ c }) => {
      // 64 MiB of spaces, gzipped to ~64 KiB: the announced length is under the cap, what fetch decodes is not.
      const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
      await serve(
        withTokens((_request, res) => {
          res.writeHead(201, { "content-type": "application/json", "content-encoding": "gzip", "content-length": String(bomb.length) });
          res.end(bomb);
        }),
      );
      const before = process.memoryUsage().rss;
      const error = expectError(await c.create(server!.url, { maxResponseBytes: 256 * 1024, retry: { maxRetries: 0 } }), UnreadableResponseError);
      expect(error.message).toContain("maxResponseBytes");
      expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
    },
  );

  test("the default cap (8 MiB) ends an endless body long before the timeout", async () => {
    await serve(endless(201));
    const before = process.memoryUsage().rss;
    const result = await contenders[0]!.create(server!.url, { timeoutMs: 20_000 });
    expect(expectError(result, UnreadableResponseError).message).toContain("8388608-byte limit");
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
  });

  test("the token endpoint's answer is capped too", async () => {
    await serve(endless(200));
    const result = await createPayPalClient({ baseUrl: server!.url, auth: { clientId, clientSecret }, maxResponseBytes: 4096 }).getAccessToken();
    expect(result.error).toBeInstanceOf(UnreadableResponseError);
  });
});

describe("10. a success body cut off by the connection is unreadable, and not retried", () => {
  const cutOff =
    (announce: boolean): Handler =>
    (request, res) => {
      const body = JSON.stringify(request.path === paddleCreatePath ? paddleCustomer : paypalCustomer);
      res.writeHead(201, { "content-type": "application/json", ...(announce ? { "content-length": String(body.length) } : {}) });
      res.write(body.slice(0, 20));
      setTimeout(() => res.destroy(), 20);
    };
  test.each(contenders.flatMap((c) => [true, false].map((announce) => ({ c, announce }))))("$c.label (announced length: $announce)", async ({ c, announce }) => {
    await serve(withTokens(cutOff(announce)));
    const error = expectError(await c.create(server!.url), UnreadableResponseError);
    expect(error.status).toBe(201);
    expect(server!.on(c.path)).toHaveLength(1);
  });

  test("a success body that stalls past the timeout: unreadable 201, not retried", async () => {
    await serve((_request, res) => {
      res.writeHead(201, { "content-type": "application/json" });
      res.write('{"data":');
    });
    const error = expectError(await contenders[0]!.create(server!.url, { timeoutMs: 150 }), UnreadableResponseError);
    expect(error.status).toBe(201);
    expect(server!.received).toHaveLength(1);
  });
});

describe("11. a path baseUrl must stay on the page's origin", () => {
  test.each(["/\\evil.example.com", "/\t/evil.example.com", "/\n/evil.example.com", "//evil.example.com", "/api\u0000", "/ /evil.example.com", "https://api.example.com/\\x"])(
    "%j is refused",
    (baseUrl) => {
      for (const create of [() => createPaddleClient({ baseUrl }), () => createPayPalClient({ baseUrl })]) {
        expect(create).toThrowError(ConfigurationError);
        expect(create).toThrowError(/baseUrl/);
      }
    },
  );
  test.each(["/api/paddle", "/api/paddle/", "/"])("%j is accepted", (baseUrl) => {
    expect(() => createPaddleClient({ baseUrl })).not.toThrow();
  });
});

describe("12. empty values are refused, never sent", () => {
  test("an empty access_token from the token endpoint is a PayPalAuthError; no create goes out", async () => {
    await serve((request, res) => (request.path === tokenPath ? json(res, 200, tokenAnswer("")) : json(res, 201, paypalCustomer)));
    const error = expectError(await contenders[1]!.create(server!.url), PayPalAuthError);
    expect(error.code).toBe("invalid_token_response");
    expect(server!.on(paypalCreatePath)).toHaveLength(0);
    const token = await createPayPalClient({ baseUrl: server!.url, auth: { clientId, clientSecret } }).getAccessToken();
    expect(token.error).toBeInstanceOf(PayPalAuthError);
  });

  test.each([[""], [" "], [undefined], [42]])("an accessToken function returning %j is a PayPalAuthError; nothing sent", async (token) => {
    await serve((_request, res) => json(res, 201, paypalCustomer));
    const client = createPayPalClient({ baseUrl: server!.url, auth: { accessToken: () => token as string } });
    expectError(await client.customers.create(paypalBody), PayPalAuthError);
    expect(server!.received).toHaveLength(0);
  });

  test("an accessToken function that throws is a PayPalAuthError with the cause", async () => {
    await serve((_request, res) => json(res, 201, paypalCustomer));
    const client = createPayPalClient({
      baseUrl: server!.url,
      auth: {
        accessToken: () => {
          throw new Error("vault down");
        },
      },
    });
    const error = expectError(await client.customers.create(paypalBody), PayPalAuthError);
    expect(String((error as { cause?: unknown }).cause)).toContain("vault down");
  });

  test.each(["paypalRequestId", "prefer", "authAssertion"])("%s: \"\" is a ConfigurationError naming it; nothing sent", async (option) => {
    await serve(withTokens((_request, res) => json(res, 201, paypalCustomer)));
    const error = expectError(await contenders[2]!.create(server!.url, {}, { [option]: "" }), ConfigurationError);
    expect(error.option).toBe(option);
    expect(server!.received).toHaveLength(0);
  });

  const badAuth: [string, unknown, string][] = [
    ["clientId and clientSecret undefined", { clientId: undefined, clientSecret: undefined }, "auth.clientId"],
    ["clientSecret missing", { clientId: "id" }, "auth.clientSecret"],
    ["clientSecret empty", { clientId: "id", clientSecret: "" }, "auth.clientSecret"],
    ["accessToken empty", { accessToken: "" }, "auth.accessToken"],
    ["an empty object", {}, "auth"],
    ["both kinds", { clientId: "id", clientSecret: "s", accessToken: "t" }, "auth"],
    ["a string", "token", "auth"],
  ];
  test.each(badAuth)("paypal auth: %s → ConfigurationError naming %s", (_label, auth, option) => {
    for (const target of [{ baseUrl: "http://127.0.0.1:9" }, { environment: "sandbox" }]) {
      expectConfigurationError(() => createPayPalClient({ ...target, auth } as never), option);
    }
  });

  test.each([[""], ["  "], [null]])("paddle apiKey %j → ConfigurationError naming apiKey", (apiKey) => {
    expect(() => createPaddleClient({ baseUrl: "http://127.0.0.1:9", apiKey: apiKey as string })).toThrowError(/apiKey/);
    expect(() => createPaddleClient({ environment: "sandbox", apiKey: apiKey as string })).toThrowError(/apiKey/);
  });
});

describe("13. the caller's own mistakes are named, not retried, and nothing is sent", () => {
  const badHeaders: [string, Record<string, string>, string][] = [
    ["CR/LF in a value", { "X-Trace": "1\r\nInjected: yes" }, 'headers["X-Trace"]'],
    ["non-ASCII in a value", { "X-Name": "Zoë" }, 'headers["X-Name"]'],
    ["an invalid name", { "X Bad": "1" }, "headers"],
  ];
  test.each(contenders.flatMap((c) => badHeaders.map(([label, headers, option]) => ({ c, label, headers, option }))))(
    "$c.label: call headers with $label → ConfigurationError $option",
    async ({ c, headers, option }) => {
      await serve(withTokens((_request, res) => json(res, 201, c.created)));
      const error = expectError(await c.create(server!.url, {}, { headers }), ConfigurationError);
      expect(error.option).toBe(option);
      expect(server!.on(c.path)).toHaveLength(0);
    },
  );

  test.each(badHeaders)("client headers with %s → thrown at construction", (_label, headers, option) => {
    expect(() => createPaddleClient({ baseUrl: "http://127.0.0.1:9", headers })).toThrowError(option);
    expect(() => createPayPalClient({ baseUrl: "http://127.0.0.1:9", headers })).toThrowError(ConfigurationError);
  });

  const circular: Record<string, unknown> = { email: "jo@example.com" };
  circular.self = circular;
  const bodies: [string, unknown][] = [
    ["a circular object", circular],
    ["a BigInt", { email: "jo@example.com", custom_data: { n: 10n } }],
  ];
  test.each(contenders.flatMap((c) => bodies.map(([label, body]) => ({ c, label, body }))))("$c.label: a body with $label → ValidationError, nothing sent", async ({ c, body }) => {
    await serve(withTokens((_request, res) => json(res, 201, c.created)));
    const client =
      c.provider === "paddle"
        ? createPaddleClient({ baseUrl: server!.url, apiKey: paddleKey })
        : createPayPalClient({ baseUrl: server!.url, auth: { accessToken: staticToken } });
    const error = expectError(await (client as PaddleClient).customers.create(body as never), ValidationError);
    expect(error.message).toMatch(/JSON/);
    expect(server!.on(c.path)).toHaveLength(0);
  });
});

describe("14. smaller holes", () => {
  test.each(contenders)("$label: a non-standard status (999) is not retried", async (c) => {
    await serve(withTokens((_request, res) => json(res, 999, {})));
    const result = await c.create(server!.url);
    expect(result.error?.kind).toBe("unreadable");
    expect(server!.on(c.path)).toHaveLength(1);
  });

  test.each([" pdl_sdbx_apikey_x", "pdl_sdbx_apikey_x\n", "\tpdl_live_apikey_x"])("a key with surrounding whitespace (%j) is refused", (apiKey) => {
    expect(() => createPaddleClient({ environment: "production", apiKey })).toThrowError(/apiKey: holds whitespace/);
    expect(() => createPaddleClient({ environment: "sandbox", apiKey })).toThrowError(/apiKey: holds whitespace/);
  });

  test("the browser guard covers Web Workers (importScripts) and a bare document", () => {
    const g = globalThis as { importScripts?: unknown; document?: unknown };
    for (const [key, value] of [
      ["importScripts", () => {}],
      ["document", {}],
    ] as const) {
      (g as Record<string, unknown>)[key] = value;
      try {
        expect(() => createPaddleClient({ environment: "sandbox", apiKey: "pdl_sdbx_apikey_x" })).toThrowError(/dangerouslyAllowBrowser/);
        expect(() => createPayPalClient({ environment: "sandbox", auth: { clientId: "id", clientSecret: "secret" } })).toThrowError(/auth.clientSecret/);
        expect(() => createPaddleClient({ baseUrl: "/api/paddle" })).not.toThrow();
      } finally {
        delete (g as Record<string, unknown>)[key];
      }
    }
  });
});
