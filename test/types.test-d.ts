// Type-level tests: what the generated types allow and refuse. Run by `vitest` (typecheck mode).
import { describe, expectTypeOf, test } from "vitest";
import {
  type AbortedError,
  type ConfigurationError,
  type RedirectError,
  createPaddleClient,
  createPayPalClient,
  type ConnectionError,
  type PaddleApiError,
  type PaddleCustomer,
  type PaddleCustomerCreate,
  type PayPalCustomer,
  type PayPalCustomerCreate,
  type TimeoutError,
  type UnreadableResponseError,
  type ValidationError,
  paddleRequestValidators,
  paypalRequestValidators,
} from "../src/index.js";

const paddle = createPaddleClient({ baseUrl: "http://127.0.0.1:4010" });
const paypal = createPayPalClient({ baseUrl: "http://127.0.0.1:4011" });

describe("paddle request body", () => {
  test("email is required, everything else optional (locale has a default, so it stays optional)", () => {
    expectTypeOf<{ email: string }>().toExtend<PaddleCustomerCreate>();
    // @ts-expect-error email is required
    void paddle.customers.create({ name: "Jo Brown" });
    expectTypeOf<PaddleCustomerCreate["locale"]>().toEqualTypeOf<string | undefined>();
  });

  test("read-only fields are not part of a create", () => {
    // @ts-expect-error id is set by Paddle
    void paddle.customers.create({ email: "jo@example.com", id: "ctm_01hv6y1jedq4p1n0yqn5ba3ky4" });
    // @ts-expect-error status is set by Paddle
    void paddle.customers.create({ email: "jo@example.com", status: "active" });
    // @ts-expect-error marketing_consent is set by Paddle
    void paddle.customers.create({ email: "jo@example.com", marketing_consent: true });
    // @ts-expect-error created_at is set by Paddle
    void paddle.customers.create({ email: "jo@example.com", created_at: "2024-04-11T15:57:24.813Z" });
  });

  test("nullable fields take null, non-nullable ones do not", () => {
    void paddle.customers.create({ email: "jo@example.com", name: null, custom_data: null });
    // @ts-expect-error email is not nullable
    void paddle.customers.create({ email: null });
    // @ts-expect-error locale is not nullable
    void paddle.customers.create({ email: "jo@example.com", locale: null });
  });

  test("custom_data is a free-form object, not Record<string, never>", () => {
    expectTypeOf<NonNullable<PaddleCustomerCreate["custom_data"]>>().toEqualTypeOf<{ [key: string]: unknown }>();
    void paddle.customers.create({ email: "jo@example.com", custom_data: { crm: { id: 1, tags: ["a"] } } });
    // @ts-expect-error custom_data is an object, not a string
    void paddle.customers.create({ email: "jo@example.com", custom_data: "crm=1" });
  });
});

describe("paddle response and errors", () => {
  test("the customer is fully typed, with enums and nullable fields", () => {
    expectTypeOf<PaddleCustomer["status"]>().toEqualTypeOf<"active" | "archived">();
    expectTypeOf<PaddleCustomer["name"]>().toEqualTypeOf<string | null>();
    expectTypeOf<PaddleCustomer["marketing_consent"]>().toEqualTypeOf<boolean>();
    expectTypeOf<PaddleCustomer["import_meta"]>().toEqualTypeOf<{ external_id?: string | null; imported_from: string } | null>();
  });

  test("a result is either data or a typed error", async () => {
    const result = await paddle.customers.create({ email: "jo@example.com" });
    if (result.error) {
      expectTypeOf(result.error).toEqualTypeOf<
        PaddleApiError | ValidationError | ConnectionError | TimeoutError | AbortedError | UnreadableResponseError | RedirectError | ConfigurationError
      >();
      expectTypeOf(result.data).toEqualTypeOf<undefined>();
      if (result.error.kind === "api") {
        expectTypeOf(result.error.body.error.type).toEqualTypeOf<"request_error" | "api_error">();
        expectTypeOf(result.error.fieldErrors[0]!.field).toEqualTypeOf<string>();
        expectTypeOf(result.error.requestId).toEqualTypeOf<string | undefined>();
      }
    } else {
      expectTypeOf(result.data).toEqualTypeOf<PaddleCustomer>();
    }
  });
});

describe("paypal request body", () => {
  test("name, external_id and email are required", () => {
    void paypal.customers.create({ name: "John Doe", external_id: "ext_cust_12345", email: "abc@test.com" });
    // @ts-expect-error external_id is required
    void paypal.customers.create({ name: "John Doe", email: "abc@test.com" });
    // @ts-expect-error name is required
    void paypal.customers.create({ external_id: "ext_cust_12345", email: "abc@test.com" });
  });

  test("enums are checked", () => {
    expectTypeOf<PayPalCustomerCreate["payment_method_type"]>().toEqualTypeOf<"CARD" | "PAYPAL" | "ACH_DEBIT" | "APPLE_PAY" | undefined>();
    // @ts-expect-error not a payment method type
    void paypal.customers.create({ name: "J", external_id: "e", email: "a@b.c", payment_method_type: "BITCOIN" });
  });

  test("read-only fields are not part of a create", () => {
    // @ts-expect-error taxes are configured by PayPal, not sent
    void paypal.customers.create({ name: "J", external_id: "e", email: "a@b.c", taxes: [] });
    expectTypeOf<PayPalCustomer>().toHaveProperty("taxes");
    expectTypeOf<PayPalCustomer["id"]>().toEqualTypeOf<string>();
  });

  test("no address field is required; metadata entries require key, value and display_in_invoice", () => {
    void paypal.customers.create({ name: "J", external_id: "e", email: "a@b.c", address: { city: "Berlin" } });
    // @ts-expect-error value is required in a metadata entry
    void paypal.customers.create({ name: "J", external_id: "e", email: "a@b.c", metadata: [{ key: "k", display_in_invoice: true }] });
    // @ts-expect-error display_in_invoice is required in a metadata entry (PayPal's customermetadata)
    void paypal.customers.create({ name: "J", external_id: "e", email: "a@b.c", metadata: [{ key: "k", value: "v" }] });
  });
});

describe("client options", () => {
  test("there is no default target: environment or baseUrl, never both, never neither", () => {
    // @ts-expect-error an environment needs an API key
    createPaddleClient({ environment: "production" });
    // @ts-expect-error either environment or baseUrl
    createPaddleClient({ apiKey: "pdl_live_apikey_x" });
    // @ts-expect-error not both
    createPaddleClient({ environment: "sandbox", baseUrl: "http://127.0.0.1:4010", apiKey: "pdl_sdbx_apikey_x" });
    // @ts-expect-error not an environment
    createPaddleClient({ environment: "staging", apiKey: "pdl_sdbx_apikey_x" });
    // @ts-expect-error PayPal's environments need auth
    createPayPalClient({ environment: "sandbox" });
    // @ts-expect-error either client credentials or an access token, not both
    createPayPalClient({ environment: "sandbox", auth: { clientId: "id", clientSecret: "s", accessToken: "t" } });
    createPayPalClient({ environment: "sandbox", auth: { accessToken: async () => "token" } });
  });

  test("validateRequests takes a provider's validators (a value to import), not a switch", () => {
    createPaddleClient({ baseUrl: "/api/paddle", validateRequests: paddleRequestValidators });
    createPayPalClient({ baseUrl: "/api/paypal", validateRequests: paypalRequestValidators });
    // @ts-expect-error true is not the validators (it would not bring them into the bundle)
    createPaddleClient({ baseUrl: "/api/paddle", validateRequests: true });
    // @ts-expect-error an incomplete set
    createPayPalClient({ baseUrl: "/api/paypal", validateRequests: { create: paddleRequestValidators.create } });
    // @ts-expect-error customers.validate is gone: the validators are imported where they are used
    paddle.customers.validate({ email: "jo@example.com" });
  });
});
