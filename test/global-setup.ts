// Starts one Prism mock per provider for the whole run, hands their URLs to the tests, always stops them.
import type { TestProject } from "vitest/node";
import { startMocks, stopMocks } from "../scripts/mock-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    paddleMockUrl: string;
    paypalMockUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const mocks = await startMocks();
  project.provide("paddleMockUrl", mocks.paddle.url);
  project.provide("paypalMockUrl", mocks.paypal.url);
  return () => stopMocks(mocks);
}
