// What a temporary API failure (429, 5xx, a dropped or timed-out connection) tells the user: which
// step of the resource's work failed, and that running the same command again is safe. It is
// safe because every step either cleans up after a lost answer (mint, registration and instance
// create look for what was made) or is idempotent (reads, PUTs, deletes that count not-found as
// done); the fault matrix (`npm run test:reliability`) checks that for every call.

/** How the client words a temporary failure: `Cloudflare API <METHOD> <path> failed with HTTP 5xx` or `could not be completed`. */
const TEMPORARY =
  /Cloudflare API (GET|POST|PUT|PATCH|DELETE) (\S+) (?:failed with HTTP (?:429|5\d\d)|could not be completed)/;

export const RERUN_IS_SAFE = "Rerunning is safe";

/** The step a call is, in the words of the README. */
export function stepOf(method: string, path: string): string {
  const aiSearchToken = /\/ai-search\/tokens(\/[^/]+)?$/.exec(path);
  if (aiSearchToken) {
    if (method === "POST") return "registering the API token with AI Search";
    if (method === "PUT") return "updating the AI Search token registration";
    if (method === "DELETE") return "deleting the AI Search token registration";
    return "reading the AI Search token registration";
  }
  if (/\/ai-search\/(namespaces\/[^/]+\/)?instances\/[^/]+\/jobs(\/|$)/.test(path)) {
    return method === "POST" ? "starting the AI Search sync job" : "reading the AI Search sync job";
  }
  if (/\/ai-search\/(namespaces\/[^/]+\/)?instances/.test(path)) {
    if (method === "POST") return "creating the AI Search instance";
    if (method === "PUT") return "updating the AI Search instance";
    if (method === "PATCH") return "moving the AI Search instance to another namespace";
    if (method === "DELETE") return "deleting the AI Search instance";
    return "reading the AI Search instance";
  }
  if (path.endsWith("/permission_groups")) return "looking up the permission groups";
  if (path.endsWith("/verify")) return "identifying the credential";
  if (path.endsWith("/value")) return "rolling the API token's secret";
  if (/\/tokens$/.test(path)) return method === "POST" ? "minting the API token" : "listing API tokens";
  if (method === "DELETE") return "revoking the API token";
  if (method === "PUT") return "renaming the API token";
  return "reading the API token";
}

/**
 * The error with the failed step and "rerunning is safe" added, when it is a temporary API failure;
 * any other error as it is. The error object is kept (a partial failure's `id` and `properties` matter).
 */
export function withRerunHint(err: unknown): unknown {
  if (!(err instanceof Error) || err.message.includes(RERUN_IS_SAFE)) return err;
  const match = TEMPORARY.exec(err.message);
  if (!match) return err;
  const hint =
    `\nThe step that failed was ${stepOf(match[1] ?? "", match[2] ?? "")} (a temporary Cloudflare API failure). ` +
    `${RERUN_IS_SAFE}: what this run did is either cleaned up or recorded in state, so run the same ` +
    "`pulumi up`, `pulumi destroy` or `pulumi refresh` again.";
  err.message += hint;
  const reasons = (err as { reasons?: unknown }).reasons;
  if (Array.isArray(reasons) && typeof reasons[0] === "string") reasons[0] += hint;
  return err;
}
