// `npm start`: build what changed, then serve both mocks and the docs site on 127.0.0.1 until
// interrupted. `npm run serve`: the same without building (what dist/ holds).
//
// The ports are checked first, so a busy one is reported in one line, naming the variable that
// moves it, before a build that would otherwise run for nothing.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join, relative } from "node:path";
import { printUsage, stopOnSignal } from "./mock.js";
import { mockPortSettings, providers, startMocks, stopMocks, type MockServer, type Provider } from "./mock-server.js";
import { root } from "./redocly.js";
import { serveDirectory, type StaticServer } from "./static-server.js";

export interface Ports {
  docs: number;
  paddle: number;
  paypal: number;
}

/** The variable behind each port, and its default. */
export const portSettings: Record<keyof Ports, { variable: string; port: number }> = {
  docs: { variable: "DOCS_PORT", port: 4000 },
  ...mockPortSettings,
};

/** Reads the ports from the environment; a value that is not a port is named with its variable. */
export function portsFromEnv(env: NodeJS.ProcessEnv = process.env): { ports: Ports } | { problem: string } {
  const ports = {} as Ports;
  const wrong: string[] = [];
  for (const [name, { variable, port }] of Object.entries(portSettings) as [keyof Ports, { variable: string; port: number }][]) {
    const raw = env[variable];
    const value = raw === undefined || raw === "" ? port : Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 65535) wrong.push(`${variable}=${JSON.stringify(raw)} is not a port (0–65535)`);
    ports[name] = value;
  }
  return wrong.length > 0 ? { problem: wrong.join("; ") } : { ports };
}

/** Whether something already listens on 127.0.0.1:port (0 is always free: the system picks one). */
function isBusy(port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(true));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(false)));
  });
}

/** One line naming every busy port and its variable, or undefined when all are free. */
export async function busyPorts(ports: Ports): Promise<string | undefined> {
  const busy: string[] = [];
  for (const [name, port] of Object.entries(ports) as [keyof Ports, number][]) {
    if (await isBusy(port)) busy.push(`${port} (${portSettings[name].variable})`);
  }
  if (busy.length === 0) return undefined;
  const example = Object.entries(portSettings)
    .filter(([name]) => busy.some((b) => b.includes(portSettings[name as keyof Ports].variable)))
    .map(([, { variable, port }]) => `${variable}=${port + 100}`)
    .join(" ");
  return `port${busy.length > 1 ? "s" : ""} ${busy.join(", ")} already in use on 127.0.0.1: stop what holds ${busy.length > 1 ? "them" : "it"} (an earlier npm start?) or choose others, e.g. ${example} npm start`;
}

/** What the build reads: a change to any of these makes `npm start` build again. */
const buildInputs = ["openapi", "src", "scripts", "generated", "redocly.yaml", "package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"];
/** What the build writes, and where it records what it was built from. */
const buildOutputs = ["dist/docs/index.html", "dist/docs/paddle.html", "dist/docs/paypal.html", "dist/src/index.js", "dist/openapi/paddle.json"];
const stampFile = "dist/.build-inputs";

async function filesUnder(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return [];
  if (info.isFile()) return [path];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** A digest of every build input's path and content (content, not times: a checkout changes times). */
export async function inputsDigest(base = root, inputs = buildInputs): Promise<string> {
  const files = (await Promise.all(inputs.map((input) => filesUnder(join(base, input))))).flat().sort();
  const hash = createHash("sha256");
  for (const file of files) hash.update(relative(base, file)).update("\0").update(await readFile(file)).update("\0");
  return hash.digest("hex");
}

/** True when dist/ holds a build of exactly the current inputs. */
async function buildIsCurrent(digest: string): Promise<boolean> {
  const stamp = await readFile(join(root, stampFile), "utf8").catch(() => "");
  if (stamp.trim() !== digest) return false;
  return (await Promise.all(buildOutputs.map((f) => stat(join(root, f)).then(() => true, () => false)))).every(Boolean);
}

function runBuild(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
    child.once("error", () => resolve(false));
    child.once("exit", (code) => resolve(code === 0));
  });
}

export interface Running {
  docs: StaticServer;
  mocks: Record<Provider, MockServer>;
  stop(): Promise<void>;
}

/** Serves `docsDir` and both mocks, telling `log` what it is waiting for while Prism starts. */
export async function serve(ports: Ports, docsDir: string, log: (line: string) => void = console.log): Promise<Running> {
  const docs = await serveDirectory(docsDir, ports.docs);
  log(`docs site on ${docs.url}/`);
  log("starting the Paddle and PayPal mocks (Prism)…");
  const started = Date.now();
  const ticker = setInterval(() => log(`  …still starting the mocks (${Math.round((Date.now() - started) / 1000)} s)`), 3000);
  try {
    const mocks = await startMocks({ paddle: ports.paddle, paypal: ports.paypal });
    log(`mocks ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { docs, mocks, stop: () => Promise.all([stopMocks(mocks), docs.stop()]).then(() => undefined) };
  } catch (error) {
    await docs.stop();
    throw error;
  } finally {
    clearInterval(ticker);
  }
}

/** The URLs worth opening: the docs, each reference page and each downloadable spec. */
export function docsUsage(docsUrl: string): string {
  const specs = providers.flatMap((p) => [`${docsUrl}/openapi/${p}.yaml`, `${docsUrl}/openapi/${p}.json`]);
  return [
    `docs site:  ${docsUrl}/`,
    `references: ${providers.map((p) => `${docsUrl}/${p}.html`).join("  ")}`,
    `specs:      ${specs.join("\n            ")}`,
  ].join("\n");
}

async function main(): Promise<number> {
  const build = !process.argv.includes("--no-build");
  const read = portsFromEnv();
  if ("problem" in read) {
    console.error(read.problem);
    return 1;
  }
  const busy = await busyPorts(read.ports);
  if (busy) {
    console.error(busy);
    return 1;
  }
  const digest = await inputsDigest();
  if (!(await buildIsCurrent(digest))) {
    if (!build) {
      console.error("dist/ is missing or older than openapi/, src/ or scripts/: run `npm start` (which builds) or `npm run build`");
      return 1;
    }
    console.log("building (lint, generate, compile, bundle, docs)…");
    if (!(await runBuild())) return 1;
    // What was built from (the build may have rewritten generated/ itself).
    await writeFile(join(root, stampFile), `${await inputsDigest()}\n`);
  } else {
    console.log("dist/ is up to date with openapi/, src/ and scripts/: not rebuilding (`npm run build` forces it)");
  }
  const running = await serve(read.ports, join(root, "dist/docs"));
  console.log("");
  printUsage(running.mocks);
  console.log(`\n${docsUsage(running.docs.url)}`);
  stopOnSignal(running.stop);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const code = await main();
  if (code !== 0) process.exit(code);
}
