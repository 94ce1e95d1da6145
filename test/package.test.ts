// The package as it is published: built, packed, linted (publint, attw), and used from plain Node
// and from an edge-like runtime that has web APIs only.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { publint } from "publint";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { root } from "../scripts/redocly.js";

const run = promisify(execFile);
const bin = (name: string) => join(root, "node_modules/.bin", name);

let work: string;
/** The tarball, made the way the README says: `npm run tarball`. */
let tarball: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "payments-package-"));
  const { version } = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version: string };
  await run("npm", ["run", "tarball", "--", "--pack-destination", work], { cwd: root });
  tarball = join(work, `payments-contracts-customers-${version}.tgz`);
}, 180_000);
afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

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

/**
 * A separate project, as a team would set one up: the tarball installed by path, strict TypeScript
 * with `declaration: true` (libraries and monorepos emit declarations), no Node types, each entry
 * point imported alone. Then the compiled code runs against the mock.
 */
describe("in a consumer project (the packed tarball, installed by path)", () => {
  let project: string;

  const tsconfig = {
    compilerOptions: {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      declaration: true,
      skipLibCheck: false,
      module: "nodenext",
      moduleResolution: "nodenext",
      target: "es2022",
      lib: ["es2022", "dom"],
      types: [],
      outDir: "out",
      rootDir: "src",
    },
    include: ["src"],
  };

  const sources: Record<string, string> = {
    "src/argv.ts": `export const baseUrl = (which: number): string => (globalThis as unknown as { process: { argv: string[] } }).process.argv[which]!;\n`,
    // Everything a Paddle user needs, from /paddle alone; exported functions whose types the
    // compiler must name in the declarations it emits (TS2742 when an entry is not self-sufficient).
    "src/paddle-app.ts": `
import { createPaddleClient, ConfigurationError, firstMessageByField, isValidationError, isPaddleCustomerExistsError, paddleRequestValidators, type CallOptions, type PaddleCustomer, type PaddleError, type Result } from "@payments-contracts/customers/paddle";
import { baseUrl } from "./argv.js";

export const paddle = createPaddleClient({ baseUrl: baseUrl(2), apiKey: "pdl_sdbx_apikey_consumer" });
export const call = () => paddle.customers.create({ email: \`jo+\${Date.now()}@example.com\` });
export const list = (options?: CallOptions) => paddle.customers.list({ per_page: 5 }, options);
export const customers = () => paddle.customers.iterate({ status: ["active"] });
export async function createOrFind(email: string): Promise<Result<PaddleCustomer, PaddleError>> {
  const created = await paddle.customers.create({ email });
  return isPaddleCustomerExistsError(created.error) && created.error.existingCustomerId ? paddle.customers.get(created.error.existingCustomerId) : created;
}
export const formErrors = (body: unknown) => {
  const invalid = paddleRequestValidators.create(body);
  return isValidationError(invalid) ? firstMessageByField(invalid) : {};
};
export function misconfigured(): string {
  try {
    createPaddleClient({ environment: "sandbox", apiKey: "pdl_live_apikey_consumer" });
    return "accepted";
  } catch (error) {
    return error instanceof ConfigurationError ? error.option : "other";
  }
}
`,
    "src/paypal-app.ts": `
import { createPayPalClient, isApiError, messagesByField, type PayPalCreateOptions, type PayPalCustomer, type PayPalError, type Result } from "@payments-contracts/customers/paypal";
import { baseUrl } from "./argv.js";

export const paypal = createPayPalClient({ baseUrl: baseUrl(3), auth: { clientId: "consumer", clientSecret: "consumer-secret" } });
export const call = (options?: PayPalCreateOptions) => paypal.customers.create({ name: "Jo", external_id: \`jo_\${Date.now()}\`, email: "jo@example.com" }, options);
export const page = () => paypal.customers.list({ page: 1, per_page: 5 });
export const token = () => paypal.getAccessToken();
export async function rejected(): Promise<Record<string, string[]>> {
  const { error } = await paypal.customers.create({ name: "Jo", external_id: "x", email: "" });
  return isApiError(error) ? messagesByField(error) : {};
}
export type Outcome = Result<PayPalCustomer, PayPalError>;
`,
    "src/main.ts": `
import * as paddleApp from "./paddle-app.js";
import * as paypalApp from "./paypal-app.js";

const paddleCreated = await paddleApp.call();
const paypalCreated = await paypalApp.call();
console.log(JSON.stringify({
  paddle: paddleCreated.data?.id ?? paddleCreated.error?.message,
  paypal: paypalCreated.data?.id ?? paypalCreated.error?.message,
  paddleList: (await paddleApp.list()).data?.customers.length,
  paypalPage: (await paypalApp.page()).data?.customers.length,
  form: paddleApp.formErrors({ email: "" }),
  rejected: Object.keys(await paypalApp.rejected()),
  misconfigured: paddleApp.misconfigured(),
}));
`,
  };

  beforeAll(async () => {
    project = join(work, "consumer");
    await mkdir(join(project, "src"), { recursive: true });
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
    await writeFile(join(project, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    for (const [file, text] of Object.entries(sources)) await writeFile(join(project, file), text);
    // As the README says: install the tarball by its path (openapi-fetch comes from the registry or npm's cache).
    await run("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund"], { cwd: project });
  }, 180_000);

  test("the README's install path: the tarball installs, with its one dependency", async () => {
    const installed = JSON.parse(await readFile(join(project, "node_modules/@payments-contracts/customers/package.json"), "utf8")) as { name: string; dependencies: Record<string, string> };
    expect(installed.name).toBe("@payments-contracts/customers");
    expect(Object.keys(installed.dependencies)).toEqual(["openapi-fetch"]);
    const manifest = JSON.parse(await readFile(join(project, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(manifest.dependencies["@payments-contracts/customers"]).toMatch(/^file:.*\.tgz$/);
  });

  test("strict, with declaration: true, each entry alone compiles and emits declarations (no TS2742)", async () => {
    const compiled = await run(bin("tsc"), ["-p", project], { cwd: project }).then(
      () => "",
      (error: { stdout: string }) => error.stdout,
    );
    expect(compiled).toBe("");
    const declarations = await readFile(join(project, "out/paddle-app.d.ts"), "utf8");
    expect(declarations).toContain('import("@payments-contracts/customers/paddle")');
    expect(declarations).not.toContain("dist/src");
  }, 60_000);

  test("the compiled project runs against the mocks: created, listed, form errors by field, a misconfiguration named", async () => {
    await run(bin("tsc"), ["-p", project], { cwd: project });
    const { stdout } = await run(process.execPath, ["--unhandled-rejections=strict", "out/main.js", inject("paddleMockUrl"), inject("paypalMockUrl")], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({
      paddle: expect.stringMatching(/^ctm_[a-z\d]{26}$/),
      paypal: expect.stringMatching(/^[0-9a-f-]{36}$/),
      paddleList: expect.any(Number),
      paypalPage: expect.any(Number),
      form: { email: expect.any(String) },
      rejected: ["email"],
      misconfigured: "apiKey",
    });
  }, 60_000);

  /** What an editor shows: quick info (hover) and diagnostics, from the installed package's declarations. */
  function editor(source: string) {
    const file = join(project, "src/editor.ts");
    const parsed = ts.getParsedCommandLineOfConfigFile(join(project, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const host: ts.LanguageServiceHost = {
      getScriptFileNames: () => [file],
      getScriptVersion: () => "1",
      getScriptSnapshot: (name) => {
        const text = name === file ? source : ts.sys.readFile(name);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => project,
      getCompilationSettings: () => ({ ...parsed.options, noEmit: true }),
      getDefaultLibFileName: ts.getDefaultLibFilePath,
      fileExists: (name) => name === file || ts.sys.fileExists(name),
      readFile: (name) => (name === file ? source : ts.sys.readFile(name)),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    };
    const service = ts.createLanguageService(host);
    return {
      hover(needle: string) {
        const info = service.getQuickInfoAtPosition(file, source.indexOf(needle));
        return {
          text: ts.displayPartsToString(info?.displayParts),
          docs: [ts.displayPartsToString(info?.documentation), ...(info?.tags ?? []).map((t) => ts.displayPartsToString(t.text))].join("\n").trim(),
        };
      },
      errors: () => service.getSemanticDiagnostics(file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    };
  }

  test("types read well on hover: named types, documented fields", () => {
    const source = `
import { createPaddleClient } from "@payments-contracts/customers/paddle";
import { createPayPalClient } from "@payments-contracts/customers/paypal";
const paddle = createPaddleClient({ baseUrl: "/api/paddle" });
const paypal = createPayPalClient({ baseUrl: "/api/paypal" });
export async function run() {
  const { data: paddleCustomer, error: paddleError } = await paddle.customers.create({ email: "jo@example.com", name: "Jo" });
  const { data: paypalCustomer, error: paypalError } = await paypal.customers.create({ name: "Jo", external_id: "jo", email: "jo@example.com" });
  const { data: paddlePage } = await paddle.customers.list({ per_page: 5 });
  return [paddleCustomer, paddleError, paypalCustomer, paypalError, paddlePage];
}
`;
    const view = editor(source);
    expect(view.errors()).toEqual([]);
    expect(view.hover("paddleCustomer,").text).toBe("const paddleCustomer: PaddleCustomer | undefined");
    expect(view.hover("paddleError }").text).toBe("const paddleError: PaddleError | undefined");
    expect(view.hover("paypalCustomer,").text).toBe("const paypalCustomer: PayPalCustomer | undefined");
    expect(view.hover("paypalError }").text).toBe("const paypalError: PayPalError | undefined");
    expect(view.hover("paddlePage }").text).toBe("const paddlePage: PaddleCustomerPage | undefined");
    // Fields declared in the spec through a $ref carry the referenced schema's description.
    for (const [needle, words] of [
      ['email: "jo@example.com", name', "Unique per Paddle account"],
      ['name: "Jo" }', "Full name of this customer"],
      ['external_id: "jo"', "External identifier for the customer"],
    ] as const) {
      const { text, docs } = view.hover(needle);
      expect(text).toMatch(/^\(property\) \w+\??: string/);
      expect(docs).toContain(words);
    }
  });

  test("type errors name the types and the rule: both environment and baseUrl, a body with a wrong field", () => {
    const view = editor(`
import { createPaddleClient } from "@payments-contracts/customers/paddle";
import { createPayPalClient } from "@payments-contracts/customers/paypal";
export const both = createPaddleClient({ environment: "sandbox", baseUrl: "http://127.0.0.1:4010", apiKey: "pdl_sdbx_apikey_x" });
export const bothPayPal = createPayPalClient({ environment: "sandbox", baseUrl: "http://127.0.0.1:4011", auth: { accessToken: "t" } });
const paypal = createPayPalClient({ baseUrl: "/api/paypal" });
export const missing = paypal.customers.create({ name: "Jo", external_id: "jo" });
`);
    const errors = view.errors();
    expect(errors).toHaveLength(3);
    expect(errors[0]).toContain("give environment or baseUrl, not both");
    expect(errors[1]).toContain("give environment or baseUrl, not both");
    expect(errors[2]).toContain("PayPalCustomerCreate");
    expect(errors[2]).toContain("'email'");
    for (const error of errors) expect(error).not.toContain('components["schemas"]');
  });
});
