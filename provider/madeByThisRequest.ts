// Whether an object found after a create whose answer was lost is the one that create made. The
// answer of a create can be lost after the API committed it (a dropped connection, a gateway's
// 502), so the create reads back what has the name it asked for. That object is this run's only if
// the API created it after the request was sent: an object of that name that existed before (the
// lost answer was then a 7022 or 7064 "already exists") belongs to someone else, and taking it over
// would make this stack delete it on destroy.
//
// The API's `created_at` is on the API's clock, the request's time on this machine's. The two are
// compared through the skew the client measured from the answers' `Date` header (client.ts),
// which is never above the real skew: the time the request was sent, on the API's clock, is then
// never overestimated, so an object this request made is never refused. `created_at` has whole
// seconds, hence one second of slack; an object made by someone else in that second before the
// request is the one case taken for this run's.

/** The API's timestamps may have whole seconds only. */
const TIMESTAMP_RESOLUTION_MS = 1000;

/**
 * Epoch ms of an API timestamp: RFC 3339, or the form the docs show (`2025-12-25 01:52:28`, UTC
 * without a zone); undefined for anything else.
 */
export function apiTimeMs(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const iso = value.includes("T") ? value : value.replace(" ", "T");
  const zoned = /([zZ]|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}

/** What the check found: made by this request, or why that cannot be shown. */
export type MadeByThisRequest = { readonly made: true } | { readonly made: false; readonly why: string };

/**
 * Whether an object created at `createdAt` (API clock) was made by a request sent at `sentAtMs`
 * (this machine's clock), given the client's measured skew (`skewMs`, the API's clock minus ours).
 */
export function madeByThisRequest(
  createdAt: string | null | undefined,
  sentAtMs: number,
  skewMs: number | undefined,
): MadeByThisRequest {
  const created = apiTimeMs(createdAt);
  if (created === undefined) {
    return {
      made: false,
      why: `the API gave no creation time it could be dated by (created_at ${JSON.stringify(createdAt ?? null)})`,
    };
  }
  if (skewMs === undefined) {
    return {
      made: false,
      why: "the API's answers carried no Date header to compare its clock with this machine's",
    };
  }
  const sentOnApiClock = sentAtMs + skewMs;
  if (created + TIMESTAMP_RESOLUTION_MS >= sentOnApiClock) return { made: true };
  return {
    made: false,
    why: `it was created at ${createdAt}, ${Math.round((sentOnApiClock - created) / 1000)} s before this create was sent`,
  };
}
