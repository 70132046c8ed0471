// What a delete does about AI Search instances that are still listed where it needs none: wait
// while they are going, and name those that stay. Whether an instance is being deleted is read
// from one documented thing only, whether it is still listed: the API's instance `status` values
// are undocumented (reference C9; SDK 7.3 types it as a free string), so no value of it is
// trusted to mean "being deleted". An instance that disappears within the bound was being
// deleted; one that stays is reported.
import type { ProviderContext } from "./context";

export interface TeardownWait {
  /**
   * Stop early when no listed item has disappeared for this long: the ones left are taken as not
   * being deleted. Leave it out to wait for the whole bound (`deleteTimeoutMs`).
   */
  readonly quietMs?: number;
  /** Called once, before the first wait, with the items still listed (for a log line). */
  readonly onWait?: (listed: readonly string[]) => void;
  /** When the caller's own bound ends, if sooner than `deleteTimeoutMs` from now. */
  readonly deadline?: number;
}

/**
 * How long a delete that needs a place emptied waits without any listed instance going before it
 * takes those left as not being deleted: a few polls, enough for a list that lags a delete.
 */
export function quietBound(ctx: ProviderContext): number {
  return 3 * ctx.wait.pollIntervalMs;
}

/**
 * Lists with `list` (item keys) until nothing is listed, or until the delete's bound
 * (`ctx.wait.deleteTimeoutMs`) or `quietMs` without progress has passed; returns what is still
 * listed then: empty when everything went.
 */
export async function stillListedAfterTeardown(
  ctx: ProviderContext,
  list: () => Promise<string[]>,
  wait: TeardownWait = {},
): Promise<string[]> {
  let listed = await list();
  if (listed.length === 0) return listed;
  wait.onWait?.(listed);
  const deadline = Math.min(ctx.now() + ctx.wait.deleteTimeoutMs, wait.deadline ?? Infinity);
  let lastProgress = ctx.now();
  for (;;) {
    const now = ctx.now();
    const quietOver = wait.quietMs !== undefined && now - lastProgress >= wait.quietMs;
    if (quietOver || now + ctx.wait.pollIntervalMs > deadline) return listed;
    await ctx.sleep(ctx.wait.pollIntervalMs);
    const next = await list();
    if (next.length === 0) return next;
    if (listed.some((key) => !next.includes(key))) lastProgress = ctx.now();
    listed = next;
  }
}
