// `npm run example`: both mocks on free ports, the example's server in front of them on
// 127.0.0.1:4020 (EXAMPLE_PORT), until Ctrl-C.
import { stopOnSignal } from "../../scripts/mock.js";
import { startMocks, stopMocks } from "../../scripts/mock-server.js";
import { startExample } from "./server.js";

const mocks = await startMocks();
const example = await startExample({
  paddle: { baseUrl: mocks.paddle.url, apiKey: "pdl_sdbx_apikey_example" },
  paypal: { baseUrl: mocks.paypal.url, clientId: "example-client", clientSecret: "example-secret" },
  port: Number(process.env.EXAMPLE_PORT ?? 4020),
}).catch(async (error: unknown) => {
  await stopMocks(mocks);
  throw error;
});
console.log(`example frontend on ${example.url}/ (the Paddle mock at ${mocks.paddle.url}, the PayPal mock at ${mocks.paypal.url}); Ctrl-C stops it`);
stopOnSignal(() => Promise.all([example.stop(), stopMocks(mocks)]).then(() => undefined));
