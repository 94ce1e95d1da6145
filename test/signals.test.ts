// The per-attempt signal: the engine lends each attempt a controller and takes it back when the
// attempt ends (see core.ts). Real HTTP on loopback, through Node's own fetch (undici), which
// hangs a listener on every signal it is handed: what is checked is what a long-running backend
// would meet, not piled-up listeners, and timeouts and aborts that still cut the socket.
import { execFile } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getEventListeners } from "node:events";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { AbortedError, createPaddleClient, TimeoutError } from "../src/paddle.js";

const created = JSON.stringify({
  data: { id: "ctm_01hv6y1jedq4p1n0yqn5ba3ky4", status: "active", email: "jo@example.com", name: null, custom_data: null, locale: "en", marketing_consent: false },
  meta: { request_id: "a8a8a8a8-1111-4222-8333-444455556666" },
});

let server: Server;
let baseUrl: string;
/** Sockets the server saw closed while a request on them was still unanswered. */
let closedWhileStalled = 0;

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    if (request.headers["x-stall"]) {
      response.on("close", () => closedWhileStalled++);
      return; // never answers: only the client's timeout or abort ends it
    }
    response.writeHead(201, { "content-type": "application/json", "content-length": Buffer.byteLength(created) });
    response.end(created);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A client whose fetch is Node's own, recording the signal of every attempt. */
function recordingClient(timeoutMs = 5_000) {
  const signals: AbortSignal[] = [];
  const client = createPaddleClient({
    baseUrl,
    apiKey: "pdl_sdbx_apikey_signals",
    timeoutMs,
    retry: { maxRetries: 0 },
    fetch: (input, init) => {
      if (init?.signal) signals.push(init.signal);
      return globalThis.fetch(input, init);
    },
  });
  return { client, signals };
}

test("sequential calls reuse one signal, and fetch's listeners are taken off it after each call", async () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on("warning", onWarning);
  try {
    const { client, signals } = recordingClient();
    // More than undici's 1,500-listener ceiling would allow on one signal if its listeners stayed.
    for (let i = 0; i < 1_600; i++) {
      const result = await client.customers.create({ email: "jo@example.com" });
      expect(result.error).toBeUndefined();
    }
    expect(signals).toHaveLength(1_600);
    const distinct = new Set(signals);
    expect(distinct.size).toBeLessThanOrEqual(2);
    for (const signal of distinct) {
      expect(signal.aborted).toBe(false);
      expect(getEventListeners(signal, "abort")).toHaveLength(0);
    }
  } finally {
    process.off("warning", onWarning);
  }
  expect(warnings.map(String)).toEqual([]);
}, 60_000);

test("a reused signal still times an attempt out and closes its socket; the fired one is not lent again", async () => {
  const { client, signals } = recordingClient(150);
  for (let i = 0; i < 5; i++) expect((await client.customers.create({ email: "jo@example.com" })).error).toBeUndefined();
  const closedBefore = closedWhileStalled;
  const started = performance.now();
  const stalled = await client.customers.create({ email: "jo@example.com" }, { headers: { "x-stall": "1" } });
  expect(stalled.error).toBeInstanceOf(TimeoutError);
  // Its own 150 ms, not what was left of an earlier call's.
  expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  expect(performance.now() - started).toBeLessThan(3_000);
  await expect.poll(() => closedWhileStalled, { timeout: 2_000 }).toBe(closedBefore + 1);
  const fired = signals.at(-1)!;
  expect(signals.slice(0, -1)).toContain(fired); // it was a reused signal
  expect(fired.aborted).toBe(true);

  const after = await client.customers.create({ email: "jo@example.com" });
  expect(after.error).toBeUndefined();
  expect(signals.at(-1)).not.toBe(fired);
  expect(signals.at(-1)!.aborted).toBe(false);
});

test("the caller's abort reaches a reused signal, ends the call and closes the socket", async () => {
  const { client, signals } = recordingClient();
  for (let i = 0; i < 3; i++) expect((await client.customers.create({ email: "jo@example.com" })).error).toBeUndefined();
  const closedBefore = closedWhileStalled;
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("user left the page")), 100);
  const result = await client.customers.create({ email: "jo@example.com" }, { headers: { "x-stall": "1" }, signal: controller.signal });
  expect(result.error).toBeInstanceOf(AbortedError);
  await expect.poll(() => closedWhileStalled, { timeout: 2_000 }).toBe(closedBefore + 1);
  expect(signals.slice(0, -1)).toContain(signals.at(-1));
  // The caller's signal is left as it was given: no listener of ours stays on it.
  expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  expect((await client.customers.create({ email: "jo@example.com" })).error).toBeUndefined();
});

test("attempts of different timeouts running at once each end at their own deadline", async () => {
  const { client } = recordingClient();
  const started = performance.now();
  const stalled = (timeoutMs: number) =>
    client.customers.create({ email: "jo@example.com" }, { timeoutMs, headers: { "x-stall": "1" } }).then((result) => {
      expect(result.error).toBeInstanceOf(TimeoutError);
      return performance.now() - started;
    });
  // Started longest first: the shorter deadlines must not wait for the longer ones, nor end early.
  const [long, short, middle] = await Promise.all([stalled(2_400), stalled(100), stalled(200)]);
  expect(short).toBeGreaterThanOrEqual(95);
  expect(middle).toBeGreaterThanOrEqual(195);
  expect(long).toBeGreaterThanOrEqual(2_395);
  // Generous bounds (a busy machine delays timers), far below the long deadline.
  expect(short).toBeLessThan(1_600);
  expect(middle).toBeLessThan(1_700);
}, 20_000);

test("a finished call leaves nothing that holds the process open (the default timeout is 30 s)", async () => {
  // A backend script: three calls to a server of its own, then the server closes. It must exit
  // at once, not when the 30 s deadline timer would have fired.
  const script = `
    import { createServer } from "node:http";
    import { createPaddleClient } from "./src/paddle.ts";
    const server = createServer((req, res) => { req.resume(); res.writeHead(201, { "content-type": "application/json" }).end(${JSON.stringify(created)}); });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    const paddle = createPaddleClient({ baseUrl: "http://127.0.0.1:" + server.address().port, apiKey: "pdl_sdbx_apikey_exit" });
    for (let i = 0; i < 3; i++) if ((await paddle.customers.create({ email: "jo@example.com" })).error) process.exit(2);
    server.closeAllConnections();
    server.close();
  `;
  const started = performance.now();
  await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: process.cwd(), timeout: 28_000 });
  expect(performance.now() - started).toBeLessThan(20_000);
}, 40_000);
