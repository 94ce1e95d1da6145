// Every rule in the specs has a source a reviewer can check: a row in openapi/SOURCES.md per
// property, parameter and header, naming where it comes from.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { declaredProperties, loadSpec, type Provider } from "./support/spec.js";

const sources = readFileSync(join(import.meta.dirname, "../openapi/SOURCES.md"), "utf8");
/** The source ids SOURCES.md defines in its first table (`**PO**`, `**PN / PG / PP**` → PO, PN, PG, PP). */
const ids = new Set(
  [...sources.split("## paddle.yaml")[0]!.matchAll(/^\| \*\*([^*]+)\*\* \|/gm)].flatMap((m) => m[1]!.split("/").map((id) => id.trim())),
);

/** The rows of one spec's table: property → source column. */
function rows(provider: Provider): Map<string, string> {
  const section = sources.split(`## ${provider}.yaml`)[1]!.split("\n## ")[0]!;
  const table = new Map<string, string>();
  for (const match of section.matchAll(/^\| `([^`]+)` \| (.*) \| (.*) \|$/gm)) table.set(match[1]!, match[3]!);
  return table;
}

describe.each(["paddle", "paypal"] as const)("openapi/SOURCES.md for %s.yaml", (provider) => {
  const declared = declaredProperties(loadSpec(provider));
  const table = rows(provider);

  test("every property, parameter and header of the spec has a row", () => {
    expect(declared.length).toBeGreaterThan(30);
    expect(declared.filter((property) => !table.has(property))).toEqual([]);
  });

  test("no row names a property the spec no longer has", () => {
    expect([...table.keys()].filter((property) => !declared.includes(property))).toEqual([]);
  });

  test("every row names at least one defined source", () => {
    for (const [property, source] of table) {
      const named = source.match(/\b[A-Z]{2,}(?:-[A-Z]+)?\b/g) ?? [];
      expect(named.filter((id) => ids.has(id)), `${property}: ${source}`).not.toEqual([]);
    }
  });
});
