// What the benchmark sends (the same in every contender and in the profile), and the seeds' 201
// bodies, as the providers send them: what the benchmark's servers answer.
export const paddleBody = { email: "jo@example.com", name: "Jo Brown" };
export const paypalBody = { name: "John Doe", external_id: "ext_cust_12345", email: "abc@test.com" };
export const apiKey = "pdl_sdbx_apikey_bench";

export const paddleCreated = JSON.stringify({
  data: {
    id: "ctm_01hv6y1jedq4p1n0yqn5ba3ky4",
    status: "active",
    custom_data: null,
    name: "Jo Brown",
    email: "jo@example.com",
    marketing_consent: false,
    locale: "en",
    created_at: "2024-04-11T15:57:24.813Z",
    updated_at: "2024-04-11T15:57:24.813Z",
    import_meta: null,
  },
  meta: { request_id: "9bcdcc29-e180-4055-ad3d-d37e5dc5e56d" },
});

export const paypalCreated = JSON.stringify({
  name: "TechStart Solutions",
  external_id: "5eb02857-a71e-4ea2-bcf9-1753826282",
  email: "finance@techstart.io",
  address: { line1: "123 Innovation Way", line2: "Suite 400", city: "San Francisco", state: "CA", postal_code: "94087", country: "US" },
  phone: "+1 (555) 789-1234",
  payment_method_token: "6ta69628uw121251c",
  payment_method_type: "CARD",
  metadata: [
    { key: "Purchase Order", value: "PO-2023-4521", display_in_invoice: true },
    { key: "Sales Region", value: "West Coast", display_in_invoice: false },
  ],
  id: "f772b19c-c5c2-426d-8871-346a6cd094c5",
});
