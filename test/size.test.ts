// Byte budgets for what a browser downloads (deterministic: esbuild, minified, gzip -9).
import { beforeAll, describe, expect, test } from "vitest";
import { bundleSize, entries, type BundleSize } from "../scripts/bundle-size.js";

/**
 * What each provider entry may add on top of openapi-fetch itself (2.6 kB min+gzip, which no
 * wrapper of it can avoid): the error model, retries, timeouts, auth and guards of issue 3.
 */
const ownBudget = 4_000;

let openapiFetch: BundleSize;
const sizes: Record<string, BundleSize> = {};

beforeAll(async () => {
  openapiFetch = await bundleSize("openapi-fetch", 'export { default } from "openapi-fetch";');
  for (const [name, source] of Object.entries(entries)) sizes[name] = await bundleSize(name, source);
});

describe("bundle size", () => {
  test.each(["./paddle", "./paypal"])(`%s adds at most ${ownBudget} B min+gzip to openapi-fetch`, (entry) => {
    const own = sizes[entry]!.gzipped - openapiFetch.gzipped;
    expect(own).toBeGreaterThan(0);
    expect(own).toBeLessThanOrEqual(ownBudget);
  });

  test("importing one provider pulls in none of the other's code", () => {
    const paddle = sizes["./paddle"]!;
    const paypal = sizes["./paypal"]!;
    expect(paddle.inputs.filter((i) => /paypal/i.test(i))).toEqual([]);
    expect(paypal.inputs.filter((i) => /paddle/i.test(i))).toEqual([]);
    expect(paddle.inputs).toContain("src/paddle.ts");
    expect(paypal.inputs).toContain("src/paypal.ts");
  });

  test("the shared code is shared: the root entry is smaller than both providers' entries together", () => {
    expect(sizes["."]!.gzipped).toBeLessThan(sizes["./paddle"]!.gzipped + sizes["./paypal"]!.gzipped - openapiFetch.gzipped);
  });
});
