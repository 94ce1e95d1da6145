// Bytes a browser downloads for each entry point: esbuild, minified, for the browser, then gzip -9.
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile, type Plugin } from "esbuild";
import { root } from "./redocly.js";

export interface BundleSize {
  name: string;
  minified: number;
  gzipped: number;
  /** Source files whose code the bundle contains, relative to the repository. */
  inputs: string[];
  /** Minified bytes each of those files puts in the bundle (before gzip). */
  bytesByInput: Record<string, number>;
  note?: string;
}

/** Swaps the generated validators for a stub that accepts everything: what an entry weighs without them. */
const withoutValidators: Plugin = {
  name: "without-validators",
  setup(b) {
    b.onResolve({ filter: /\.validators\.js$/ }, (args) => ({ path: args.path, namespace: "stub" }));
    // The same exported names as the real file, each a check that accepts everything.
    b.onLoad({ filter: /.*/, namespace: "stub" }, async (args) => {
      const real = await readFile(join(root, "generated", basename(args.path).replace(/\.js$/, ".ts")), "utf8");
      const names = [...real.matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
      return { contents: names.map((name) => `export const ${name} = () => true;`).join("\n"), loader: "js" };
    });
  },
};

/** Bundles `source` (an ES module's text, resolved from the repository root) as a browser app would. */
export async function bundleSize(
  name: string,
  source: string,
  { platform = "browser", validators = true }: { platform?: "browser" | "node"; validators?: boolean } = {},
): Promise<BundleSize> {
  const result = await build({
    plugins: validators ? [] : [withoutValidators],
    stdin: { contents: source, resolveDir: root, loader: "ts", sourcefile: `${name}.ts` },
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.contents;
  const bytesByInput = Object.fromEntries(
    Object.values((result.metafile as Metafile).outputs)
      .flatMap((output) => Object.entries(output.inputs))
      .filter(([, input]) => input.bytesInOutput > 0)
      .sort(([, a], [, b]) => b.bytesInOutput - a.bytesInOutput)
      .map(([path, input]) => [path, input.bytesInOutput]),
  );
  return {
    name,
    minified: code.length,
    gzipped: gzipSync(code, { level: 9 }).length,
    // Files that put code in the bundle (a file read and then tree-shaken away puts none).
    inputs: Object.keys(bytesByInput),
    bytesByInput,
  };
}

export const entries = {
  "./paddle": 'export * from "./src/paddle.ts";',
  "./paypal": 'export * from "./src/paypal.ts";',
  ".": 'export * from "./src/index.ts";',
} as const;

export async function bundleSizes(): Promise<BundleSize[]> {
  const ours = await Promise.all(Object.entries(entries).map(([name, source]) => bundleSize(`this project ${name}`, source)));
  // What a frontend that imports only the client factory downloads (tree-shaken).
  const factories = await Promise.all([
    bundleSize("this project: createPaddleClient alone", 'export { createPaddleClient } from "./src/paddle.ts";'),
    bundleSize("this project: createPayPalClient alone", 'export { createPayPalClient } from "./src/paypal.ts";'),
  ]);
  const openapiFetch = await bundleSize("openapi-fetch (bare)", 'export { default } from "openapi-fetch";');
  const ky = await bundleSize("ky", 'export { default } from "ky";');
  let sdk: BundleSize;
  try {
    sdk = await bundleSize("@paddle/paddle-node-sdk", 'export { Paddle } from "@paddle/paddle-node-sdk";');
  } catch {
    // It imports Node built-ins, so it does not bundle for a browser at all; its Node bundle for scale.
    sdk = {
      ...(await bundleSize("@paddle/paddle-node-sdk", 'export { Paddle } from "@paddle/paddle-node-sdk";', { platform: "node" })),
      note: "does not build for the browser; Node bundle",
    };
  }
  return [...ours, ...factories, openapiFetch, ky, sdk];
}
