// Which failed calls may have been carried out anyway. A 500 (an error after the write), a gateway's 502, 503 or 504, a dropped
// connection or a timeout can come after the API committed the change: the answer was lost, not
// the work. A create that failed that way must look before it concludes nothing exists.
import { CloudflareApiError, CloudflareNetworkError } from "../cloudflare";

/** HTTP statuses that say nothing about whether the request was carried out. */
const MAY_HAVE_HAPPENED_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** True when the call failed in a way that leaves open whether the API carried it out. */
export function mayHaveHappened(err: unknown): err is Error {
  if (err instanceof CloudflareNetworkError) return true;
  return err instanceof CloudflareApiError && MAY_HAVE_HAPPENED_STATUSES.has(err.status);
}
