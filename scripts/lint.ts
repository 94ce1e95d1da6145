// `npm run lint`: redocly lint on every API in redocly.yaml; zero errors and zero warnings or it fails.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const cli = join(dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")), "bin/cli.js");
const result = spawnSync(process.execPath, [cli, "lint", "--max-problems=1000", ...process.argv.slice(2)], {
  stdio: "inherit",
  // No network: no telemetry, no update check.
  env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
});
process.exit(result.status ?? 1);
