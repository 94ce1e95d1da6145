// fast-check arbitraries built from a request schema: bodies that follow it, and bodies that break
// one of its constraints (as listed by requestConstraints).
import fc from "fast-check";
import { reportedField, requestConstraints, resolve, withValue, type Constraint } from "./spec.js";

type Node = Record<string, unknown>;
type Spec = Record<string, unknown>;

const types = (s: Node): string[] => (Array.isArray(s.type) ? (s.type as string[]) : s.type ? [s.type as string] : []);

/** A string honouring min/max length and pattern (unicode included, to exercise length counting). */
function stringArb(s: Node): fc.Arbitrary<string> {
  const min = (s.minLength as number | undefined) ?? 0;
  const max = Math.min((s.maxLength as number | undefined) ?? 40, min + 40);
  if (s.format === "email") return fc.emailAddress().filter((e) => e.length >= min && e.length <= (s.maxLength as number));
  if (typeof s.pattern === "string") {
    const re = new RegExp(s.pattern as string, "u");
    return fc.stringMatching(re, { size: "small" }).filter((v) => [...v].length >= min && [...v].length <= max);
  }
  return fc.oneof(fc.string({ minLength: min, maxLength: max }), fc.string({ unit: "grapheme", minLength: min, maxLength: max }));
}

export function validArb(spec: Spec, schema: unknown): fc.Arbitrary<unknown> {
  const s = resolve(spec, schema);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const t = types(s);
  const nonNull = t.filter((x) => x !== "null");
  const arbs: fc.Arbitrary<unknown>[] = nonNull.map((type) => {
    switch (type) {
      case "string":
        return stringArb(s);
      case "boolean":
        return fc.boolean();
      case "integer":
        return fc.integer();
      case "number":
        return fc.double({ noNaN: true, noDefaultInfinity: true });
      case "array":
        return fc.array(validArb(spec, s.items), { maxLength: 3 });
      case "object": {
        const properties = (s.properties as Node | undefined) ?? {};
        if (Object.keys(properties).length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
        return fc.record(
          Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, validArb(spec, v)])),
          { requiredKeys: (s.required as string[] | undefined) ?? [] },
        );
      }
      default:
        throw new Error(`no arbitrary for type ${type}`);
    }
  });
  if (t.includes("null")) arbs.push(fc.constant(null));
  return arbs.length === 1 ? arbs[0]! : fc.oneof(...arbs);
}

/** The schema node at a constraint path (`metadata[].key`). */
function schemaAt(spec: Spec, root: unknown, path: string): Node {
  let node = resolve(spec, root);
  for (const part of path.split(".").filter(Boolean)) {
    const [name, arrays] = [part.replace(/\[\]/g, ""), part.match(/\[\]/g)?.length ?? 0];
    node = resolve(spec, (node.properties as Node)[name]);
    for (let i = 0; i < arrays; i++) node = resolve(spec, node.items);
  }
  return node;
}

const jsonOfOtherType = (allowed: string[]) =>
  fc
    .oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.string(), fc.constant(null), fc.constant([]), fc.constant({ a: 1 }))
    .filter((v) => {
      const actual = v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v;
      return !allowed.includes(actual) && !(actual === "integer" && allowed.includes("number"));
    });

/** A value for the field at `c.path` that breaks `c.rule` (other rules may break too). */
function breakerArb(spec: Spec, root: unknown, c: Constraint): fc.Arbitrary<unknown> {
  if (c.rule === "required") return fc.constant(undefined);
  if (c.rule === "additionalProperties") return fc.constant("unexpected");
  const s = schemaAt(spec, root, c.path);
  switch (c.rule) {
    case "type":
      return jsonOfOtherType(types(s));
    case "minLength":
      return fc.string({ maxLength: (s.minLength as number) - 1 });
    case "maxLength":
      return fc.string({ minLength: (s.maxLength as number) + 1, maxLength: (s.maxLength as number) + 30 });
    case "pattern": {
      const re = new RegExp(s.pattern as string, "u");
      return fc.string({ minLength: 1, maxLength: 20 }).filter((v) => !re.test(v));
    }
    case "format":
      return fc.oneof(fc.string({ maxLength: 20 }), fc.emailAddress().map((e) => e.replace("@", " at ")));
    case "enum":
      return fc.string({ maxLength: 12 }).filter((v) => !(s.enum as unknown[]).includes(v));
    default:
      throw new Error(`no breaker for ${c.rule}`);
  }
}

/** Bodies that break one constraint of `schema`: a valid body with one field replaced, removed or added. */
export function brokenArb(spec: Spec, schema: unknown): fc.Arbitrary<{ constraint: Constraint; body: unknown }> {
  const constraints = requestConstraints(spec, schema);
  const root = resolve(spec, schema);
  return fc.constantFrom(...constraints).chain((constraint) =>
    fc.tuple(validArb(spec, schema), breakerArb(spec, schema, constraint)).map(([valid, value]) => {
      let body = ensurePath(spec, root, valid as Node, constraint.path);
      if (constraint.rule === "additionalProperties") {
        const parent = reportedField(constraint.path);
        body = withValue(body, parent ? `${parent}.x_unexpected` : "x_unexpected", value);
      } else {
        body = withValue(body, constraint.path, value);
      }
      return { constraint, body };
    }),
  );
}

/** Makes sure every object and array on the way to `path` exists (with valid content), so the break lands. */
function ensurePath(spec: Spec, root: Node, body: Node, path: string): Node {
  const copy = structuredClone(body);
  let node: Node = copy;
  let schema = root;
  const parts = path.split(".").filter(Boolean);
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    // The field itself need not exist, unless it is an array element (`tax_codes[]`): then its array must.
    if (last && !part.endsWith("[]")) break;
    const name = part.replace(/\[\]/g, "");
    schema = resolve(spec, (schema.properties as Node)[name]);
    if (last) {
      if (!Array.isArray(node[name])) node[name] = [];
      break;
    }
    if (part.endsWith("[]")) {
      const itemSchema = resolve(spec, schema.items);
      if (!Array.isArray(node[name]) || (node[name] as unknown[]).length === 0) node[name] = [fc.sample(validArb(spec, itemSchema), 1)[0]];
      node = (node[name] as Node[])[0]!;
      schema = itemSchema;
    } else {
      if (typeof node[name] !== "object" || node[name] === null) node[name] = fc.sample(validArb(spec, schema), 1)[0];
      node = node[name] as Node;
    }
  }
  return copy;
}
