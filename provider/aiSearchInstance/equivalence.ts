// When two values of a field that replaces the instance mean the same thing. The API may store a
// value in a normal form of its own (a web-crawler source `example.com` read back as
// `https://example.com/`); treating that as a change would delete and recreate the instance and
// its whole index on the next `up`.

/** Fields whose change replaces the instance and whose values the API may normalise. */
export const NORMALISED_KEYS = ["type", "source", "embeddingModel"] as const;
export type NormalisedKey = (typeof NORMALISED_KEYS)[number];

/**
 * The website a web-crawler source names, in one form: scheme https when none is given, the host
 * in lower case, no default port, no trailing slash on the path, no fragment. `http:` stays
 * distinct from `https:`, and `www.example.com` from `example.com`: those may crawl other pages.
 */
export function canonicalWebsite(source: string): string {
  const trimmed = source.trim();
  try {
    const url = new URL(trimmed.includes("://") ? trimmed : `https://${trimmed}`);
    const path = url.pathname.replace(/\/+$/, "");
    return `${url.protocol}//${url.host}${path}${url.search}`;
  } catch {
    return trimmed;
  }
}

/** True when `a` and `b` (values of `key` on an instance of `type`) mean the same thing to the API. */
export function equivalent(key: NormalisedKey, a: unknown, b: unknown, type: unknown): boolean {
  if (key === "source" && type === "web-crawler" && typeof a === "string" && typeof b === "string") {
    return canonicalWebsite(a) === canonicalWebsite(b);
  }
  const none = (v: unknown) => v === undefined || v === null || v === "";
  return a === b || (none(a) && none(b));
}
