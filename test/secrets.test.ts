// Every failing path runs with recognisable secrets; none of them may appear in an error, its
// message, stack, JSON or full inspection, or in anything written to the console.
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, test, vi } from "vitest";
import { createPaddleClient, createPayPalClient, type PaymentsError } from "../src/index.js";
import { startFaultProxy, type Fault, type FaultProxy } from "./support/fault-proxy.js";

const paddleKey = "pdl_sdbx_apikey_LEAKCANARYpaddle7f3a9c";
const clientSecret = "LEAKCANARYclientsecret5b8d";
const clientId = "LEAKCANARYclientid";
const staticToken = "LEAKCANARYstatictoken";
/** The secrets, the tokens the mock issued at run time among them. */
const canaries = () => [paddleKey, clientSecret, btoa(`${clientId}:${clientSecret}`), staticToken, ...paypalProxy.issuedTokens, "LEAKCANARY"];

const faults: Fault[][] = [
  [{ kind: "reset-before" }],
  [{ kind: "reset-after" }],
  [{ kind: "status", status: 429, retryAfter: "0" }],
  [{ kind: "status", status: 500 }],
  [{ kind: "status", status: 503 }],
  [{ kind: "status", status: 401 }],
  [{ kind: "stall", ms: 600 }],
  [{ kind: "truncate" }],
  [{ kind: "html-502" }],
];

const errors: PaymentsError[] = [];
const sentAuthorizations = new Set<string>();
const written: string[] = [];
let paddleProxy: FaultProxy;
let paypalProxy: FaultProxy;

beforeAll(async () => {
  for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void written.push(inspect(args, { depth: null })));
  }
  paddleProxy = await startFaultProxy(inject("paddleMockUrl"), { provider: "paddle" });
  paypalProxy = await startFaultProxy(inject("paypalMockUrl"), { provider: "paypal" });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await Promise.all([paddleProxy.close(), paypalProxy.close()]);
});

const keep = (error: PaymentsError | undefined) => {
  expect(error).toBeDefined();
  errors.push(error!);
};

describe("failing paths, each with recognisable secrets", () => {
  let n = 0;
  beforeEach(() => {
    for (const r of [...paddleProxy.received, ...paypalProxy.received]) if (r.headers.authorization) sentAuthorizations.add(r.headers.authorization);
    paddleProxy.reset();
    paypalProxy.reset();
  });
  test.each(faults.flatMap((f) => [0, 2].map((maxRetries) => ({ f, maxRetries }))))("paddle: $f.0.kind, maxRetries $maxRetries", async ({ f, maxRetries }) => {
    paddleProxy.plan("/customers", ...f, ...f, ...f);
    const client = createPaddleClient({ baseUrl: paddleProxy.url, apiKey: paddleKey, timeoutMs: 300, retry: { maxRetries, baseDelayMs: 5 } });
    // The same email twice: the second create ends in customer_already_exists if the first got through.
    const email = `leak${++n}@example.com`;
    const results = [await client.customers.create({ email }), await client.customers.create({ email }, { maxRetries: 0 })];
    for (const r of results) if (r.error) errors.push(r.error);
    expect(results.some((r) => r.error)).toBe(true);
  });

  const paypalAuths = [
    { auth: { clientId, clientSecret }, label: "client credentials" },
    { auth: { accessToken: staticToken }, label: "static token" },
  ];
  test.each(faults.flatMap((f) => paypalAuths.map((a) => ({ f, ...a }))))("paypal create: $f.0.kind, $label", async ({ f, auth }) => {
    paypalProxy.plan("/v1/commerce/billing/customers", ...f, ...f, ...f);
    const client = createPayPalClient({ baseUrl: paypalProxy.url, auth, timeoutMs: 300, retry: { maxRetries: 2, baseDelayMs: 5 } });
    const { error } = await client.customers.create({ name: "J", external_id: "e", email: "a@b.co" }, { maxRetries: 0 });
    keep(error);
  });

  test.each(faults)("paypal token endpoint: $0.kind", async (fault) => {
    paypalProxy.plan("/v1/oauth2/token", fault, fault, fault);
    const client = createPayPalClient({ baseUrl: paypalProxy.url, auth: { clientId, clientSecret }, timeoutMs: 300, retry: { maxRetries: 0 } });
    const { error } = await client.customers.create({ name: "J", external_id: "e", email: "a@b.co" });
    keep(error);
  });

  test("paypal token endpoint: invalid_client", async () => {
    const client = createPayPalClient({
      baseUrl: paypalProxy.url,
      auth: { clientId, clientSecret },
      fetch: (input, init) => {
        const request = new Request(input, init);
        if (request.url.endsWith("/v1/oauth2/token")) request.headers.set("Prefer", "code=401");
        return fetch(request);
      },
    });
    keep((await client.customers.create({ name: "J", external_id: "e", email: "a@b.co" })).error);
  });

  test("a key the Headers API would refuse (it echoes the value) is refused at construction; a caller abort", async () => {
    try {
      createPaddleClient({ baseUrl: paddleProxy.url, apiKey: `${paddleKey}\r\nInjected: 1` });
      expect.unreachable();
    } catch (error) {
      expect((error as PaymentsError).kind).toBe("configuration");
      errors.push(error as PaymentsError);
    }
    paddleProxy.plan("/customers", { kind: "stall", ms: 2_000 });
    const client = createPaddleClient({ baseUrl: paddleProxy.url, apiKey: paddleKey });
    keep((await client.customers.create({ email: "abort@example.com" }, { signal: AbortSignal.timeout(50) })).error);
  });

  test("configuration errors", () => {
    for (const create of [
      () => createPaddleClient({ environment: "production", apiKey: paddleKey }),
      () => createPaddleClient({ baseUrl: `http://evil.example.com/${paddleKey}`, apiKey: paddleKey }),
    ]) {
      try {
        create();
      } catch (error) {
        errors.push(error as PaymentsError);
      }
    }
    expect(errors.at(-1)?.kind).toBe("configuration");
  });
});

describe("none of the secrets leaked", () => {
  test("the secrets were really sent", () => {
    const sent = [...sentAuthorizations].join("\n");
        expect(paypalProxy.issuedTokens.length).toBeGreaterThan(0);
    for (const secret of [paddleKey, btoa(`${clientId}:${clientSecret}`), staticToken, paypalProxy.issuedTokens[0]!]) expect(sent).toContain(secret);
  });

  test("every kind of failure was met", () => {
    
    expect(new Set(errors.map((e) => e.kind))).toEqual(new Set(["api", "auth", "connection", "timeout", "aborted", "unreadable", "configuration"]));
    expect(errors.length).toBeGreaterThan(50);
  });

  test("not in any error's message, stack, JSON or full inspection", () => {
    for (const error of errors) {
      const views = [error.message, String(error.stack), String(error), JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true })];
      for (const view of views) for (const canary of canaries()) expect(view, `${error.name}: ${error.message}`).not.toContain(canary);
    }
  });

  test("not in anything written to the console", () => {
    for (const line of written) for (const canary of canaries()) expect(line).not.toContain(canary);
  });
});
