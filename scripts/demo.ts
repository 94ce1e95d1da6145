// `npm run demo`: mocks on free ports, one customer per provider through the clients, one bad input
// with its typed error, then everything stops and the process exits 0.
import { createPaddleClient, createPayPalClient, isApiError } from "../src/index.js";
import { startMocks, stopMocks } from "./mock-server.js";

const mocks = await startMocks();
try {
  console.log(`mocks: paddle ${mocks.paddle.url}, paypal ${mocks.paypal.url}\n`);

  const paddle = createPaddleClient({ baseUrl: mocks.paddle.url, apiKey: "pdl_sdbx_apikey_demo" });
  const created = await paddle.customers.create({ email: "jo@example.com", name: "Jo Brown" });
  if (created.error) throw created.error;
  console.log(`paddle: created ${created.data.id} <${created.data.email}> (request ${created.requestId})`);

  const paypal = createPayPalClient({ baseUrl: mocks.paypal.url, auth: { clientId: "demo-client", clientSecret: "demo-secret" } });
  const customer = await paypal.customers.create({ name: "John Doe", external_id: "ext_cust_12345", email: "abc@test.com" });
  if (customer.error) throw customer.error;
  console.log(`paypal: created ${customer.data.id} "${customer.data.name}" (token exchanged at /v1/oauth2/token)`);

  const rejected = await paypal.customers.create({ name: "", external_id: "not valid!", email: "abc@test.com" });
  if (!isApiError(rejected.error)) throw new Error("the mock accepted an invalid body");
  const { status, code, requestId, fieldErrors } = rejected.error;
  console.log(`\npaypal: rejected a bad body: ${status} ${code} (debug_id ${requestId})`);
  for (const f of fieldErrors) console.log(`  ${f.field}: ${f.issue} — ${f.message}`);
} finally {
  await stopMocks(mocks);
}
