// `npm run mock`: one mock per provider on 127.0.0.1 until interrupted, then both stop.
import { mockPortsFromEnv, startMocks, stopMocks, type MockServer, type Provider } from "./mock-server.js";

/** Runs until SIGINT/SIGTERM, then calls `stop` and exits. */
export function stopOnSignal(stop: () => Promise<void>) {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stopping…`);
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}

export function printUsage(mocks: Record<Provider, MockServer>) {
  console.log(`paddle mock listening on ${mocks.paddle.url}`);
  console.log(`paypal mock listening on ${mocks.paypal.url}`);
  console.log(`
Call them:
  curl -X POST ${mocks.paddle.url}/customers -H 'Authorization: Bearer pdl_sdbx_apikey_test' \\
    -H 'Content-Type: application/json' -d '{"email":"jo@example.com","name":"Jo Brown"}'
  curl -X POST ${mocks.paypal.url}/v1/oauth2/token -u client_id:client_secret -d grant_type=client_credentials
  curl -X POST ${mocks.paypal.url}/v1/commerce/billing/customers -H 'Authorization: Bearer <access_token from the call above>' \\
    -H 'Content-Type: application/json' -d '{"name":"John Doe","external_id":"ext_cust_12345","email":"abc@test.com"}'
Or from TypeScript: createPaddleClient({ baseUrl: "${mocks.paddle.url}", apiKey: "pdl_sdbx_apikey_test" })
                    createPayPalClient({ baseUrl: "${mocks.paypal.url}", auth: { clientId: "id", clientSecret: "secret" } })
The mocks remember what you create (per API key / client id): a repeated email or external_id conflicts,
a repeated PayPal-Request-Id answers the first outcome, PayPal tokens expire. POST /__mock/reset forgets
it all (or one account, with its Authorization header); POST /__mock/expire-tokens (PayPal) expires every token.
Force a documented status with the header  Prefer: code=409  (Prism). Ctrl-C stops everything.`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const mocks = await startMocks(mockPortsFromEnv());
  printUsage(mocks);
  stopOnSignal(() => stopMocks(mocks));
}
