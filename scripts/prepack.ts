// Runs before every `npm pack` / `npm publish`: a tarball without the compiled code or the bundled
// specs would install without error and fail at the first import. `npm run tarball` builds them first.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { root } from "./redocly.js";

const needed = ["dist/src/index.js", "dist/src/paddle.d.ts", "dist/src/paypal.js", "dist/openapi/paddle.json", "dist/openapi/paypal.yaml"];
const missing = (await Promise.all(needed.map((f) => stat(join(root, f)).then(() => undefined, () => f)))).filter(Boolean);
if (missing.length > 0) {
  console.error(`npm pack: ${missing.join(", ")} missing. Run \`npm run tarball\` (it compiles and bundles first).`);
  process.exit(1);
}
