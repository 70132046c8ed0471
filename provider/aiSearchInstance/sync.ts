// Sync on demand: `pulumi up` starts a sync job (after create, and when `sync.onChangeOf` changes),
// waits out AI Search's 30-second cooldown between manual syncs (7020, HTTP 429), optionally waits
// for the job to end, and reads the instance's stats. A job that ends in error fails the step with
// its log summarised. Only create and update run here, so `pulumi preview` never starts a job.
import { isNotFound, SyncInCooldownError } from "../cloudflare";
import type { InstanceStats, SyncJob, SyncJobLog } from "../cloudflare/schemas";
import { withCredential, type ProviderContext } from "../context";
import { AI_SEARCH_EDIT } from "../lifecycle";
import type { AiSearchInstanceInputs, AiSearchInstanceOutputs, SyncStats } from "./args";
import { SyncJobFailedError } from "./syncJobFailedError";

export { SyncJobFailedError };

/** A manual sync may follow the last one after 30 s; starting one waits at least this long for it. */
export const SYNC_COOLDOWN_BOUND_MS = 60_000;

/** What a sync left to record in state. */
export interface SyncOutcome {
  lastSyncJobId: string;
  lastSyncEndReason?: string;
  stats?: SyncStats;
}

/** End reasons that mean the job did not index what it should (the values are undocumented). */
const FAILED_END_REASON = /error|fail|cancel|abort/i;

/** True when an update from `olds` to `news` should start a sync. */
export function syncDue(olds: AiSearchInstanceOutputs, news: AiSearchInstanceInputs): boolean {
  const sync = news.sync;
  if (!sync) return false;
  // Declared on an instance that had none (or whose first sync failed): as if just created.
  if (olds.sync === undefined) return sync.onCreate === true || sync.onChangeOf !== undefined;
  return sync.onChangeOf !== undefined && sync.onChangeOf !== olds.sync.onChangeOf;
}

/**
 * Starts a sync job and, with `sync.waitSeconds`, waits for it to end. Throws an Error whose
 * message summarises the job's log if it ended in error; the caller makes that a partial failure.
 */
export async function runSync(
  ctx: ProviderContext,
  inputs: AiSearchInstanceInputs,
): Promise<{ outcome: SyncOutcome; failure?: string }> {
  const waitMs = (inputs.sync?.waitSeconds ?? 0) * 1000;
  const job = await startJob(ctx, inputs, Math.max(waitMs, SYNC_COOLDOWN_BOUND_MS));
  const outcome: SyncOutcome = { lastSyncJobId: job.id };
  ctx.log(`AI Search instance "${inputs.instanceId}": started sync job ${job.id}.`);

  let ended = hasEnded(job) ? job : undefined;
  const deadline = ctx.now() + waitMs;
  while (!ended && waitMs > 0 && ctx.now() + ctx.wait.pollIntervalMs <= deadline) {
    await ctx.sleep(ctx.wait.pollIntervalMs);
    const seen = await call(ctx, () =>
      api(ctx).job(inputs.accountId, inputs.namespace, inputs.instanceId, job.id),
    );
    if (hasEnded(seen)) ended = seen;
  }
  if (!ended && waitMs > 0) {
    ctx.log(
      `AI Search instance "${inputs.instanceId}": sync job ${job.id} is still running after ${waitMs / 1000}s; ` +
        "leaving it to finish (raise sync.waitSeconds to wait longer).",
    );
  }
  if (ended) outcome.lastSyncEndReason = ended.end_reason ?? "ended";
  const stats = await readStats(ctx, inputs);
  if (stats) outcome.stats = stats;

  if (ended && FAILED_END_REASON.test(ended.end_reason ?? "")) {
    const logs = await summariseLogs(ctx, inputs, job.id);
    return {
      outcome,
      failure:
        `AI Search sync job ${job.id} of instance "${inputs.instanceId}" ended with "${ended.end_reason}"` +
        `${logs ? `: ${logs}` : ""}. Fix the source, then change sync.onChangeOf (or run \`pulumi up\` again) to sync again.`,
    };
  }
  return { outcome };
}

/** POSTs the job, waiting out the cooldown (7020) until `boundMs` has passed. */
async function startJob(
  ctx: ProviderContext,
  inputs: AiSearchInstanceInputs,
  boundMs: number,
): Promise<SyncJob> {
  const deadline = ctx.now() + boundMs;
  for (;;) {
    try {
      return await call(ctx, () =>
        api(ctx).startJob(inputs.accountId, inputs.namespace, inputs.instanceId, "pulumi up"),
      );
    } catch (err) {
      if (!(err instanceof SyncInCooldownError)) throw err;
      const waitMs =
        err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : ctx.wait.pollIntervalMs;
      if (ctx.now() + waitMs > deadline) {
        throw new Error(
          `AI Search instance "${inputs.instanceId}" is still in its sync cooldown (7020) after ` +
            `${Math.round(boundMs / 1000)}s, so no sync job was started. Run \`pulumi up\` again.`,
        );
      }
      ctx.log(
        `AI Search instance "${inputs.instanceId}": a sync ran less than 30 s ago (7020, cooldown); ` +
          `starting one in ${Math.ceil(waitMs / 1000)}s.`,
      );
      await ctx.sleep(waitMs);
    }
  }
}

function hasEnded(job: SyncJob): boolean {
  return !!job.ended_at || !!job.end_reason;
}

/** The instance's counts, or undefined if they cannot be read (they are informational only). */
async function readStats(
  ctx: ProviderContext,
  inputs: AiSearchInstanceInputs,
): Promise<SyncStats | undefined> {
  let stats: InstanceStats;
  try {
    stats = await call(ctx, () => api(ctx).stats(inputs.accountId, inputs.namespace, inputs.instanceId));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    ctx.log(
      `AI Search instance "${inputs.instanceId}": could not read its stats (${(err as Error).message}).`,
    );
    return undefined;
  }
  const counts: SyncStats = {};
  for (const key of ["completed", "queued", "running", "error", "skipped", "outdated"] as const) {
    const n = stats[key];
    if (typeof n === "number") counts[key] = n;
  }
  if (stats.last_activity) counts.lastActivity = stats.last_activity;
  return counts;
}

/** The job's error lines (or its last lines), at most 5 of 200 characters each. */
async function summariseLogs(
  ctx: ProviderContext,
  inputs: AiSearchInstanceInputs,
  jobId: string,
): Promise<string> {
  let lines: SyncJobLog[];
  try {
    lines = await call(ctx, () =>
      api(ctx).jobLogs(inputs.accountId, inputs.namespace, inputs.instanceId, jobId),
    );
  } catch (err) {
    return `(its log could not be read: ${(err as Error).message})`;
  }
  const text = (l: SyncJobLog) => (typeof l.message === "string" ? l.message.trim() : "");
  const withText = lines.filter((l) => text(l) !== "");
  // message_type 2 is an error line as the emulator (and, by its inference, the API) numbers them.
  const errors = withText.filter(
    (l) => l.message_type === 2 || /error|fail/i.test(`${l.level ?? ""} ${text(l)}`),
  );
  const chosen = (errors.length ? errors : withText).slice(-5);
  return chosen.map((l) => (text(l).length > 200 ? `${text(l).slice(0, 199)}…` : text(l))).join("; ");
}

function api(ctx: ProviderContext) {
  return ctx.management().aiSearchInstances;
}

function call<T>(ctx: ProviderContext, run: () => Promise<T>): Promise<T> {
  return withCredential(ctx.sources.management, AI_SEARCH_EDIT, run);
}
