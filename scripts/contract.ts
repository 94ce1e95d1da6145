// `npm run contract:check`: each spec against its last released baseline (contract/<provider>.json);
// fails on a breaking change. `npm run contract:release` makes the current specs the baseline.
// Classification is api-smart-diff's, read under `paths`, where every schema is seen in context
// (request or response); its context-free verdicts on the shared components are left out.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { apiCompare } from "api-smart-diff";
import { providers } from "./mock-server.js";
import { readSpec, root } from "./redocly.js";

export interface ContractChange {
  /** The verdict this check acts on. */
  type: string;
  /** api-smart-diff's own verdict, where this check overrides it. */
  toolType?: string;
  action: string;
  path: string;
  description: string;
}

/** Components reached through `paths` are judged there, in context; judged alone their verdicts mislead. */
const judgedInContext = /^components\/(schemas|parameters|responses|headers|examples|requestBodies)\//;

/**
 * api-smart-diff treats a `readOnly` property as absent from responses, so removing one or changing
 * its type would pass as non-breaking. Here requests and responses use separate schemas and
 * `readOnly` only documents who sets a field, so it is dropped before comparing.
 */
function withoutReadOnly<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutReadOnly) as T;
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(Object.entries(node).filter(([k]) => k !== "readOnly").map(([k, v]) => [k, withoutReadOnly(v)])) as T;
}

export function contractChanges(before: object, after: object): ContractChange[] {
  const { diffs } = apiCompare(withoutReadOnly(before), withoutReadOnly(after));
  return diffs
    .map((d) => reclassify({ type: String(d.type), action: String(d.action), path: d.path.join("/"), description: String(d.description ?? "") }))
    .filter((d) => !judgedInContext.test(d.path));
}

/**
 * api-smart-diff 1.0.6 calls two response changes non-breaking that break clients reading the
 * response (pinned in test/contract.test.ts): a property removed from the response's top-level
 * object, and a property's type replaced. Both are breaking here.
 */
function reclassify(change: ContractChange): ContractChange {
  const inResponse = /\/responses\/[^/]+\/content\/[^/]+\/[^/]+\/schema\//.test(change.path);
  const removedProperty = change.action === "remove" && /\/properties\/[^/]+$/.test(change.path);
  const changedType = change.action === "replace" && /\/type$/.test(change.path);
  if (inResponse && (removedProperty || changedType) && change.type !== "breaking") {
    return { ...change, type: "breaking", toolType: change.type };
  }
  return change;
}

export const breaking = (changes: ContractChange[]) => changes.filter((c) => c.type === "breaking");

export const baselineFile = (provider: string) => join(root, "contract", `${provider}.json`);


if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes("--release")) {
    for (const provider of providers) {
      await writeFile(baselineFile(provider), `${JSON.stringify(await readSpec(provider), null, 2)}\n`);
      console.log(`${provider}: baseline ← openapi/${provider}.yaml`);
    }
  } else {
    let failed = false;
    for (const provider of providers) {
      const baseline = JSON.parse(await readFile(baselineFile(provider), "utf8")) as object;
      const changes = contractChanges(baseline, await readSpec(provider)).filter((c) => c.type !== "annotation");
      const broken = breaking(changes);
      console.log(`${provider}: ${changes.length} contract change(s) since the baseline, ${broken.length} breaking`);
      for (const c of changes) console.log(`  ${c.type.padEnd(12)} ${c.action.padEnd(7)} ${c.path}`);
      failed ||= broken.length > 0;
    }
    if (failed) {
      console.error("\nBreaking contract changes. Revert them, or release a new major version: record it in CHANGELOG.md and run `npm run contract:release`.");
      process.exit(1);
    }
  }
}
