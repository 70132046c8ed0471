// Input validation shared by every resource's `check`: zod, every failure at once, each naming
// its field, and tolerant of values that are unknown during `pulumi preview`.
import type { z } from "zod";

/**
 * What the engine sends for an input whose value is not known yet (during preview), whatever the
 * declared type. Mirrors `rpc.unknownValue` of @pulumi/pulumi; kept here so the runtime does not
 * load @pulumi/pulumi.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True if the value is unknown, or holds an unknown anywhere inside it. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

export type Validated<T> =
  | { readonly ok: true; readonly value: T; readonly unknownKeys: readonly string[] }
  | { readonly ok: false; readonly failures: readonly CheckFailure[] };

/**
 * Validates `news` (without `__provider`) against an object schema. Fields that hold an unknown
 * are not validated: they are kept as they are and listed in `unknownKeys`. Defaults of the
 * schema are applied to the known fields. Rules across fields go in `crossCheck` (zod cannot make
 * a schema with object-level refinements partial), which sees the unknown keys too.
 */
export function validateInputs<S extends z.ZodObject>(
  schema: S,
  news: Record<string, unknown>,
  crossCheck?: (value: z.infer<S>, unknownKeys: readonly string[]) => CheckFailure[],
): Validated<z.infer<S>> {
  const known: Record<string, unknown> = {};
  const unknownValues: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(news)) {
    if (key === "__provider") continue;
    if (containsUnknown(value)) unknownValues[key] = value;
    else known[key] = value;
  }
  const unknownKeys = Object.keys(unknownValues);
  // Unknown fields are validated as absent; a required field that is merely unknown is fine.
  const relaxed = unknownKeys.length
    ? schema.partial(Object.fromEntries(unknownKeys.map((k) => [k, true])) as never)
    : schema;
  const parsed = relaxed.safeParse(known);
  if (!parsed.success) return { ok: false, failures: toFailures(parsed.error) };
  const value = { ...(parsed.data as object), ...unknownValues } as z.infer<S>;
  const crossFailures = crossCheck?.(value, unknownKeys) ?? [];
  if (crossFailures.length) return { ok: false, failures: crossFailures };
  return { ok: true, value, unknownKeys };
}

/** Zod issues as Pulumi check failures: one per problem, `property` being the dotted field path. */
export function toFailures(error: z.ZodError): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const property = [...issue.path, key].join(".");
        failures.push({ property, reason: `${property} is not an input of this resource; remove it` });
      }
      continue;
    }
    const property = issue.path.map(String).join(".");
    failures.push({ property, reason: property ? `${property}: ${issue.message}` : issue.message });
  }
  return failures;
}
