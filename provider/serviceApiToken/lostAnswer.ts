// When a failed POST may still have happened. A dropped or timed-out connection loses the answer;
// a 502, 503 or 504 comes from a gateway in front of the API and may arrive after the API
// committed, and a 500 may come from a step after the write (the fault matrix found a mint
// answered 500 after the token was made: an orphan). Either way the caller must look for what was made, then undo it or take it over.
import { CloudflareApiError, CloudflareNetworkError } from "../cloudflare";

const MAY_HAVE_COMMITTED_STATUSES = new Set([500, 502, 503, 504]);

export function mayHaveCommitted(err: unknown): err is Error {
  if (err instanceof CloudflareNetworkError) return true;
  return err instanceof CloudflareApiError && MAY_HAVE_COMMITTED_STATUSES.has(err.status);
}
