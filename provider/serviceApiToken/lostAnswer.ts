// When a failed POST may still have happened. A dropped or timed-out connection loses the answer;
// a 502, 503 or 504 comes from a gateway in front of the API and may arrive after the API
// committed. Either way the caller must look for what was made, then undo it or take it over.
import { CloudflareApiError, CloudflareNetworkError } from "../cloudflare";

const MAY_HAVE_COMMITTED_STATUSES = new Set([502, 503, 504]);

export function mayHaveCommitted(err: unknown): err is Error {
  if (err instanceof CloudflareNetworkError) return true;
  return err instanceof CloudflareApiError && MAY_HAVE_COMMITTED_STATUSES.has(err.status);
}
