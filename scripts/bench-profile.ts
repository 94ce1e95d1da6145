// The CPU profile of `npm run bench`: where one in-memory create spends its time, by whose code it
// is. A child process per contender (so that a profile holds one contender only) warms up, then
// profiles its calls with V8's sampling profiler (node:inspector) and writes the profile to a file;
// the parent sums the samples' time by category, per call.
//
//   node --import tsx scripts/bench-profile.ts <contender> <calls> <profile.json>
import { readFile, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { apiKey, paddleBody, paddleCreated } from "./bench-bodies.js";

/**
 * Whose work a sample is: found by walking up from the sampled function to the first frame that
 * belongs to someone, so that undici's Headers work under openapi-fetch's `mergeHeaders` counts as
 * openapi-fetch's, and the body read under `Response.text()` / `.json()` as reading the body.
 */
const owners: [name: string, test: (url: string, fn: string) => boolean][] = [
  ["reading the answer's body (raw fetch pays it too)", (url, fn) => /undici/.test(url) && /^(text|json|arrayBuffer)$/.test(fn)],
  ["timers (the per-attempt timeout)", (url) => /node:internal\/timers|node:timers/.test(url)],
  ["the fake fetch and the loop (raw fetch pays them too)", (url) => url.includes("bench-profile")],
  ["openapi-fetch, and the Headers it builds", (url) => url.includes("/openapi-fetch/")],
  ["this project (dist/src: engine, transport, client), JSON.parse included", (url) => url.includes("/dist/src/")],
];
const garbage = "garbage collection";
const other = "other (Node internals, microtasks)";

export interface ProfileShare {
  category: string;
  /** Time per call, µs. */
  micros: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Time per call by owner, and the hottest functions (self time) of this project and of openapi-fetch. */
export async function readProfile(file: string, calls: number): Promise<{ shares: ProfileShare[]; hot: { where: string; micros: number }[] }> {
  const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const ownerOf = (id: number): string => {
    if (byId.get(id)!.callFrame.functionName === "(garbage collector)") return garbage;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { url, functionName } = byId.get(at)!.callFrame;
      const owner = owners.find(([, test]) => test(url, functionName));
      if (owner) return owner[0];
    }
    return other;
  };
  const totals = new Map<string, number>();
  const functions = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    // A sample's time is the gap to the next one.
    const micros = profile.timeDeltas[i + 1] ?? 0;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)" || functionName === "(program)") return;
    const owner = ownerOf(id);
    totals.set(owner, (totals.get(owner) ?? 0) + micros);
    if (/\/dist\/src\/|\/openapi-fetch\//.test(url)) {
      const where = `${functionName || "(anonymous)"} (${url.replace(/^.*\/(dist\/src\/|openapi-fetch\/dist\/)/, "$1")}:${lineNumber + 1})`;
      functions.set(where, (functions.get(where) ?? 0) + micros);
    }
  });
  return {
    shares: [...owners.map(([name]) => name), garbage, other].map((category) => ({ category, micros: (totals.get(category) ?? 0) / calls })),
    hot: [...functions].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([where, micros]) => ({ where, micros: micros / calls })),
  };
}

// As a child process: run one contender in memory, as the benchmark's in-memory table does.
if (process.argv[1]?.endsWith("bench-profile.ts")) {
  const [contender, callsArg, output] = process.argv.slice(2) as [string, string, string];
  const calls = Number(callsArg);
  const baseUrl = "http://127.0.0.1:9";
  const body = paddleBody;
  globalThis.fetch = async () =>
    new Response(paddleCreated, { status: 201, headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(paddleCreated)) } });
  const { createPaddleClient } = (await import(join(process.cwd(), "dist/src/paddle.js"))) as typeof import("../src/paddle.js");
  const paddle = createPaddleClient({ baseUrl, apiKey, fetch: (input, init) => globalThis.fetch(input, init) });
  const raw = async () =>
    (
      await globalThis.fetch(`${baseUrl}/customers`, {
        method: "POST",
        headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json", "Paddle-Version": "1" },
        body: JSON.stringify(body),
      })
    ).json();
  const run =
    contender === "raw fetch"
      ? raw
      : async () => {
          const result = await paddle.customers.create(body);
          if (result.error) throw result.error;
        };
  for (let i = 0; i < 2_000; i++) await run(); // warm-up: the profile holds the steady state only
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  for (let i = 0; i < calls; i++) await run();
  const { profile } = await session.post("Profiler.stop");
  await writeFile(output, JSON.stringify(profile));
  session.disconnect();
}
