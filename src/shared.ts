// What every entry point exports besides its provider's client: the shared errors, guards and
// call types, so that `/paddle` or `/paypal` alone is all a user of that provider imports.
export * from "./errors.js";
export type { CallOptions, ClientOptions, Environment, Fetch, Result, TransportError } from "./core.js";
export type { RetryOptions } from "./retry.js";
export type { ResultIterator } from "./pages.js";
