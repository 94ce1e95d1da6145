// The mock front under the project's own load, and with its Prism killed: it answers, or says why.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startMock, type MockServer } from "../scripts/mock-server.js";
import { createPaddleClient } from "../src/paddle.js";

let mock: MockServer;
beforeAll(async () => {
  mock = await startMock("paddle");
});
afterAll(() => mock?.stop());

const create = (email: string) =>
  fetch(`${mock.url}/customers`, {
    method: "POST",
    headers: { authorization: "Bearer pdl_sdbx_apikey_front", "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });

describe("the mock front", () => {
  test("600 concurrent requests: every one answered by Prism (a bounded line, no 502)", async () => {
    const answers = await Promise.all(Array.from({ length: 600 }, (_, i) => create(`load${i}@example.com`)));
    expect(answers.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
  });

  test("a Prism that dies is started again, and requests made meanwhile wait for it", async () => {
    const before = mock.prismPid();
    expect(before).toBeGreaterThan(0);
    process.kill(before!, "SIGKILL");
    const client = createPaddleClient({ baseUrl: mock.url, apiKey: "pdl_sdbx_apikey_front", timeoutMs: 0, retry: { maxRetries: 0 } });
    const { data, error } = await client.customers.create({ email: "after-restart@example.com" });
    expect(error).toBeUndefined();
    expect(data?.id).toMatch(/^ctm_/);
    expect(mock.prismPid()).not.toBe(before);
  }, 60_000);
});
