// Reads the specs the way the tests need them: with local $refs resolved, and the list of every
// constraint a request schema declares, so each one can be shown to be enforced by the mock.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import type { Ajv as AjvInstance, Options } from "ajv";
import { parse } from "yaml";

// Ajv is CommonJS; loaded as such.
const require = createRequire(import.meta.url);
const Ajv2020 = require("ajv/dist/2020").default as new (options: Options) => AjvInstance;
const addFormats = require("ajv-formats").default as (ajv: AjvInstance) => void;

export type Provider = "paddle" | "paypal";
type Node = Record<string, unknown>;

export function loadSpec(provider: Provider): Node {
  return parse(readFileSync(join(import.meta.dirname, "../../openapi", `${provider}.yaml`), "utf8")) as Node;
}

/** Follows `$ref: "#/…"` (recursively merging siblings, as 3.1 allows) and flattens single-entry allOf. */
export function resolve(spec: Node, node: unknown): Node {
  let current = node as Node;
  while (typeof current.$ref === "string") {
    const { $ref, ...siblings } = current;
    const target = ($ref as string)
      .slice(2)
      .split("/")
      .reduce<unknown>((n, key) => (n as Node)[key], spec) as Node;
    current = { ...target, ...siblings };
  }
  if (Array.isArray(current.allOf) && current.allOf.length === 1) {
    const { allOf, ...rest } = current;
    current = { ...resolve(spec, allOf[0]), ...rest };
  }
  return current;
}

/** A rule a request schema declares: `rule` is the JSON Schema keyword, `path` the field (`metadata[].key`). */
export interface Constraint {
  path: string;
  rule: string;
}

/** Keywords that restrict a request (annotations such as description, examples and default do not). */
const enforcedFormats = new Set(["email", "date-time", "uri"]);

export function requestConstraints(spec: Node, schema: unknown, path = ""): Constraint[] {
  const s = resolve(spec, schema);
  const out: Constraint[] = [];
  const at = (rule: string, p = path) => out.push({ path: p, rule });
  if (s.type !== undefined && path !== "") at("type");
  for (const rule of ["minLength", "maxLength", "pattern", "enum", "const", "minimum", "maximum", "minItems", "maxItems"]) {
    if (s[rule] !== undefined) at(rule);
  }
  if (typeof s.format === "string" && enforcedFormats.has(s.format)) at("format");
  if (s.additionalProperties === false) at("additionalProperties");
  const join = (key: string) => (path ? `${path}.${key}` : key);
  for (const key of (s.required as string[] | undefined) ?? []) at("required", join(key));
  for (const [key, property] of Object.entries((s.properties as Node | undefined) ?? {})) {
    out.push(...requestConstraints(spec, property, join(key)));
  }
  if (s.items) out.push(...requestConstraints(spec, s.items, `${path}[]`));
  return out;
}

/** The request body schema of an operation, by path. */
export function requestSchema(spec: Node, path: string, mediaType = "application/json"): unknown {
  const operation = ((spec.paths as Node)[path] as Node).post as Node;
  const body = resolve(spec, operation.requestBody);
  return ((body.content as Node)[mediaType] as Node).schema;
}

/** The error statuses (4xx, 5xx) an operation documents. */
export function documentedErrorStatuses(spec: Node, path: string): Set<number> {
  const operation = ((spec.paths as Node)[path] as Node).post as Node;
  return new Set(Object.keys(operation.responses as Node).map(Number).filter((status) => status >= 400));
}

/** The field name the mock reports for a constraint path: `metadata[].key` → `metadata.0.key`. */
export function reportedField(path: string): string {
  return path.replaceAll("[]", ".0");
}

/** Sets `value` at a dotted path in a copy of `body`; `undefined` deletes the key. */
export function withValue<T extends object>(body: T, path: string, value: unknown): T {
  const copy = structuredClone(body) as Node;
  const keys = reportedField(path).split(".");
  const last = keys.pop()!;
  const parent = keys.reduce<Node>((node, key) => node[key] as Node, copy);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy as T;
}

/** Prism's rule violations for a response, from its `sl-violations` header. */
export function violations(response: Response | undefined): { location: string[]; code: string | number }[] {
  const header = response?.headers.get("sl-violations");
  return header ? JSON.parse(header) : [];
}

/**
 * Every property a spec declares, named as `openapi/SOURCES.md` names them: each schema
 * (`Customer`), its properties however deep (`Error.error.code`, `Metadata.key`, array items as
 * `Schema.list[]`), and each reusable parameter and header (`parameter PaddleVersion`).
 */
export function declaredProperties(spec: Node): string[] {
  const out: string[] = [];
  const walk = (schema: unknown, path: string) => {
    if (!schema || typeof schema !== "object") return;
    const s = schema as Node;
    for (const [key, property] of Object.entries((s.properties as Node | undefined) ?? {})) {
      out.push(`${path}.${key}`);
      walk(property, `${path}.${key}`);
    }
    if (s.items) walk(s.items, `${path}[]`);
  };
  const components = spec.components as Record<string, Node | undefined>;
  for (const [name, schema] of Object.entries(components.schemas ?? {})) {
    out.push(name);
    walk(schema, name);
  }
  for (const name of Object.keys(components.parameters ?? {})) out.push(`parameter ${name}`);
  for (const name of Object.keys(components.headers ?? {})) out.push(`header ${name}`);
  return out;
}

/**
 * A validator for one of the spec's schemas (JSON Schema 2020-12, as OpenAPI 3.1 uses), to hold the
 * mocks' answers to the contract: `validate(value)` returns the violations, empty when it conforms.
 */
export function schemaValidator(provider: Provider, schemaName: string): (value: unknown) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("phone", true);
  ajv.addSchema({ $id: provider, components: loadSpec(provider).components });
  const validate = ajv.getSchema(`${provider}#/components/schemas/${schemaName}`)!;
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

/** The query parameters of an operation as one object schema (as the generated query validator sees them). */
export function querySchema(spec: Node, path: string, method: string): Node {
  const item = (spec.paths as Node)[path] as Node;
  const operation = item[method] as Node;
  const parameters = [...((item.parameters as Node[] | undefined) ?? []), ...((operation.parameters as Node[] | undefined) ?? [])]
    .map((p) => resolve(spec, p))
    .filter((p) => p.in === "query");
  return { type: "object", properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema])) };
}

/** The error statuses (4xx, 5xx) an operation documents, by method. */
export function errorStatuses(spec: Node, path: string, method: string): number[] {
  const operation = ((spec.paths as Node)[path] as Node)[method] as Node;
  return Object.keys(operation.responses as Node).map(Number).filter((status) => status >= 400);
}
