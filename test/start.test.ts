// `npm start` as a new user meets it: a busy or wrong port is named in one line before any build,
// the mocks say they are starting while Prism boots, the specs folder answers, and an unchanged
// checkout is not built again.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { root } from "../scripts/redocly.js";
import { docsUsage, inputsDigest, portsFromEnv, serve } from "../scripts/start.js";

const run = promisify(execFile);

/** Runs scripts/start.ts as `npm start` does, with these variables; resolves to how it ended. */
async function start(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/start.ts"], { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let holder: Server;
let busyPort: number;
let otherBusyPort: number;
let holder2: Server;
beforeAll(async () => {
  const listen = async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return server;
  };
  [holder, holder2] = await Promise.all([listen(), listen()]);
  busyPort = (holder.address() as { port: number }).port;
  otherBusyPort = (holder2.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => holder?.close(resolve));
  await new Promise((resolve) => holder2?.close(resolve));
});

describe("npm start", () => {
  test("busy ports are named with their variables, in one line, before anything is built", async () => {
    const { code, stdout, stderr } = await start({ DOCS_PORT: String(busyPort), PADDLE_MOCK_PORT: String(otherBusyPort), PAYPAL_MOCK_PORT: "0" });
    expect(code).toBe(1);
    const lines = stderr.split("\n").filter((l) => l.trim() && !l.includes("ExperimentalWarning") && !l.includes("--trace-warnings"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${busyPort} (DOCS_PORT)`);
    expect(lines[0]).toContain(`${otherBusyPort} (PADDLE_MOCK_PORT)`);
    expect(lines[0]).toMatch(/DOCS_PORT=\d+ PADDLE_MOCK_PORT=\d+ npm start/);
    expect(stderr).not.toContain("EADDRINUSE");
    expect(stdout).not.toContain("building");
  });

  test("a variable that is not a port is named", async () => {
    expect(portsFromEnv({ PAYPAL_MOCK_PORT: "http://127.0.0.1:4011" })).toEqual({ problem: 'PAYPAL_MOCK_PORT="http://127.0.0.1:4011" is not a port (0–65535)' });
    expect(portsFromEnv({})).toEqual({ ports: { docs: 4000, paddle: 4010, paypal: 4011 } });
    const { code, stderr } = await start({ DOCS_PORT: "70000" });
    expect(code).toBe(1);
    expect(stderr).toContain('DOCS_PORT="70000" is not a port');
  });

  test("what was built is not built again: the build inputs are fingerprinted by content", async () => {
    const base = await mkdtemp(join(tmpdir(), "payments-digest-"));
    try {
      await mkdir(join(base, "openapi"));
      await writeFile(join(base, "openapi/a.yaml"), "openapi: 3.1.0\n");
      const first = await inputsDigest(base, ["openapi", "missing.json"]);
      expect(await inputsDigest(base, ["openapi", "missing.json"])).toBe(first);
      await writeFile(join(base, "openapi/a.yaml"), "openapi: 3.1.1\n");
      expect(await inputsDigest(base, ["openapi", "missing.json"])).not.toBe(first);
      await writeFile(join(base, "openapi/a.yaml"), "openapi: 3.1.0\n"); // the same content again: the same digest
      expect(await inputsDigest(base, ["openapi", "missing.json"])).toBe(first);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });

  test("serving: progress while the mocks start, then every printed URL answers, the specs folder included", async () => {
    const docsDir = await mkdtemp(join(tmpdir(), "payments-docs-"));
    await mkdir(join(docsDir, "openapi"));
    await writeFile(join(docsDir, "index.html"), "<!doctype html><title>docs</title>");
    for (const file of ["paddle.html", "paypal.html", "openapi/paddle.yaml", "openapi/paddle.json", "openapi/paypal.yaml", "openapi/paypal.json"]) {
      await writeFile(join(docsDir, file), file);
    }
    const lines: string[] = [];
    const running = await serve({ docs: 0, paddle: 0, paypal: 0 }, docsDir, (line) => lines.push(line));
    try {
      expect(lines[0]).toMatch(/^docs site on http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(lines[1]).toBe("starting the Paddle and PayPal mocks (Prism)…");
      expect(lines.at(-1)).toMatch(/^mocks ready in \d+\.\d s$/);
      const urls = [...docsUsage(running.docs.url).matchAll(/http:\/\/\S+/g)].map((m) => m[0]);
      expect(urls).toContain(`${running.docs.url}/openapi/paypal.json`);
      for (const url of urls) expect((await fetch(url)).status, url).toBe(200);
      const folder = await fetch(`${running.docs.url}/openapi/`);
      expect(folder.status).toBe(200);
      const listing = await folder.text();
      for (const name of ["paddle.yaml", "paddle.json", "paypal.yaml", "paypal.json"]) expect(listing).toContain(`<a href="${name}">${name}</a>`);
      expect((await fetch(`${running.docs.url}/openapi/../../`)).status).not.toBe(500);
      expect((await fetch(`${running.mocks.paddle.url}/customers`, { headers: { Authorization: "Bearer pdl_sdbx_apikey_start" } })).status).toBe(200);
    } finally {
      await running.stop();
      await rm(docsDir, { recursive: true, force: true });
    }
  }, 90_000);
});
