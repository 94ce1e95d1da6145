// Assertions the test files share: a result's typed error, and a construction that must throw.
import { expect } from "vitest";
import { ConfigurationError, type PaymentsError } from "../../src/index.js";

/** The error of a result that must have failed, narrowed to `Class`. */
export function expectError<T extends PaymentsError>(result: { error?: PaymentsError | undefined }, Class: abstract new (...args: never[]) => T): T {
  expect(result.error, `expected a ${Class.name}`).toBeInstanceOf(Class);
  return result.error as T;
}

/** What `create` throws (undefined if it does not). */
export function thrownBy(create: () => unknown): unknown {
  try {
    create();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** `create` throws a ConfigurationError naming `option`; returns it. */
export function expectConfigurationError(create: () => unknown, option: string): ConfigurationError {
  const thrown = thrownBy(create);
  expect(thrown).toBeInstanceOf(ConfigurationError);
  expect((thrown as ConfigurationError).kind).toBe("configuration");
  expect((thrown as ConfigurationError).option).toBe(option);
  return thrown as ConfigurationError;
}
