// Rules on an instance's settings that span fields, checked on create and on every PUT against
// the settings the instance would have (SDK 7.3 and wrangler 4.164's checks; reference,
// "Corrections"):
// - `type` left out with a `source`: inferred (an http(s) URL is a web crawler, a bucket name an
//   R2 bucket; the emulator has no buckets, so any valid bucket name counts as an existing one),
//   anything else is 7052 as before;
// - `retrieval_options.boost_by[].field` is `timestamp` or a `custom_metadata` field, and "asc" /
//   "desc" need a number or datetime field.
import { errors } from "./envelope";

const R2_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

const given = (v: unknown) => v !== undefined && v !== null;

/** The settings with `type` inferred from `source` where the create leaves it out; 7052 otherwise. */
export function withInferredType(settings: Record<string, unknown>): Record<string, unknown> {
  const hasType = given(settings.type);
  const source = settings.source;
  if (hasType && !given(source)) throw errors.typeAndSource();
  if (hasType || !given(source)) return settings;
  if (typeof source !== "string") return settings; // the body schema admits only strings
  const text = source;
  if (/^https?:\/\/\S/i.test(text.trim())) return { ...settings, type: "web-crawler" };
  if (R2_BUCKET.test(text)) return { ...settings, type: "r2" };
  throw errors.typeAndSource();
}

/** `boost_by` against the instance's custom metadata (400 naming the entry). */
export function checkBoostBy(settings: Record<string, unknown>): void {
  const options = settings.retrieval_options as { boost_by?: unknown } | null | undefined;
  const boosts = Array.isArray(options?.boost_by)
    ? (options.boost_by as { field?: unknown; direction?: unknown }[])
    : [];
  const types = new Map<string, string>([["timestamp", "datetime"]]);
  const metadata = Array.isArray(settings.custom_metadata) ? settings.custom_metadata : [];
  for (const f of metadata as { field_name?: unknown; data_type?: unknown }[]) {
    types.set(String(f.field_name), String(f.data_type));
  }
  const issues: { message: string; path: (string | number)[] }[] = [];
  boosts.forEach((b, i) => {
    const type = types.get(String(b.field));
    const path = ["retrieval_options", "boost_by", i];
    if (type === undefined) {
      issues.push({
        message: "field must be 'timestamp' or a defined custom_metadata field",
        path: [...path, "field"],
      });
    } else if ((b.direction === "asc" || b.direction === "desc") && (type === "text" || type === "boolean")) {
      issues.push({
        message: "text and boolean fields only support exists and not_exists",
        path: [...path, "direction"],
      });
    }
  });
  if (issues.length) throw errors.validation(issues);
}
