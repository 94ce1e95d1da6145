// Pins how the contract check (api-smart-diff, read in context) classifies each kind of change,
// so that an upgrade of the tool, or of the filter around it, cannot silently change a verdict.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { baselineFile, breaking, contractChanges } from "../scripts/contract.js";
import { loadSpec, type Provider } from "./support/spec.js";

type Spec = Record<string, any>;

const cases: { provider: Provider; change: string; breaking: boolean; mutate: (s: Spec) => void }[] = [
  {
    provider: "paddle",
    change: "a response field removed",
    breaking: true,
    mutate: (s) => {
      const customer = s.components.schemas.Customer;
      delete customer.properties.locale;
      customer.required = customer.required.filter((f: string) => f !== "locale");
    },
  },
  {
    provider: "paypal",
    change: "a response field removed",
    breaking: true,
    mutate: (s) => delete s.components.schemas.Customer.properties.taxes,
  },
  { provider: "paddle", change: "a new required request field", breaking: true, mutate: (s) => s.components.schemas.CustomerCreate.required.push("name") },
  {
    provider: "paypal",
    change: "a new required request field",
    breaking: true,
    mutate: (s) => {
      s.components.schemas.CustomerCreate.properties.currency = { type: "string", description: "ISO 4217" };
      s.components.schemas.CustomerCreate.required.push("currency");
    },
  },
  {
    provider: "paypal",
    change: "a narrowed request enum",
    breaking: true,
    mutate: (s) => (s.components.schemas.PaymentMethodType.enum = ["CARD", "PAYPAL"]),
  },
  { provider: "paypal", change: "a narrowed request pattern", breaking: true, mutate: (s) => (s.components.schemas.ExternalId.pattern = "^[a-z0-9_]*$") },
  { provider: "paddle", change: "a pattern added to a request field", breaking: true, mutate: (s) => (s.components.schemas.Locale.pattern = "^[a-z]{2}(-[A-Z]{2})?$") },
  { provider: "paddle", change: "a changed request type", breaking: true, mutate: (s) => (s.components.schemas.Locale.type = "integer") },
  { provider: "paypal", change: "a changed response type", breaking: true, mutate: (s) => (s.components.schemas.Customer.properties.id.type = "integer") },
  { provider: "paddle", change: "null no longer accepted in a request", breaking: true, mutate: (s) => (s.components.schemas.Name.type = "string") },
  { provider: "paddle", change: "a narrowed request maxLength", breaking: true, mutate: (s) => (s.components.schemas.Email.maxLength = 100) },
  {
    provider: "paddle",
    change: "a new optional request field",
    breaking: false,
    mutate: (s) => (s.components.schemas.CustomerCreate.properties.phone = { type: "string", description: "Phone number." }),
  },
  // A schema shared by request and response: wider is fine for requests, but a response field may now exceed what clients expect.
  { provider: "paypal", change: "a widened maxLength on a field requests and responses share", breaking: true, mutate: (s) => (s.components.schemas.CustomerName.maxLength = 1024) },
  { provider: "paddle", change: "a request that now accepts unknown fields", breaking: false, mutate: (s) => delete s.components.schemas.CustomerCreate.additionalProperties },
  { provider: "paypal", change: "a widened enum on a request-only field", breaking: false, mutate: (s) => (s.components.schemas.TokenRequest.properties.grant_type.enum = ["client_credentials", "refresh_token"]) },
  { provider: "paddle", change: "a narrowed response enum", breaking: false, mutate: (s) => (s.components.schemas.Customer.properties.status = { type: "string", enum: ["active"], description: "Only active." }) },
  { provider: "paddle", change: "a description", breaking: false, mutate: (s) => (s.components.schemas.Email.description = "The customer's email.") },
];

describe("contract check verdicts", () => {
  test.each(cases)("$provider: $change → breaking: $breaking", ({ provider, mutate, breaking: expected }) => {
    const before = loadSpec(provider) as Spec;
    const after = structuredClone(before);
    mutate(after);
    const changes = contractChanges(before, after);
    expect(changes.length).toBeGreaterThan(0);
    expect(breaking(changes).length > 0).toBe(expected);
  });

  test("where the check overrides api-smart-diff, and why: its own verdicts on these are non-breaking", () => {
    const before = loadSpec("paypal") as Spec;
    const removed = structuredClone(before);
    delete removed.components.schemas.Customer.properties.taxes;
    const retyped = structuredClone(before);
    retyped.components.schemas.Customer.properties.id.type = "integer";
    for (const after of [removed, retyped]) {
      // One change per response that uses the schema (the create's 200 and 201).
      const changes = contractChanges(before, after);
      expect(changes.length).toBeGreaterThan(0);
      for (const c of changes) expect([c.type, c.toolType]).toEqual(["breaking", "non-breaking"]);
    }
  });

  test.each(["paddle", "paypal"] as const)("%s: the spec has no breaking change against its released baseline", (provider) => {
    const baseline = JSON.parse(readFileSync(baselineFile(provider), "utf8")) as object;
    expect(breaking(contractChanges(baseline, loadSpec(provider)))).toEqual([]);
  });
});
