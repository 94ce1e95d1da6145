// `npm run generate`: openapi/*.yaml → generated/*.ts for every API in redocly.yaml.
// `--check` writes nothing and fails if regenerating would change generated/ (openapi-typescript's
// own --check stops after the first API when several are configured, so it is not used).
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";
import { parse } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");

interface RedoclyConfig {
  apis: Record<string, { root: string; "x-openapi-ts": { output: string } }>;
}

const config = parse(await readFile(join(root, "redocly.yaml"), "utf8")) as RedoclyConfig;
const stale: string[] = [];

await Promise.all(
  Object.entries(config.apis).map(async ([name, api]) => {
    const ast = await openapiTS(pathToFileURL(join(root, api.root)), {
      // A field with a `default` stays optional: the server fills it in, the caller need not.
      defaultNonNullable: false,
      // A free-form object is `Record<string, unknown>`, not `Record<string, never>`.
      emptyObjectsUnknown: true,
      silent: true,
    });
    const output = join(root, api["x-openapi-ts"].output);
    const text = COMMENT_HEADER + astToString(ast);
    if (check) {
      const current = await readFile(output, "utf8").catch(() => "");
      if (current !== text) stale.push(relative(root, output));
      return;
    }
    await mkdir(dirname(output), { recursive: true });
    await writeFile(output, text);
    console.log(`${name}: ${api.root} → ${relative(root, output)}`);
  }),
);

if (stale.length > 0) {
  console.error(`generated/ is out of date with openapi/: ${stale.join(", ")}. Run \`npm run generate\` and commit the result.`);
  process.exit(1);
}
if (check) console.log("generated/ is up to date with openapi/");
