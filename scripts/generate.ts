// `npm run generate`: openapi/*.yaml → generated/*.ts for every API in redocly.yaml.
// `--check` writes nothing and fails if regenerating would change generated/ (openapi-typescript's
// own --check stops after the first API when several are configured, so it is not used).
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";
import { parse } from "yaml";
import { validatorsSource } from "./validators.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");

interface RedoclyConfig {
  apis: Record<string, { root: string; "x-openapi-ts": { output: string } }>;
}

interface Spec {
  paths: Record<string, Record<string, { operationId: string; requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>>;
}

/**
 * One validator per JSON request body a caller writes (`validateCreateCustomer`). The token
 * endpoint's form body is not among them: the client builds it itself.
 */
function jsonBodyValidators(spec: Spec): Record<string, string> {
  const validators: Record<string, string> = {};
  for (const methods of Object.values(spec.paths)) {
    for (const operation of Object.values(methods)) {
      const ref = operation.requestBody?.content["application/json"]?.schema.$ref;
      if (ref) validators[`validate${operation.operationId[0]!.toUpperCase()}${operation.operationId.slice(1)}`] = ref;
    }
  }
  return validators;
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
    const spec = parse(await readFile(join(root, api.root), "utf8")) as Spec;
    const files: [string, string][] = [
      [output, COMMENT_HEADER + astToString(ast)],
      [output.replace(/\.ts$/, ".validators.ts"), validatorsSource(spec, jsonBodyValidators(spec))],
    ];
    for (const [file, text] of files) {
      if (check) {
        const current = await readFile(file, "utf8").catch(() => "");
        if (current !== text) stale.push(relative(root, file));
        continue;
      }
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
      console.log(`${name}: ${api.root} → ${relative(root, file)}`);
    }
  }),
);

if (stale.length > 0) {
  console.error(`generated/ is out of date with openapi/: ${stale.join(", ")}. Run \`npm run generate\` and commit the result.`);
  process.exit(1);
}
if (check) console.log("generated/ is up to date with openapi/");
