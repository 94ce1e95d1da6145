// The package as it is published: built, packed, linted (publint, attw), and used from plain Node
// and from an edge-like runtime that has web APIs only.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { publint } from "publint";
import { beforeAll, describe, expect, inject, test } from "vitest";
import { bundleSpecs } from "../scripts/bundle.js";
import { root } from "../scripts/redocly.js";

const run = promisify(execFile);
const bin = (name: string) => join(root, "node_modules/.bin", name);

beforeAll(async () => {
  await run(bin("tsc"), ["-p", "tsconfig.build.json"], { cwd: root });
  await bundleSpecs(join(root, "dist/openapi"));
}, 120_000);

describe("the published package", () => {
  test("npm pack contains dist (code, types, bundled specs), README and LICENSE, and nothing else", async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root });
    const files = (JSON.parse(stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path).sort();
    const unexpected = files.filter(
      (f) =>
        !/^dist\/src\/[a-z-]+\.(js|d\.ts)$/.test(f) &&
        !/^dist\/generated\/(paddle|paypal)(\.validators)?\.d\.ts$/.test(f) &&
        !/^dist\/generated\/(paddle|paypal)\.validators\.js$/.test(f) &&
        !/^dist\/openapi\/(paddle|paypal)\.(json|yaml)$/.test(f) &&
        !["README.md", "LICENSE", "package.json"].includes(f),
    );
    expect(unexpected).toEqual([]);
    for (const f of ["dist/src/index.js", "dist/src/paddle.d.ts", "dist/src/paypal.js", "dist/openapi/paddle.json", "dist/openapi/paypal.yaml", "README.md", "LICENSE"]) {
      expect(files).toContain(f);
    }
  });

  test("publint reports nothing", async () => {
    const { messages } = await publint({ pkgDir: root, level: "suggestion", strict: true });
    expect(messages).toEqual([]);
  });

  test("are-the-types-wrong reports nothing (ESM-only profile: there is no CommonJS build)", async () => {
    await expect(run(bin("attw"), ["--pack", ".", "--profile", "esm-only", "--no-color"], { cwd: root })).resolves.toBeDefined();
  }, 60_000);

  test("ESM with an exports map, sideEffects: false, types for every entry", async () => {
    const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
    expect(pkg.type).toBe("module");
    expect(pkg.sideEffects).toBe(false);
    for (const entry of [".", "./paddle", "./paypal"]) expect(Object.keys(pkg.exports[entry])).toEqual(["types", "default"]);
    expect(pkg.exports["./openapi/*"]).toBe("./dist/openapi/*");
  });

  test("src/ uses no Node built-in", async () => {
    const sources = await Promise.all(["core", "errors", "index", "options", "pages", "paddle", "paypal", "retry", "shared", "transport", "validation"].map((f) => readFile(join(root, "src", `${f}.ts`), "utf8")));
    for (const source of sources) expect(source).not.toMatch(/from "node:|require\(|process\.|Buffer\./);
  });

  test("in plain Node, the built package (by its own name) creates a customer on the mock and exports the specs", async () => {
    const script = `
      import { createPaddleClient } from "@payments-contracts/customers/paddle";
      import { readFileSync } from "node:fs";
      const client = createPaddleClient({ baseUrl: process.argv[1], apiKey: "pdl_sdbx_apikey_node" });
      const { data, error } = await client.customers.create({ email: "jo@example.com" });
      const spec = JSON.parse(readFileSync(new URL(import.meta.resolve("@payments-contracts/customers/openapi/paddle.json")), "utf8"));
      console.log(JSON.stringify({ id: data?.id, error: error?.message, openapi: spec.openapi, resolved: import.meta.resolve("@payments-contracts/customers/paddle") }));`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script, inject("paddleMockUrl")], { cwd: root });
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ id: expect.stringMatching(/^ctm_[a-z\d]{26}$/), openapi: "3.1.0" });
    expect(result.resolved).toMatch(/\/dist\/src\/paddle\.js$/);
  });

  test("the built package against a hostile server, in Node with --unhandled-rejections=strict: typed results, no secret, no crash", async () => {
    // A server that redirects, echoes credentials, streams without end and hangs the token endpoint.
    const script = `
      import { createServer } from "node:http";
      import { inspect } from "node:util";
      import { createPaddleClient } from "@payments-contracts/customers/paddle";
      import { createPayPalClient } from "@payments-contracts/customers/paypal";
      const server = createServer((req, res) => {
        if (req.url === "/redirect/customers") return res.writeHead(307, { location: "http://127.0.0.1:9/customers" }).end();
        if (req.url === "/echo/customers") return res.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ error: { type: "request_error", code: "forbidden", detail: String(req.headers.authorization) }, meta: { request_id: "r" } }));
        if (req.url === "/endless/customers") { res.writeHead(201); const chunk = Buffer.alloc(65536, 32); const write = () => { while (!res.destroyed && res.write(chunk)); if (!res.destroyed) res.once("drain", write); }; return write(); }
        if (req.url === "/v1/oauth2/token") { setTimeout(() => req.socket.destroy(), 150); return; }
        res.writeHead(404).end();
      }).listen(0, "127.0.0.1");
      await new Promise((resolve) => server.once("listening", resolve));
      const url = "http://127.0.0.1:" + server.address().port;
      const key = "pdl_sdbx_apikey_PACKAGEsecret";
      const at = (path, extra = {}) => createPaddleClient({ baseUrl: url + path, apiKey: key, retry: { maxRetries: 0 }, ...extra }).customers.create({ email: "jo@example.com" });
      const results = {
        redirect: (await at("/redirect")).error,
        echo: (await at("/echo")).error,
        endless: (await at("/endless", { maxResponseBytes: 100000 })).error,
      };
      const paypal = createPayPalClient({ baseUrl: url, auth: { clientId: "id", clientSecret: "PACKAGEclientsecret" }, timeoutMs: 0 });
      paypal.api.use({ onRequest: () => new Promise((resolve) => setTimeout(() => resolve(undefined), 50)) });
      results.aborted = (await paypal.customers.create({ name: "J", external_id: "e", email: "a@b.co" }, { signal: AbortSignal.timeout(10) })).error;
      results.token = (await paypal.getAccessToken({ signal: AbortSignal.timeout(10) })).error;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const views = Object.values(results).map((e) => [e.message, e.stack, JSON.stringify(e), inspect(e, { showHidden: true, depth: null })].join(" ")).join(" ");
      console.log(JSON.stringify({ kinds: Object.fromEntries(Object.entries(results).map(([k, e]) => [k, e.kind])), leaked: views.includes("PACKAGE") }));
      server.close();`;
    const { stdout } = await run(process.execPath, ["--unhandled-rejections=strict", "--input-type=module", "-e", script], { cwd: root });
    expect(JSON.parse(stdout)).toEqual({
      kinds: { redirect: "redirect", echo: "api", endless: "unreadable", aborted: "aborted", token: "aborted" },
      leaked: false,
    });
  });

  test("in an edge-like runtime (web APIs only: no process, Buffer or require), both clients work", async () => {
    const bundle = await build({
      entryPoints: [join(root, "dist/src/index.js")],
      bundle: true,
      platform: "neutral",
      format: "iife",
      globalName: "payments",
      write: false,
      logLevel: "silent",
    });
    const web = { fetch, Request, Response, Headers, FormData, Blob, URL, URLSearchParams, AbortController, AbortSignal, TextEncoder, btoa, crypto, setTimeout, clearTimeout, console, JSON, Promise };
    const context: Record<string, unknown> = { ...web };
    runInNewContext(bundle.outputFiles[0]!.text, context);
    const payments = context.payments as typeof import("../src/index.js");
    expect(runInNewContext("typeof process + typeof Buffer + typeof require", context)).toBe("undefinedundefinedundefined");
    const paddle = payments.createPaddleClient({ baseUrl: inject("paddleMockUrl"), apiKey: "pdl_sdbx_apikey_edge" });
    const paypal = payments.createPayPalClient({ baseUrl: inject("paypalMockUrl"), auth: { clientId: "edge", clientSecret: "edge-secret" } });
    const created = await paddle.customers.create({ email: "jo@example.com" });
    expect(created.error?.message).toBeUndefined();
    expect(created.data?.id).toMatch(/^ctm_[a-z\d]{26}$/);
    expect((await paypal.customers.create({ name: "J", external_id: "e", email: "a@b.co" })).data?.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
