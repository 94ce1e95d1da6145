import { createServer, type AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import { expectConfigurationError } from "./support/expect.js";
import { ConfigurationError, ConnectionError, createPaddleClient, createPayPalClient, UnreadableResponseError } from "../src/index.js";

describe("client configuration is checked before any request", () => {
  const cases: [string, () => unknown, string][] = [
    ["paddle: no environment and no baseUrl", () => createPaddleClient({} as never), "environment"],
    ["paddle: both environment and baseUrl", () => createPaddleClient({ environment: "sandbox", baseUrl: "http://127.0.0.1:1", apiKey: "k" } as never), "environment"],
    ["paddle: an unknown environment", () => createPaddleClient({ environment: "staging", apiKey: "k" } as never), "environment"],
    ["paddle: an environment without an API key", () => createPaddleClient({ environment: "production" } as never), "apiKey"],
    ["paddle: a baseUrl that is not a URL", () => createPaddleClient({ baseUrl: "api.paddle.com" }), "baseUrl"],
    ["paypal: no environment and no baseUrl", () => createPayPalClient({} as never), "environment"],
    ["paypal: an environment without auth", () => createPayPalClient({ environment: "sandbox" } as never), "auth"],
  ];
  test.each(cases)("%s", (_, create, option) => {
    expectConfigurationError(create, option);
  });

  test("an environment resolves to the provider's server", async () => {
    const urls: string[] = [];
    const fetch = async (input: string | URL | Request, init?: RequestInit) => (urls.push(new Request(input, init).url), new Response(null, { status: 503 }));
    await createPaddleClient({ environment: "sandbox", apiKey: "pdl_sdbx_apikey_x", fetch, retry: { maxRetries: 0 } }).customers.create({ email: "a@b.co" });
    await createPayPalClient({ environment: "production", auth: { accessToken: "t" }, fetch, retry: { maxRetries: 0 } }).customers.create({
      name: "n",
      external_id: "e",
      email: "a@b.co",
    });
    expect(urls).toEqual(["https://sandbox-api.paddle.com/customers", "https://api-m.paypal.com/v1/commerce/billing/customers"]);
  });
});

describe("failures without an API error body", () => {
  test("a refused connection is a ConnectionError", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const client = createPaddleClient({ baseUrl: `http://127.0.0.1:${port}`, retry: { maxRetries: 0 } });
    const { error } = await client.customers.create({ email: "a@b.co" });
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error!.kind).toBe("connection");
    expect(error!.message).toContain("ECONNREFUSED");
  });

  test("an HTML error page or a cut-off JSON body is an UnreadableResponseError", async () => {
    const answers = [
      new Response("<html><body>502 Bad Gateway</body></html>", { status: 502, headers: { "content-type": "text/html" } }),
      new Response('{"data":{"id":"ctm_01', { status: 201, headers: { "content-type": "application/json" } }),
    ];
    const client = createPaddleClient({ baseUrl: "http://127.0.0.1:9", fetch: async () => answers.shift()!, retry: { maxRetries: 0 } });
    for (const status of [502, 201]) {
      const { error } = await client.customers.create({ email: "a@b.co" });
      expect(error).toBeInstanceOf(UnreadableResponseError);
      expect((error as UnreadableResponseError).status).toBe(status);
    }
  });
});

describe("paddle keys are checked against the environment before any request", () => {
  test("a sandbox key aimed at production is refused, saying so, without echoing the key", () => {
    const key = "pdl_sdbx_apikey_01hvsecretsecretsecret";
    expect(() => createPaddleClient({ environment: "production", apiKey: key })).toThrowError(
      /apiKey: is a sandbox key \(pdl_sdbx_…\) but environment is "production"/,
    );
    try {
      createPaddleClient({ environment: "production", apiKey: key });
    } catch (error) {
      expect(JSON.stringify(error)).not.toContain("secret");
      expect(String((error as Error).stack)).not.toContain("secret");
    }
  });

  test("a live key aimed at the sandbox is refused", () => {
    expect(() => createPaddleClient({ environment: "sandbox", apiKey: "pdl_live_apikey_01hvx" })).toThrowError(
      /is a production key \(pdl_live_…\) but environment is "sandbox"/,
    );
  });

  test("matching keys are accepted", () => {
    expect(() => createPaddleClient({ environment: "sandbox", apiKey: "pdl_sdbx_apikey_01hvx" })).not.toThrow();
    expect(() => createPaddleClient({ environment: "production", apiKey: "pdl_live_apikey_01hvx" })).not.toThrow();
  });
});

describe("baseUrl must be HTTPS unless it is loopback", () => {
  test.each(["http://api.example.com", "http://10.0.0.5:4010", "ftp://127.0.0.1"])("%s is refused", (baseUrl) => {
    expect(() => createPaddleClient({ baseUrl })).toThrowError(ConfigurationError);
    expect(() => createPayPalClient({ baseUrl })).toThrowError(/baseUrl: must use https/);
  });
  test.each(["https://payments.example.com/paddle", "http://127.0.0.1:4010", "http://localhost:4010", "http://[::1]:4010", "/api/paddle"])(
    "%s is accepted",
    (baseUrl) => {
      expect(() => createPaddleClient({ baseUrl })).not.toThrow();
    },
  );
});

describe("a secret is refused in a browser unless the caller opts in", () => {
  const g = globalThis as { window?: unknown };
  const inBrowser = (run: () => void) => {
    g.window = { document: {} };
    try {
      run();
    } finally {
      delete g.window;
    }
  };

  test("Paddle API key and PayPal client secret throw, naming the option and the way out", () => {
    inBrowser(() => {
      expect(() => createPaddleClient({ environment: "sandbox", apiKey: "pdl_sdbx_apikey_x" })).toThrowError(
        /apiKey: a secret in a browser .* dangerouslyAllowBrowser/,
      );
      expect(() => createPayPalClient({ environment: "sandbox", auth: { clientId: "id", clientSecret: "secret" } })).toThrowError(
        /auth.clientSecret: a secret in a browser/,
      );
    });
  });

  test("no secret (a baseUrl to the frontend's own backend), or the explicit opt-in, is allowed", () => {
    inBrowser(() => {
      expect(() => createPaddleClient({ baseUrl: "/api/paddle" })).not.toThrow();
      expect(() => createPayPalClient({ baseUrl: "https://shop.example.com/api/paypal" })).not.toThrow();
      expect(() =>
        createPaddleClient({ environment: "sandbox", apiKey: "pdl_sdbx_apikey_x", dangerouslyAllowBrowser: true }),
      ).not.toThrow();
    });
  });
});
