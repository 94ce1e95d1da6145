export * from "./errors.js";
export type { CallOptions, Environment, Fetch, Result, Target } from "./core.js";
export * from "./paddle.js";
export * from "./paypal.js";
