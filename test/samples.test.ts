// The TypeScript code samples in the specs (x-codeSamples, shown in the docs) are type-checked
// against src/ and run verbatim against the Prism mocks, so the docs cannot drift from the code.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, inject, test, vi } from "vitest";
import { root } from "../scripts/redocly.js";
import { loadSpec, type Provider } from "./support/spec.js";

interface Sample {
  provider: Provider;
  operationId: string;
  file: string;
  source: string;
}

const dir = join(root, "test/.samples");
const samples: Sample[] = (["paddle", "paypal"] as const).flatMap((provider) => {
  const spec = loadSpec(provider) as { paths: Record<string, Record<string, { operationId: string; "x-codeSamples"?: { lang: string; source: string }[] }>> };
  return Object.values(spec.paths).flatMap((methods) =>
    Object.values(methods).flatMap((op) =>
      (op["x-codeSamples"] ?? [])
        .filter((s) => s.lang === "TypeScript")
        .map((s) => ({ provider, operationId: op.operationId, file: join(dir, `${provider}-${op.operationId}.ts`), source: s.source })),
    ),
  );
});

/** Where the samples' production and sandbox hosts really go: the mocks. */
const hosts: Record<string, () => string> = {
  "https://sandbox-api.paddle.com": () => inject("paddleMockUrl"),
  "https://api.paddle.com": () => inject("paddleMockUrl"),
  "https://api-m.sandbox.paypal.com": () => inject("paypalMockUrl"),
  "https://api-m.paypal.com": () => inject("paypalMockUrl"),
};

beforeAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await Promise.all(samples.map((s) => writeFile(s.file, s.source)));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("code samples in the specs", () => {
  test("every operation has a TypeScript sample", () => {
    // Every operation of both specs, so a new operation without a sample fails here.
    const operations = (["paddle", "paypal"] as const).flatMap((provider) =>
      Object.values((loadSpec(provider) as { paths: Record<string, Record<string, { operationId?: string }>> }).paths).flatMap((item) =>
        Object.values(item).flatMap((op) => (op.operationId ? [`${provider}.${op.operationId}`] : [])),
      ),
    );
    expect(samples.map((s) => `${s.provider}.${s.operationId}`).sort()).toEqual(operations.sort());
  });

  test("they type-check against src/", () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const program = ts.createProgram(
      samples.map((s) => s.file),
      {
        ...config.options,
        noEmit: true,
        paths: { "@payments-contracts/customers/*": [join(root, "src/*.ts")], "@payments-contracts/customers": [join(root, "src/index.ts")] },
      },
    );
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
  });

  const expectedOutput: Record<string, RegExp> = {
    "paddle.createCustomer": /^(created ctm_[a-z\d]{26} active|already a customer: ctm_[a-z\d]{26})$/,
    "paddle.listCustomers": /^first page: \d+ customers, more: (true|false)$/,
    "paddle.getCustomer": /^customer ctm_[a-z\d]{26} jo@example\.com$/,
    "paddle.updateCustomer": /^updated ctm_[a-z\d]{26} archived$/,
    "paypal.createAccessToken": /^got an access token: true$/,
    "paypal.listCustomers": /^first page: \d+ customers, more: (true|false)$/,
    "paypal.getCustomer": /^customer [0-9a-f-]{36} Ada Lovelace$/,
    "paypal.updateCustomer": /^updated [0-9a-f-]{36} Ada Lovelace$/,
    "paypal.deleteCustomer": /^deleted [0-9a-f-]{36} 404$/,
    "paypal.createCustomer": /^created [0-9a-f-]{36} John Doe$/,
  };

  test.each(samples)("$provider $operationId runs against the mock", async (sample) => {
    const realFetch = globalThis.fetch;
    const reached: string[] = [];
    vi.stubGlobal("fetch", (input: Request | string | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const { origin, pathname, search } = new URL(request.url);
      const target = hosts[origin];
      if (!target) throw new Error(`a sample called ${origin}, which is not one of the providers' servers`);
      reached.push(`${request.method} ${pathname}`);
      return realFetch(new Request(`${target()}${pathname}${search}`, request));
    });
    vi.stubEnv("PADDLE_API_KEY", "pdl_sdbx_apikey_docs_sample");
    vi.stubEnv("PAYPAL_CLIENT_ID", "docs-sample-client");
    vi.stubEnv("PAYPAL_CLIENT_SECRET", "docs-sample-secret");
    const logged: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    try {
      await import(/* @vite-ignore */ `${sample.file}?run=${Date.now()}`);
    } finally {
      log.mockRestore();
      vi.unstubAllGlobals();
      vi.unstubAllEnvs();
    }
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(expectedOutput[`${sample.provider}.${sample.operationId}`]!);
    expect(reached.length).toBeGreaterThan(0);
  });

  test("every comment that lists a provider's error kinds (README, samples) lists all of them, from the types", async () => {
    // The kinds each provider's calls can resolve to, read from src/ by the compiler.
    const file = join(dir, "kinds.ts");
    await writeFile(file, `import type { PaddleError } from "../../src/paddle.js";\nimport type { PayPalError } from "../../src/paypal.js";\nexport declare const paddle: PaddleError["kind"];\nexport declare const paypal: PayPalError["kind"];\n`);
    const program = ts.createProgram([file], { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts", "lib.dom.d.ts"] });
    const checker = program.getTypeChecker();
    const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)!)!);
    const kinds = Object.fromEntries(
      exports.map((symbol) => {
        const type = checker.getTypeOfSymbol(symbol);
        return [symbol.name, (type.isUnion() ? type.types : [type]).map((t) => (t as ts.StringLiteralType).value).sort()];
      }),
    ) as Record<Provider, string[]>;
    expect(kinds.paddle).toContain("redirect");
    expect(kinds.paypal).toContain("auth");
    const readme = await readFile(join(root, "README.md"), "utf8");
    const places = [
      { provider: "paddle" as const, where: "README.md", text: readme.slice(readme.indexOf("## Paddle"), readme.indexOf("## PayPal")) },
      { provider: "paypal" as const, where: "README.md", text: readme.slice(readme.indexOf("## PayPal"), readme.indexOf("## Both clients")) },
      ...samples.map((s) => ({ provider: s.provider, where: `${s.provider} ${s.operationId} sample`, text: s.source })),
    ];
    let comments = 0;
    for (const place of places) {
      for (const [, list] of place.text.matchAll(/error\.kind: ((?:"[a-z]+"(?: \| )?)+)/g)) {
        comments += 1;
        expect([...list!.matchAll(/"([a-z]+)"/g)].map((m) => m[1]).sort(), place.where).toEqual(kinds[place.provider]);
      }
    }
    expect(comments).toBeGreaterThanOrEqual(2);
  });
});
