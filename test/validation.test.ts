// The generated validators through the clients: the same field and rule as the mock, nothing sent.
import { describe, expect, inject, test } from "vitest";
import {
  createPaddleClient,
  createPayPalClient,
  firstMessageByField,
  isValidationError,
  messagesByField,
  paddleRequestValidators,
  paypalRequestValidators,
  validatePaddleCustomerCreate,
  validatePayPalCustomerCreate,
  ValidationError,
} from "../src/index.js";

function recording() {
  const sent: string[] = [];
  return { sent, fetch: (input: string | URL | Request, init?: RequestInit) => (sent.push(String(input instanceof Request ? input.url : input)), fetch(input, init)) };
}

describe("validation before sending", () => {
  test("a form gets one message per field: an empty email breaks two rules, and both are there to read", async () => {
    const invalid = validatePayPalCustomerCreate({ name: "J", external_id: "e", email: "" });
    const email = invalid!.fieldErrors.filter((f) => f.field === "email");
    expect(email.length).toBe(2); // minLength and pattern: a loop over fieldErrors would keep only the last
    expect(firstMessageByField(invalid)).toEqual({ email: email[0]!.message });
    expect(messagesByField(invalid)).toEqual({ email: email.map((f) => f.message) });
    // The same view of the API's own answer (the mock's 400 names the fields), and of errors that name none.
    const paypal = createPayPalClient({ baseUrl: inject("paypalMockUrl"), auth: { clientId: "form", clientSecret: "form-secret" } });
    const { error } = await paypal.customers.create({ name: "J", external_id: "e", email: "" });
    expect(error?.kind).toBe("api");
    expect(Object.keys(messagesByField(error))).toContain("email");
    expect(Object.values(firstMessageByField(error)).every((m) => typeof m === "string")).toBe(true);
    expect(messagesByField(undefined)).toEqual({});
    expect(firstMessageByField(new Error("x"))).toEqual({});
    // A hostile field name is a key like any other, not a prototype.
    const hostile = Object.assign(Object.create(ValidationError.prototype), { fieldErrors: [{ field: "__proto__", message: "m" }] });
    expect(Object.getPrototypeOf(messagesByField(hostile))).toBeNull();
    expect(messagesByField(hostile)["__proto__"]).toEqual(["m"]);
  });

  test("a validator names each field and the rule it broke", () => {
    expect(validatePaddleCustomerCreate({ email: "jo@example.com" })).toBeUndefined();
    const error = paddleRequestValidators.create({ email: "not an email", name: 42, extra: true });
    expect(error).toBeInstanceOf(ValidationError);
    expect(error!.kind).toBe("validation");
    expect(error!.fieldErrors).toEqual([
      { field: "extra", message: "must NOT have additional properties", issue: "additionalProperties" },
      { field: "email", message: 'must match format "email"', issue: "format" },
      { field: "name", message: "must be string,null", issue: "type" },
    ]);
    expect(error!.message).toContain("email: must match format");
  });

  test("the standalone validators are exported for forms that hold no client", () => {
    expect(validatePaddleCustomerCreate({ email: "jo@example.com", locale: "de" })).toBeUndefined();
    const error = validatePayPalCustomerCreate({ name: "", external_id: "ok", email: "a@b.co", metadata: [{ key: "k" }], address: { country: "de" } });
    expect(isValidationError(error)).toBe(true);
    expect(error!.fieldErrors.map(({ field, issue }) => `${field}:${issue}`).sort()).toEqual(
      ["address.country:pattern", "metadata.0.display_in_invoice:required", "metadata.0.value:required", "name:minLength"].sort(),
    );
  });

  test("validateRequests: an invalid body resolves to a ValidationError and nothing is sent", async () => {
    const paddleWire = recording();
    const paddle = createPaddleClient({ baseUrl: inject("paddleMockUrl"), apiKey: "pdl_sdbx_apikey_v", validateRequests: paddleRequestValidators, fetch: paddleWire.fetch });
    const { error } = await paddle.customers.create({ email: "" });
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors.map((f) => f.issue).sort()).toEqual(["format", "minLength"]);
    expect(paddleWire.sent).toEqual([]);
    // A valid body still goes out; and a call can switch validation off (the mock then says no).
    expect((await paddle.customers.create({ email: "jo@example.com" })).error).toBeUndefined();
    const unchecked = await paddle.customers.create({ email: "" }, { validate: false });
    expect(unchecked.error?.kind).toBe("api");
    expect(paddleWire.sent).toHaveLength(2);
  });

  test("PayPal: validation happens before the token exchange, so nothing at all is sent", async () => {
    const wire = recording();
    const paypal = createPayPalClient({ baseUrl: inject("paypalMockUrl"), auth: { clientId: "id", clientSecret: "secret" }, validateRequests: paypalRequestValidators, fetch: wire.fetch });
    const { error } = await paypal.customers.create({ name: "J", external_id: "not valid!", email: "a@b.co" });
    expect((error as ValidationError).fieldErrors).toEqual([
      { field: "external_id", message: 'must match pattern "^[a-zA-Z0-9_-]*$"', issue: "pattern" },
    ]);
    expect(wire.sent).toEqual([]);
  });

  test("validateRequests takes the validators, not a switch; a call cannot ask for checks its client has not got", async () => {
    const wire = recording();
    const baseUrl = inject("paddleMockUrl");
    // `true` (and any other value) names the option and the export to give instead.
    for (const value of [true, "yes", {}, { create: () => undefined }]) {
      expect(() => createPaddleClient({ baseUrl, validateRequests: value as never })).toThrow(
        /^paddle: validateRequests: must be paddleRequestValidators \(import \{ paddleRequestValidators \} from "@payments-contracts\/customers\/paddle"\)/,
      );
      expect(() => createPayPalClient({ baseUrl: inject("paypalMockUrl"), validateRequests: value as never })).toThrow(/^paypal: validateRequests: must be paypalRequestValidators/);
    }
    // Without validators a call's `validate: true` is a ConfigurationError naming the option; nothing is sent.
    const paddle = createPaddleClient({ baseUrl, apiKey: "pdl_sdbx_apikey_v", fetch: wire.fetch });
    const { error } = await paddle.customers.create({ email: "" }, { validate: true });
    expect(error?.kind).toBe("configuration");
    expect(error?.message).toBe("paddle: validate: needs a client created with validateRequests: paddleRequestValidators");
    expect(wire.sent).toEqual([]);
    // `validate: false` on such a client is what it does anyway.
    expect((await paddle.customers.create({ email: `switch-${Date.now()}@example.com` }, { validate: false })).error).toBeUndefined();
  });
});
