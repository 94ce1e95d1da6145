// `npm run generate`: openapi/*.yaml → generated/*.ts for every API in redocly.yaml.
// `--check` writes nothing and fails if regenerating would change generated/ (openapi-typescript's
// own --check stops after the first API when several are configured, so it is not used).
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";
import { parse } from "yaml";
import { validatorsSource } from "./validators.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");

interface RedoclyConfig {
  apis: Record<string, { root: string; "x-openapi-ts": { output: string } }>;
}

type Node = Record<string, unknown>;

interface Operation {
  operationId: string;
  parameters?: Node[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
}

interface Spec {
  paths: Record<string, Record<string, Operation | Node[]>>;
}

const methods = new Set(["get", "put", "post", "delete", "patch"]);

/** Every operation of the spec, with the parameters its path declares for all of them. */
function operations(spec: Spec): { operation: Operation; pathParameters: Node[] }[] {
  return Object.values(spec.paths).flatMap((item) =>
    Object.entries(item)
      .filter(([key]) => methods.has(key))
      .map(([, operation]) => ({ operation: operation as Operation, pathParameters: (item.parameters as Node[] | undefined) ?? [] })),
  );
}

const capitalised = (id: string) => `${id[0]!.toUpperCase()}${id.slice(1)}`;

/**
 * The checks a caller's input gets: one validator per JSON request body (`validateCreateCustomer`)
 * and one per query (`validateListCustomersQuery`: the query parameters as one object; others are
 * let through, as the mock and the APIs ignore a query parameter they do not know). The token endpoint's form body is not among them: the client builds it itself.
 */
function inputValidators(spec: Spec): Record<string, { schema: unknown; what: string }> {
  const validators: Record<string, { schema: unknown; what: string }> = {};
  const resolve = (node: Node): Node =>
    typeof node.$ref === "string" ? (node.$ref.slice(2).split("/").reduce<unknown>((n, k) => (n as Node)[k], spec) as Node) : node;
  for (const { operation, pathParameters } of operations(spec)) {
    const ref = operation.requestBody?.content["application/json"]?.schema.$ref;
    if (ref) validators[`validate${capitalised(operation.operationId)}`] = { schema: { $ref: ref }, what: `a \`${ref.split("/").pop()}\` body` };
    const query = [...pathParameters, ...(operation.parameters ?? [])].map(resolve).filter((p) => p.in === "query");
    if (query.length > 0) {
      validators[`validate${capitalised(operation.operationId)}Query`] = {
        what: `the query of \`${operation.operationId}\``,
        schema: {
          type: "object",
          properties: Object.fromEntries(query.map((p) => [p.name, p.schema])),
          required: query.filter((p) => p.required).map((p) => p.name),
        },
      };
    }
  }
  return validators;
}

/**
 * A property declared as a bare `$ref` (`email: { $ref: "#/components/schemas/Email" }`) would
 * reach the generated type without a comment, so an editor would show nothing on hover. Each such
 * property gets the description of the schema it refers to (a description of its own wins), on a
 * copy of the spec given to openapi-typescript; the spec itself is not changed.
 */
function documentReferencedProperties(spec: Node): Node {
  const copy = structuredClone(spec);
  const target = (ref: string) => ref.slice(2).split("/").reduce<unknown>((node, key) => (node as Node | undefined)?.[key], copy) as Node | undefined;
  const visit = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) return node.forEach(visit);
    const properties = (node as Node).properties;
    if (typeof properties === "object" && properties !== null) {
      for (const property of Object.values(properties as Record<string, Node>)) {
        // `{ $ref }`, or `{ allOf: [{ $ref }], default }` (how a default is given to a referenced schema).
        const ref = property.$ref ?? (Array.isArray(property.allOf) && property.allOf.length === 1 ? (property.allOf[0] as Node).$ref : undefined);
        const description = typeof ref === "string" ? target(ref)?.description : undefined;
        if (typeof description === "string" && property.description === undefined) property.description = description;
      }
    }
    Object.values(node).forEach(visit);
  };
  visit(copy);
  return copy;
}

const config = parse(await readFile(join(root, "redocly.yaml"), "utf8")) as RedoclyConfig;
const stale: string[] = [];

await Promise.all(
  Object.entries(config.apis).map(async ([name, api]) => {
    const spec = parse(await readFile(join(root, api.root), "utf8")) as Spec;
    const ast = await openapiTS(documentReferencedProperties(spec as unknown as Node) as unknown as Parameters<typeof openapiTS>[0], {
      // A field with a `default` stays optional: the server fills it in, the caller need not.
      defaultNonNullable: false,
      // A free-form object is `Record<string, unknown>`, not `Record<string, never>`.
      emptyObjectsUnknown: true,
      silent: true,
    });
    const output = join(root, api["x-openapi-ts"].output);
    const files: [string, string][] = [
      [output, COMMENT_HEADER + astToString(ast)],
      [output.replace(/\.ts$/, ".validators.ts"), validatorsSource(spec, inputValidators(spec))],
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
