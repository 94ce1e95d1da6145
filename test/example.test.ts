// The example frontend (examples/frontend), driven in Chromium as a user would: the page's clients
// call the example's backend, which holds the credentials and calls the Prism mocks. A valid create
// shows the new customer in the list; an invalid email shows its message next to the field; and
// no secret is ever in the page, its requests or the answers it receives.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { startExample, type Example } from "../examples/frontend/server.js";
import { root } from "../scripts/redocly.js";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const secrets = { apiKey: "pdl_sdbx_apikey_EXAMPLEsecret", clientSecret: "EXAMPLE-client-secret" };

let example: Example;
let browser: Browser;

beforeAll(async () => {
  example = await startExample({
    paddle: { baseUrl: inject("paddleMockUrl"), apiKey: secrets.apiKey },
    paypal: { baseUrl: inject("paypalMockUrl"), clientId: `example-${Date.now()}`, clientSecret: secrets.clientSecret },
  });
  browser = await chromium.launch({ executablePath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await example?.stop();
});

/** Opens the page and records everything it exchanges: request URLs, headers and bodies, and response bodies. */
async function openPage(): Promise<{ page: Page; traffic: string[]; sentHeaders: Record<string, string>[]; errors: string[]; foreign: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.once("close", () => void context.close().catch(() => {})); // the browser may already be closing
  page.setDefaultTimeout(10_000);
  const traffic: string[] = [];
  const sentHeaders: Record<string, string>[] = [];
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => message.type() === "error" && !message.text().includes("the server responded with a status of") && errors.push(message.text()));
  page.on("request", (request) => {
    sentHeaders.push(request.headers());
    traffic.push(`${request.method()} ${request.url()} ${JSON.stringify(request.headers())} ${request.postData() ?? ""}`);
    if (!request.url().startsWith(example.url) && !request.url().startsWith("data:")) foreign.push(request.url());
  });
  // The answers' headers, and the bodies of the API answers (the page's script names header fields in its code).
  page.on("response", async (response) => {
    const body = new URL(response.url()).pathname.startsWith("/api/") ? await response.text().catch(() => "") : "";
    traffic.push(`${response.status()} ${response.url()} ${JSON.stringify(response.headers())} ${body}`);
  });
  await page.goto(`${example.url}/`, { waitUntil: "networkidle" });
  return { page, traffic, sentHeaders, errors, foreign };
}

describe("the example frontend (examples/frontend) in Chromium", () => {
  test("Paddle: a valid create lands in the list; an empty or invalid email gets its message next to the field; no secret anywhere", async () => {
    const { page, traffic, sentHeaders, errors, foreign } = await openPage();
    const paddle = page.locator("#paddle");
    const email = `jo+${Date.now()}@example.com`;
    await paddle.getByLabel("Email").fill(email);
    await paddle.getByLabel("Name").fill("Jo Brown");
    await paddle.getByRole("button", { name: "Create customer" }).click();
    await expect.poll(() => paddle.locator(".status").innerText()).toMatch(/^Created ctm_[a-z\d]{26} for /);
    await expect.poll(() => paddle.locator("ul.customers").innerText()).toMatch(/ctm_[a-z\d]{26}/);
    expect(await paddle.locator('[data-error-for="email"]').innerText()).toBe("");
    const created = /Created (ctm_\w+)/.exec(await paddle.locator(".status").innerText())![1]!;

    // The same email again: Paddle's 409, read by the page's client through the backend, names the customer.
    await paddle.getByRole("button", { name: "Create customer" }).click();
    await expect.poll(() => paddle.locator(".status").innerText()).toBe(`Not created: a customer with this email exists (${created})`);

    // Invalid: the message sits next to the email field, one message, and the field is marked.
    await paddle.getByLabel("Email").fill("not an email");
    await paddle.getByRole("button", { name: "Create customer" }).click();
    await expect.poll(() => paddle.locator('[data-error-for="email"]').innerText()).toMatch(/email/i);
    expect(await paddle.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");
    expect(await paddle.locator('[data-error-for="name"]').innerText()).toBe("");
    await paddle.getByLabel("Email").fill("");
    await paddle.getByRole("button", { name: "Create customer" }).click();
    await expect.poll(() => paddle.locator('[data-error-for="email"]').innerText()).not.toMatch(/format "email"/);
    expect((await paddle.locator('[data-error-for="email"]').innerText()).split("\n")).toHaveLength(1);

    const everything = [...traffic, await page.content()].join("\n");
    expect(everything).not.toContain(secrets.apiKey);
    expect(everything).not.toContain("pdl_sdbx_apikey");
    expect(sentHeaders.filter((h) => "authorization" in h)).toEqual([]);
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  }, 60_000);

  test("PayPal: create, field errors next to each field, the list paged with More; no secret anywhere", async () => {
    const { page, traffic, sentHeaders, errors, foreign } = await openPage();
    const paypal = page.locator("#paypal");
    // Enough customers for a second page of 5.
    for (let i = 0; i < 6; i += 1) {
      await paypal.getByLabel("Name").fill(`Ada ${i}`);
      await paypal.getByLabel("Your id for this customer").fill(`ada_${Date.now()}_${i}`);
      await paypal.getByLabel("Email").fill(`ada${i}@example.com`);
      await paypal.getByRole("button", { name: "Create customer" }).click();
      await expect.poll(() => paypal.locator(".status").innerText()).toMatch(new RegExp(`^Created [0-9a-f-]{36} for Ada ${i}$`));
    }
    await expect.poll(() => paypal.locator("ul.customers li").count()).toBe(5);
    await paypal.getByRole("button", { name: "More" }).click();
    await expect.poll(() => paypal.locator("ul.customers li").count()).toBeGreaterThan(5);

    await paypal.getByLabel("Name").fill("");
    await paypal.getByLabel("Your id for this customer").fill("not valid!");
    await paypal.getByLabel("Email").fill("");
    await paypal.getByRole("button", { name: "Create customer" }).click();
    for (const field of ["name", "external_id", "email"]) {
      await expect.poll(() => paypal.locator(`[data-error-for="${field}"]`).innerText(), { message: field }).not.toBe("");
      expect((await paypal.locator(`[data-error-for="${field}"]`).innerText()).split("\n")).toHaveLength(1);
    }
    expect(await paypal.locator(".status").innerText()).toMatch(/^Not created/);
    await mkdir(join(root, "test-results"), { recursive: true });
    await page.screenshot({ path: join(root, "test-results/example-frontend.png"), fullPage: true });

    const everything = [...traffic, await page.content()].join("\n");
    expect(everything).not.toContain(secrets.clientSecret);
    expect(sentHeaders.filter((h) => "authorization" in h)).toEqual([]);
    expect(everything).not.toContain("access_token");
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  }, 90_000);
});
