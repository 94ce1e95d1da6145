// `npm run bundle`: each spec as one self-contained file, YAML and JSON, into dist/openapi/ (or a folder given).
import { join } from "node:path";
import { providers } from "./mock-server.js";
import { mustRedocly, root } from "./redocly.js";

export async function bundleSpecs(outDir: string): Promise<void> {
  await Promise.all(
    (["yaml", "json"] as const).map((ext) => mustRedocly(["bundle", ...providers, "--output", outDir, "--ext", ext], { quiet: true })),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outDir = process.argv[2] ?? join(root, "dist/openapi");
  await bundleSpecs(outDir);
  console.log(`bundled ${providers.join(", ")} → ${outDir}/*.{yaml,json}`);
}
