export * from "./errors.js";
export type { CallOptions, ClientOptions, Environment, Fetch, Result, TransportError } from "./core.js";
export type { RetryOptions } from "./retry.js";
export * from "./paddle.js";
export * from "./paypal.js";
