// Checks of the options a caller passes, so that a mistake is a ConfigurationError naming the option
// instead of a silent default, a timer Node turns into 1 ms, or retries that never end.
import { ConfigurationError, type Provider } from "./errors.js";

/** The longest delay a timer can hold: Node and browsers turn anything longer into about 1 ms. */
export const maxTimerMs = 2 ** 31 - 1;

type NumberRule = "count" | "milliseconds" | "bytes";

/**
 * `undefined` means "the default" (an explicit undefined too); anything else must be a finite number
 * of the rule's kind: a non-negative integer count, a non-negative delay a timer can hold, or a
 * positive whole number of bytes.
 */
export function checkNumber(provider: Provider, option: string, value: unknown, rule: NumberRule): number | undefined {
  if (value === undefined) return undefined;
  const fail = (what: string) => new ConfigurationError(provider, option, `must be ${what}; got ${describeValue(value)}`);
  if (typeof value !== "number" || !Number.isFinite(value)) throw fail(expected[rule]);
  if (rule === "count" && !(Number.isSafeInteger(value) && value >= 0)) throw fail(expected.count);
  if (rule === "milliseconds" && !(value >= 0 && value <= maxTimerMs)) throw fail(expected.milliseconds);
  if (rule === "bytes" && !(Number.isSafeInteger(value) && value > 0)) throw fail(expected.bytes);
  return value;
}

const expected: Record<NumberRule, string> = {
  count: "a whole number, 0 or more",
  milliseconds: `a number of milliseconds from 0 to ${maxTimerMs} (2^31 - 1)`,
  bytes: "a whole number of bytes, 1 or more",
};

function describeValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean" || value === null) return String(value);
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}`;
  return `a ${typeof value}`;
}

/** An HTTP field name (RFC 9110 token). */
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII, space and tab: what every fetch accepts and sends unchanged. */
const headerValue = /^[\t\x20-\x7e]*$/;

/** Throws a ConfigurationError naming `option` when a header name or value cannot be sent as given. */
export function checkHeaders(provider: Provider, option: string, headers: unknown): void {
  if (headers === undefined) return;
  if (typeof headers !== "object" || headers === null || Array.isArray(headers)) {
    throw new ConfigurationError(provider, option, "must be an object of header names to string values");
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!headerName.test(name)) throw new ConfigurationError(provider, option, `has an invalid header name ${JSON.stringify(name)}`);
    // null removes a header (openapi-fetch's convention); undefined is skipped.
    if (value === undefined || value === null) continue;
    checkHeaderValue(provider, `${option}["${name}"]`, value);
  }
}

/**
 * Throws a ConfigurationError naming `option` when `value` is not a non-empty header value of visible
 * ASCII (a CR or LF would split the request, and fetch refuses other characters). The value itself
 * is never echoed: it may be a credential.
 */
export function checkHeaderValue(provider: Provider, option: string, value: unknown, { allowEmpty = true } = {}): void {
  if (typeof value !== "string") throw new ConfigurationError(provider, option, `must be a string; got a ${typeof value}`);
  if (!allowEmpty && value.trim() === "") throw new ConfigurationError(provider, option, "must not be empty");
  if (!headerValue.test(value)) {
    throw new ConfigurationError(provider, option, "holds a character a header cannot carry (a line break, a control character or non-ASCII)");
  }
}

/**
 * A credential: a non-empty string of visible ASCII without spaces. Surrounding whitespace (a line
 * break from an env file) is refused rather than trimmed, as it would fool the key checks.
 */
export function checkCredential(provider: Provider, option: string, value: unknown): string {
  if (typeof value !== "string" || value === "") {
    throw new ConfigurationError(provider, option, `must be a non-empty string; got ${value === "" ? "an empty string" : describeType(value)}`);
  }
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new ConfigurationError(provider, option, "holds whitespace, a control character or non-ASCII (check for a stray line break or space)");
  }
  return value;
}

function describeType(value: unknown): string {
  return value === null ? "null" : value === undefined ? "nothing" : `a ${typeof value}`;
}
