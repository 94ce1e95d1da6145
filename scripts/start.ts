// `npm start` (after `npm run build`): both mocks and the docs site on 127.0.0.1 until interrupted.
import { join } from "node:path";
import { printUsage, stopOnSignal } from "./mock.js";
import { mockPortsFromEnv, startMocks, stopMocks } from "./mock-server.js";
import { root } from "./redocly.js";
import { serveDirectory } from "./static-server.js";

const docs = await serveDirectory(join(root, "dist/docs"), Number(process.env.DOCS_PORT ?? 4000));
const mocks = await startMocks(mockPortsFromEnv()).catch(async (error: unknown) => {
  await docs.stop();
  throw error;
});
printUsage(mocks);
console.log(`\ndocs site on ${docs.url}/ (references: ${docs.url}/paddle.html, ${docs.url}/paypal.html; specs under ${docs.url}/openapi/)`);
stopOnSignal(async () => {
  await Promise.all([stopMocks(mocks), docs.stop()]);
});
