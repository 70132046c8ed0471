// The type the API gives an instance whose program names a `source` but no `type` (SDK 7.3
// `instances.create`: "a non-blank HTTP(S) source infers web-crawler and an existing R2 bucket
// source infers r2"). The checks, the diff and adoption all reason about that type, so that a
// `type`-less program is checked like the typed one and shows no diff once the API has answered.

/** R2 bucket names: 3 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit. */
export const R2_BUCKET_PATTERN = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export type InstanceType = "r2" | "web-crawler";

/** What the API infers from `source` alone, or undefined when it infers nothing (then it refuses, 7052). */
export function inferredType(source: string): InstanceType | undefined {
  if (/^https?:\/\/\S/i.test(source.trim())) return "web-crawler";
  if (R2_BUCKET_PATTERN.test(source)) return "r2";
  return undefined;
}

/** The declared type, or the one the API infers from the declared source. */
export function effectiveType(inputs: {
  type?: InstanceType | undefined;
  source?: string | undefined;
}): InstanceType | undefined {
  if (inputs.type !== undefined) return inputs.type;
  return inputs.source === undefined ? undefined : inferredType(inputs.source);
}
