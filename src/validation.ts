// Running the generated validators (generated/*.validators.ts) and reporting in the error model.
import { ValidationError, type FieldError, type Provider } from "./errors.js";

/** The shape of a generated validator (Ajv standalone code). */
export type BodyValidator = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; keyword: string; params: Record<string, unknown>; message?: string }[] | null;
};

/** Undefined for a valid body; otherwise a ValidationError naming each field and the rule it broke. */
export function check(provider: Provider, validator: BodyValidator, body: unknown): ValidationError | undefined {
  if (validator(body)) return undefined;
  return new ValidationError(
    provider,
    (validator.errors ?? []).map(({ instancePath, keyword, params, message }): FieldError => {
      // `/metadata/0` + a missing `value` → `metadata.0.value`, as the mock names it.
      const named = params.missingProperty ?? params.additionalProperty;
      const path = instancePath.slice(1).split("/").filter(Boolean);
      if (typeof named === "string") path.push(named);
      return { field: path.join("."), message: message ?? keyword, issue: keyword };
    }),
  );
}
