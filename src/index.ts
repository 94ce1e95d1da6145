export * from "./shared.js";
export * from "./paddle.js";
export * from "./paypal.js";
