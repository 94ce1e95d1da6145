// Differential test: for generated bodies (following the schema, or breaking one of its
// constraints), the local validators' verdict equals the Prism mock's, field by field.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { root } from "../scripts/redocly.js";
import { validatePaddleCustomerCreate } from "../src/paddle.js";
import { validatePayPalCustomerCreate } from "../src/paypal.js";
import type { ValidationError } from "../src/errors.js";
import { brokenArb, validArb } from "./support/arbitraries.js";
import { loadSpec, requestSchema } from "./support/spec.js";
import { paypalMockToken } from "./support/mock.js";

const runs = Number(process.env.DIFFERENTIAL_RUNS ?? 300);

interface Verdict {
  accepted: boolean;
  fields: string[];
}

const providers = [
  {
    name: "paddle" as const,
    path: "/customers",
    url: () => inject("paddleMockUrl"),
    headers: () => ({ Authorization: "Bearer pdl_sdbx_apikey_differential" }),
    local: validatePaddleCustomerCreate,
    fields: (body: any): string[] => (body?.error?.errors ?? []).map((e: { field: string }) => e.field),
  },
  {
    name: "paypal" as const,
    path: "/v1/commerce/billing/customers",
    url: () => inject("paypalMockUrl"),
    // A token the mock issued (it refuses others, as PayPal does).
    headers: () => ({ Authorization: `Bearer ${paypalToken}` }),
    local: validatePayPalCustomerCreate,
    fields: (body: any): string[] =>
      (body?.details ?? []).map((d: { field: string }) => d.field.replace(/^\//, "").replaceAll("/", ".")),
  },
];

let paypalToken: string;
beforeAll(async () => {
  paypalToken = await paypalMockToken(inject("paypalMockUrl"), { clientId: "differential", clientSecret: "differential-secret" });
});

const report: Record<string, { cases: number; agreed: number; acceptedByBoth: number; rejectedByBoth: number }> = {};

afterAll(async () => {
  await mkdir(join(root, "test-results"), { recursive: true });
  await writeFile(join(root, "test-results/differential.json"), `${JSON.stringify(report, null, 2)}\n`);
  console.info(
    Object.entries(report)
      .map(([k, r]) => `differential ${k}: ${r.agreed}/${r.cases} agreed (${r.acceptedByBoth} accepted, ${r.rejectedByBoth} rejected by both)`)
      .join("\n"),
  );
});

const unique = (fields: string[]) => [...new Set(fields)].sort();

describe.each(providers)("$name: local validation agrees with the mock", (provider) => {
  const spec = loadSpec(provider.name);
  const schema = requestSchema(spec, provider.path);

  async function compare(label: string, body: unknown): Promise<void> {
    // Both judge the same JSON text.
    const text = JSON.stringify(body);
    const local: ValidationError | undefined = provider.local(JSON.parse(text));
    const response = await fetch(`${provider.url()}${provider.path}`, {
      method: "POST",
      headers: { ...provider.headers(), "Content-Type": "application/json" },
      body: text,
    });
    const answer = await response.json().catch(() => undefined);
    // A 409 is the stateful mock's answer to a body it accepted (an email or external_id it has seen).
    const accepted = response.ok || response.status === 409;
    const mock: Verdict = { accepted, fields: accepted ? [] : unique(provider.fields(answer)) };
    const mine: Verdict = { accepted: !local, fields: unique(local?.fieldErrors.map((f) => f.field) ?? []) };
    const key = `${provider.name} ${label}`;
    const r = (report[key] ??= { cases: 0, agreed: 0, acceptedByBoth: 0, rejectedByBoth: 0 });
    r.cases++;
    expect(mine, `body: ${text}`).toEqual(mock);
    r.agreed++;
    if (mine.accepted) r.acceptedByBoth++;
    else r.rejectedByBoth++;
    if (!accepted) expect(response.status).toBe(400);
  }

  test(`${runs} bodies built from the schema`, async () => {
    await fc.assert(fc.asyncProperty(validArb(spec, schema), (body) => compare("following the schema", body)), { numRuns: runs });
    expect(report[`${provider.name} following the schema`]!.acceptedByBoth).toBeGreaterThan(runs / 2);
  }, 120_000);

  test(`${runs} bodies of any JSON under the schema's keys`, async () => {
    const keys = Object.keys((spec.components as any).schemas[(schema as { $ref: string }).$ref.split("/").pop()!].properties);
    const anyBody = fc.dictionary(fc.constantFrom(...keys, "other"), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ unit: "grapheme" })), { maxKeys: keys.length + 1 });
    await fc.assert(fc.asyncProperty(anyBody, (body) => compare("any JSON", body)), { numRuns: runs });
  }, 120_000);

  test(`${runs} bodies breaking one constraint each`, async () => {
    const broken = new Set<string>();
    await fc.assert(
      fc.asyncProperty(brokenArb(spec, schema), async ({ constraint, body }) => {
        broken.add(`${constraint.path}:${constraint.rule}`);
        await compare("breaking a constraint", body);
      }),
      { numRuns: runs },
    );
    expect(report[`${provider.name} breaking a constraint`]!.rejectedByBoth).toBeGreaterThan(runs * 0.9);
    expect(broken.size).toBeGreaterThan(5);
  }, 120_000);
});
