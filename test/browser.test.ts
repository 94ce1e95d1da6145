// In a real browser (Debian's Chromium, driven by playwright-core): the docs site renders offline,
// and the client, bundled for the browser, talks to both Prism mocks across origins.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { buildDocs } from "../scripts/docs.js";
import { root } from "../scripts/redocly.js";
import { serveDirectory, type StaticServer } from "../scripts/static-server.js";
import { basicAuth, paypalMockToken, resetAccount } from "./support/mock.js";

/** CI installs Debian's chromium; a missing browser fails here, loudly, rather than skipping. */
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const screenshots = join(root, "test-results");

let site: StaticServer;
let browser: Browser;
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "payments-browser-"));
  await Promise.all([
    buildDocs(join(workDir, "docs")),
    build({
      entryPoints: [join(root, "src/index.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      outfile: join(workDir, "app/client.js"),
      logLevel: "silent",
    }),
    mkdir(screenshots, { recursive: true }),
  ]);
  await writeFile(
    join(workDir, "app/index.html"),
    `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>client</title>
<script type="module">import * as payments from "./client.js"; window.payments = payments; document.title = "ready";</script>`,
  );
  site = await serveDirectory(workDir);
  browser = await chromium.launch({
    executablePath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Opens a page and records console errors, page errors and every request that leaves loopback. */
async function open(path: string): Promise<{ page: Page; errors: string[]; foreign: string[] }> {
  // A context of its own per page: a new reader, with nothing remembered (Redoc keeps the chosen sample language).
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.once("close", () => void context.close().catch(() => {})); // the browser may already be closing
  page.setDefaultTimeout(10_000); // a step that cannot happen fails with its own message, before the test's timeout
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("response", (response) => response.status() >= 400 && errors.push(`${response.status()} ${response.url()}`));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (!["data:", "blob:", "about:"].includes(url.protocol) && !["127.0.0.1", "localhost"].includes(url.hostname)) foreign.push(request.url());
  });
  const response = await page.goto(`${site.url}${path}`, { waitUntil: "networkidle" });
  expect(response?.status()).toBe(200);
  return { page, errors, foreign };
}

/** The elements matching `selector` that a reader sees without scrolling, with their text and whether a line is cut off. */
async function onScreen(page: Page, selector: string): Promise<{ index: number; text: string; overflows: boolean }[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements.flatMap((element, index) => {
      const box = element.getBoundingClientRect();
      const seen = box.width > 0 && box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth;
      const text = (element as HTMLElement).innerText.trim();
      return seen ? [{ index, text, overflows: element.scrollWidth > element.clientWidth + 1 }] : [];
    }),
  );
}

/**
 * The part of the page that holds one operation: its heading's nearest ancestor that also holds a
 * sample panel (a language menu), and no other operation's heading.
 */
async function operationSection(page: Page, title: string) {
  const marked = await page.locator("h1, h2").evaluateAll((headings, name) => {
    const heading = headings.find((h) => h.textContent === name);
    let node = heading?.parentElement;
    while (node && !node.querySelector('button[aria-haspopup="menu"]')) node = node.parentElement;
    if (!node || node.querySelectorAll("h1, h2").length !== 1) return false;
    node.setAttribute("data-test-operation", name);
    return true;
  }, title);
  expect(marked, `the section of "${title}"`).toBe(true);
  return page.locator(`[data-test-operation="${title}"]`);
}

/** Whether a code block has lines cut off (scrolled out of its box). */
const overflows = (code: Locator) => code.evaluate((element) => element.scrollWidth > element.clientWidth + 1);

/** In the page: whether a heading with this text sits at the top of the viewport (Redoc scrolls to an operation after rendering). */
const headingAtTop = (name: string) =>
  [...document.querySelectorAll("h1, h2")].some((h) => h.textContent === name && Math.abs(h.getBoundingClientRect().top) < innerHeight / 2);

describe("docs site", () => {
  // Redoc shows one operation per route; the legacy #tag/…/operation/… links redirect to it.
  const operations = [
    {
      page: "paddle",
      hash: "#tag/Customers/operation/createCustomer",
      title: "Create a customer",
      fields: ["email", "name", "custom_data", "locale", "Paddle-Version"],
      examples: ["jo@example.com", "ctm_01hv6y1jedq4p1n0yqn5ba3ky4"],
      sample: "createPaddleClient",
    },
    {
      page: "paddle",
      hash: "#tag/Customers/operation/listCustomers",
      title: "List customers",
      fields: ["per_page", "after", "order_by", "status"],
      examples: ["913dee78-d496-4d13-a93e-09d834c208dd"],
      sample: "paddle.customers.list",
    },
    {
      page: "paddle",
      hash: "#tag/Customers/operation/getCustomer",
      title: "Get a customer",
      fields: ["customer_id"],
      examples: ["ctm_01hrffh7gvp29kc7xahm8wddwa"],
      sample: "paddle.customers.get",
    },
    {
      page: "paddle",
      hash: "#tag/Customers/operation/updateCustomer",
      title: "Update a customer",
      fields: ["status", "custom_data"],
      examples: ["Jo Brown-Anderson"],
      sample: "paddle.customers.update",
    },
    {
      page: "paypal",
      hash: "#tag/Customers/operation/createCustomer",
      title: "Create a customer",
      fields: ["name", "external_id", "email", "billing_entity_code", "payment_method_token", "PayPal-Request-Id"],
      examples: ["ext_cust_12345", "f772b19c-c5c2-426d-8871-346a6cd094c5"],
      sample: "createPayPalClient",
    },
    {
      page: "paypal",
      hash: "#tag/Customers/operation/listCustomers",
      title: "List customers",
      fields: ["page", "per_page"],
      examples: ["total_count"],
      sample: "paypal.customers.list",
    },
    {
      page: "paypal",
      hash: "#tag/Customers/operation/getCustomer",
      title: "Get a customer",
      fields: ["id"],
      examples: ["f772b19c-c5c2-426d-8871-346a6cd094c5"],
      sample: "paypal.customers.get",
    },
    {
      page: "paypal",
      hash: "#tag/Customers/operation/updateCustomer",
      title: "Update a customer",
      fields: ["billing_entity_code", "metadata"],
      examples: ["f772b19c-c5c2-426d-8871-346a6cd094c5"],
      sample: "paypal.customers.update",
    },
    {
      page: "paypal",
      hash: "#tag/Customers/operation/deleteCustomer",
      title: "Delete a customer",
      fields: ["id"],
      examples: ["The customer is deleted."],
      sample: "paypal.customers.delete",
    },
    {
      page: "paypal",
      hash: "#tag/OAuth/operation/createAccessToken",
      title: "Get an access token",
      fields: ["grant_type"],
      examples: ["client_credentials"],
      sample: "paypal.getAccessToken()",
    },
  ];

  test.each(operations)("$page $title: operation, request fields, examples and code samples render offline", async (op) => {
    const { page, errors, foreign } = await open(`/docs/${op.page}.html${op.hash}`);
    // Redoc renders after load; wait for the operation's own content, not a fixed delay.
    await page.waitForFunction((needle) => document.body.innerText.includes(needle), op.examples[0]!, { timeout: 10_000 });
    const headings = await page.locator("h1, h2").evaluateAll((hs) => hs.map((h) => h.textContent?.trim()));
    expect(headings).toContain(op.title);
    const text = await page.locator("body").innerText();
    for (const field of op.fields) expect(text).toContain(field);
    for (const example of op.examples) expect(text).toContain(example);
    await page.waitForFunction(headingAtTop, op.title);
    // What a reader sees in the operation's sample panel: TypeScript selected first, the client's
    // code in full (long lines wrap at 1280 px, none scrolled out of sight)…
    const operation = await operationSection(page, op.title);
    const languages = operation.locator('button[aria-haspopup="menu"]', { hasText: /^(TypeScript|curl|Payload)$/ });
    expect(await languages.innerText()).toBe("TypeScript");
    const code = operation.locator('pre[data-component-name="CodeBlock/CodeBlockContainer"]').first();
    expect(await code.isVisible()).toBe(true);
    expect(await code.innerText()).toContain(op.sample);
    expect(await overflows(code)).toBe(false);
    // …and curl one click away, also shown whole.
    await languages.click();
    await page.getByRole("menuitem", { name: "curl", exact: true }).click();
    await expect.poll(() => code.innerText(), { timeout: 25_000 }).toMatch(/^\s*curl /); // Redoc re-renders every sample: slow on a busy machine
    expect(await code.isVisible()).toBe(true);
    expect(await overflows(code)).toBe(false);
    await page.screenshot({ path: join(screenshots, `docs-${op.page}-${op.hash.split("/").at(-1)}.png`), fullPage: true });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  }, 60_000);

  test.each([
    { page: "paddle", title: "Paddle Billing — Customers", operations: ["List customers", "Create a customer", "Get a customer", "Update a customer"] },
    {
      page: "paypal",
      title: "PayPal — Billing customers",
      operations: ["List customers", "Create a customer", "Get a customer", "Update a customer", "Delete a customer", "Get an access token"],
    },
  ])("$page reference, first screen: the title with the contract's version, plain server notes, a link to every operation", async (ref) => {
    const { page, errors, foreign } = await open(`/docs/${ref.page}.html`);
    await page.waitForFunction((title) => document.querySelector("h1")?.textContent?.includes(title), ref.title, { timeout: 10_000 });
    const { version } = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version: string };
    expect(await page.locator("h1").first().innerText()).toBe(`${ref.title} (${version})`);
    const overview = await page.locator("body").innerText();
    expect(overview).toContain("Servers");
    expect(overview).not.toContain("`"); // Markdown that Redoc does not render (server descriptions)
    // Without scrolling, at 1280×900: a link to each operation, and each one leads to it.
    const links = await onScreen(page, "main a[href], a[href*='operation/']");
    for (const name of ref.operations) expect(links.map((l) => l.text)).toContain(name);
    const second = ref.operations[1]!;
    await page.getByRole("link", { name: second, exact: true }).first().click();
    await page.waitForFunction(headingAtTop, second);
    await page.screenshot({ path: join(screenshots, `docs-${ref.page}-overview.png`) });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  test("landing page links every reference and downloadable spec, and all of them answer", async () => {
    const { page, errors, foreign } = await open("/docs/");
    const text = await page.locator("body").innerText();
    expect(text).toContain("Paddle Billing — Customers");
    expect(text).toContain("PayPal — Billing customers");
    expect(text).toContain("npm run mock");
    // A header, which part serves which job, how to install (the tarball), and every operation linked.
    expect(await page.locator("header h1").innerText()).toBe("Customer APIs: Paddle and PayPal");
    for (const job of ["Which part for which job", "A frontend", "A backend", "Reading the contract"]) expect(text).toContain(job);
    expect(text).toMatch(/npm install \.\.\/payments-contracts\/payments-contracts-customers-[\d.]+\.tgz/);
    const links = await page.locator("a[href]").evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
    for (const expected of ["paddle.html", "paypal.html", "openapi/paddle.yaml", "openapi/paddle.json", "openapi/paypal.yaml", "openapi/paypal.json"]) {
      expect(links).toContain(`${site.url}/docs/${expected}`);
    }
    for (const link of links.filter((l) => !l.includes("#"))) expect((await fetch(link)).status, link).toBe(200);
    expect(links.filter((l) => l.includes("/operation/"))).toHaveLength(operations.length);
    const paddleSpec = (await (await fetch(`${site.url}/docs/openapi/paddle.json`)).json()) as { openapi: string; paths: object };
    expect(paddleSpec.openapi).toBe("3.1.0");
    expect(Object.keys(paddleSpec.paths)).toEqual(["/customers", "/customers/{customer_id}"]);
    await page.screenshot({ path: join(screenshots, "docs-index.png"), fullPage: true });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });
});

describe("the client in the browser", () => {
  test("creates a customer on each mock across origins, with typed data and typed errors, and refuses secrets", async () => {
    const { page, errors, foreign } = await open("/app/index.html");
    await page.waitForFunction(() => document.title === "ready");
    // The PayPal mock accepts only tokens it issued, as PayPal does: the page gets one, as from a backend.
    const paypalAuth = { clientId: "browser", clientSecret: "browser-secret" };
    const paypalToken = await paypalMockToken(inject("paypalMockUrl"), paypalAuth);
    await resetAccount(inject("paypalMockUrl"), basicAuth(paypalAuth));
    await resetAccount(inject("paddleMockUrl"), "Bearer pdl_sdbx_apikey_browser");
    const result = await page.evaluate(
      async ({ paddleUrl, paypalUrl, paypalToken }) => {
        // The browser bundle of src/index.ts, loaded by the page (untyped on this side of the boundary).
        const m = (window as unknown as { payments: any }).payments;
        const guard = (create: () => unknown) => {
          try {
            create();
            return "constructed";
          } catch (error) {
            return { kind: (error as { kind: string }).kind, option: (error as { option: string }).option };
          }
        };
        const paddle = m.createPaddleClient({ baseUrl: paddleUrl, apiKey: "pdl_sdbx_apikey_browser", dangerouslyAllowBrowser: true });
        const created = await paddle.customers.create({ email: "jo@example.com", name: "Jo Brown" });
        const noKey = await m.createPaddleClient({ baseUrl: paddleUrl }).customers.create({ email: "jo@example.com" });
        const paypal = m.createPayPalClient({ baseUrl: paypalUrl, auth: { accessToken: paypalToken } });
        const customer = await paypal.customers.create({ name: "John Doe", external_id: "ext_cust_12345", email: "abc@test.com" });
        const invalid = await paypal.customers.create({ name: "", external_id: "ext_cust_12345", email: "abc@test.com" });
        return {
          isBrowser: typeof window !== "undefined",
          paddleGuard: guard(() => m.createPaddleClient({ baseUrl: paddleUrl, apiKey: "pdl_sdbx_apikey_browser" })),
          paypalGuard: guard(() => m.createPayPalClient({ baseUrl: paypalUrl, auth: { clientId: "id", clientSecret: "secret" } })),
          proxyGuard: guard(() => m.createPaddleClient({ baseUrl: "/api/paddle" })),
          paddle: { id: created.data?.id, status: created.data?.status, requestId: created.requestId, error: created.error?.message },
          noKey: { isPaddleApiError: noKey.error instanceof m.PaddleApiError, status: noKey.error?.status, code: noKey.error?.code },
          paypal: { id: customer.data?.id, email: customer.data?.email, error: customer.error?.message },
          invalid: { status: invalid.error?.status, code: invalid.error?.code, fields: invalid.error?.fieldErrors?.map((f: { field: string }) => f.field) },
        };
      },
      { paddleUrl: inject("paddleMockUrl"), paypalUrl: inject("paypalMockUrl"), paypalToken },
    );
    expect(result.isBrowser).toBe(true);
    expect(result.paddleGuard).toEqual({ kind: "configuration", option: "apiKey" });
    expect(result.paypalGuard).toEqual({ kind: "configuration", option: "auth.clientSecret" });
    expect(result.proxyGuard).toBe("constructed");
    expect(result.paddle).toEqual({ id: expect.stringMatching(/^ctm_[a-z\d]{26}$/), status: "active", requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), error: undefined });
    expect(result.noKey).toEqual({ isPaddleApiError: true, status: 403, code: "authentication_missing" });
    expect(result.paypal).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), email: "abc@test.com", error: undefined });
    expect(result.invalid).toEqual({ status: 400, code: "INVALID_REQUEST", fields: ["name"] });
    await page.screenshot({ path: join(screenshots, "client.png") });
    // Chromium logs each non-2xx fetch; the only ones are the deliberate 403 (no key) and 400 (invalid body).
    expect(errors.filter((e) => !/\b(403|400)\b/.test(e))).toEqual([]);
    expect(errors.filter((e) => e.startsWith("4"))).toHaveLength(2);
    expect(foreign).toEqual([]);
    await page.close();
  });
});

describe("the client's defences in the browser", () => {
  /** A cross-origin server that answers preflights, then redirects every request to `location`. */
  async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; hits: string[]; server: Server }> {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      handler!(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
  }
  const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "*", "access-control-allow-methods": "*" };

  test("a redirect is not followed: RedirectError, and nothing reaches its Location", async () => {
    const target = await listen((_req, res) => res.writeHead(201, { ...cors, "content-type": "application/json" }).end("{}"));
    const redirecting = await listen((req, res) =>
      req.method === "OPTIONS" ? res.writeHead(204, cors).end() : res.writeHead(307, { ...cors, location: `${target.url}/customers` }).end(),
    );
    try {
      const { page } = await open("/app/index.html");
      await page.waitForFunction(() => document.title === "ready");
      const result = await page.evaluate(async (baseUrl) => {
        const m = (window as unknown as { payments: any }).payments;
        const { error } = await m.createPaddleClient({ baseUrl }).customers.create({ email: "jo@example.com" });
        return { kind: error?.kind, name: error?.name, isRedirect: m.isRedirectError(error), status: error?.status };
      }, redirecting.url);
      // The browser hides a redirect's status and Location from the page (an "opaqueredirect").
      expect(result).toEqual({ kind: "redirect", name: "RedirectError", isRedirect: true, status: 0 });
      expect(redirecting.hits.filter((h) => h.startsWith("POST"))).toHaveLength(1);
      expect(target.hits).toEqual([]);
      await page.close();
    } finally {
      target.server.close();
      redirecting.server.close();
    }
  });

  test("in a Web Worker, a secret is refused unless the caller opts in; a proxy baseUrl is fine", async () => {
    const { page } = await open("/app/index.html");
    await page.waitForFunction(() => document.title === "ready");
    const result = await page.evaluate(async (clientUrl) => {
      const source = `
        import * as m from "${clientUrl}";
        const guard = (create) => { try { create(); return "constructed"; } catch (error) { return { kind: error.kind, option: error.option }; } };
        postMessage({
          paddle: guard(() => m.createPaddleClient({ environment: "sandbox", apiKey: "pdl_sdbx_apikey_worker" })),
          paypal: guard(() => m.createPayPalClient({ environment: "sandbox", auth: { clientId: "id", clientSecret: "secret" } })),
          optedIn: guard(() => m.createPaddleClient({ environment: "sandbox", apiKey: "pdl_sdbx_apikey_worker", dangerouslyAllowBrowser: true })),
          proxy: guard(() => m.createPaddleClient({ baseUrl: "/api/paddle" })),
        });`;
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })), { type: "module" });
      return new Promise((resolve, reject) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => reject(new Error(event.message));
      });
    }, `${site.url}/app/client.js`);
    expect(result).toEqual({
      paddle: { kind: "configuration", option: "apiKey" },
      paypal: { kind: "configuration", option: "auth.clientSecret" },
      optedIn: "constructed",
      proxy: "constructed",
    });
    await page.close();
  });
});
