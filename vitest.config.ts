import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // The package's own name, as the docs' code samples import it, resolves to src/.
    alias: [{ find: /^@payments-contracts\/customers(?:\/(paddle|paypal))?$/, replacement: fileURLToPath(new URL("./src/$1", import.meta.url)) }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Each Prism mock starts once per run; the tests read their URLs with inject().
    globalSetup: ["test/global-setup.ts"],
    typecheck: {
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "tsconfig.json",
    },
    // A promise left unhandled anywhere ends the worker, as it would end a user's process.
    execArgv: ["--unhandled-rejections=strict"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
