// Sync jobs of an instance (reference 3.6), under both instance prefixes:
// `POST|GET …/instances/{id}/jobs`, `GET|PATCH …/jobs/{job_id}` and `GET …/jobs/{job_id}/logs`.
// Manual syncs are limited to one per 30 s (429 / 7020). The emulator has nothing to index, so a
// job ends as it starts: `completed`, or `error` when the instance lost access to its source
// through its token (the `end_reason` values are undocumented; these are the emulator's own).
// Cancelling an ended job is 7046.
import { errors, success, type ApiReply } from "../envelope";
import { uuid } from "../ids";
import type { InstanceRecord, JobRecord } from "../model";
import { PERMISSION_GROUP_IDS } from "../permissionGroups";
import { JobCreateBody, JobUpdateBody } from "../requests";
import type { JobResponse } from "../responses";
import type { RequestContext, RouteDef } from "../router";
import { findInstance, INSTANCE_PREFIXES } from "./aiSearchInstances";
import { aiSearchTime, objectBody, paginate, parseWith } from "./common";

const WRITE = [PERMISSION_GROUP_IDS.autoRagWrite] as const;
const READ = [PERMISSION_GROUP_IDS.autoRagWrite, PERMISSION_GROUP_IDS.autoRagRead] as const;
const MANUAL_SYNC_COOLDOWN_MS = 30_000;

function jobView(ctx: RequestContext, j: JobRecord): JobResponse {
  const time = (ms: number) => aiSearchTime(ms, ctx.core.behaviour.aiSearchTimestampStyle);
  return {
    id: j.id,
    source: j.source,
    description: j.description,
    started_at: time(j.startedAtMs),
    ended_at: j.endedAtMs === null ? null : time(j.endedAtMs),
    end_reason: j.endReason,
    last_seen_at: time(j.endedAtMs ?? j.startedAtMs),
  };
}

/** The instance, unless it is being deleted (then 7002, as for its other writes). */
function liveInstance(ctx: RequestContext): InstanceRecord {
  const instance = findInstance(ctx);
  if (instance.goneAtMs !== undefined) throw errors.instanceNotFound();
  return instance;
}

function findJob(ctx: RequestContext): JobRecord {
  const job = liveInstance(ctx).jobs?.find((j) => j.id === ctx.params.job_id);
  if (!job) throw errors.jobNotFound();
  return job;
}

export function aiSearchJobRoutes(): RouteDef[] {
  const handlers: [string, string, readonly string[], (ctx: RequestContext) => ApiReply][] = [
    [
      "POST",
      "/:id/jobs",
      WRITE,
      (ctx) => {
        const instance = liveInstance(ctx);
        const body = parseWith(JobCreateBody, ctx.body === undefined ? {} : objectBody(ctx.body));
        const now = ctx.core.now();
        const lastManual = instance.jobs?.filter((j) => j.source === "user").at(-1);
        if (lastManual && now - lastManual.startedAtMs < MANUAL_SYNC_COOLDOWN_MS) {
          const waitMs = MANUAL_SYNC_COOLDOWN_MS - (now - lastManual.startedAtMs);
          throw errors.syncInCooldown(Math.ceil(waitMs / 1000));
        }
        const problem = ctx.core.store.tokenProblem(instance, now);
        const job: JobRecord = {
          id: uuid(),
          source: "user",
          description: body.description ?? null,
          startedAtMs: now,
          endedAtMs: now,
          endReason: problem ? "error" : "completed",
        };
        (instance.jobs ??= []).push(job);
        ctx.core.store.commit();
        return success(jobView(ctx, job));
      },
    ],
    [
      "GET",
      "/:id/jobs",
      READ,
      (ctx) => {
        const { page, info } = paginate(liveInstance(ctx).jobs ?? [], ctx.query, {
          cap: ctx.core.behaviour.pageSizeCap,
          totalPages: ctx.core.behaviour.aiSearchTotalPages,
        });
        return success(
          page.map((j) => jobView(ctx, j)),
          { resultInfo: info },
        );
      },
    ],
    ["GET", "/:id/jobs/:job_id", READ, (ctx) => success(jobView(ctx, findJob(ctx)))],
    [
      "PATCH",
      "/:id/jobs/:job_id",
      WRITE,
      (ctx) => {
        const job = findJob(ctx);
        parseWith(JobUpdateBody, objectBody(ctx.body));
        if (job.endedAtMs !== null) throw errors.jobCannotBeCancelled();
        return success(jobView(ctx, job)); // unreachable while jobs end as they start
      },
    ],
    [
      "GET",
      "/:id/jobs/:job_id/logs",
      READ,
      (ctx) => {
        findJob(ctx);
        // Log entries are undocumented; a job that indexed nothing logged nothing.
        const { page, info } = paginate([], ctx.query, {
          cap: ctx.core.behaviour.pageSizeCap,
          totalPages: ctx.core.behaviour.aiSearchTotalPages,
        });
        return success(page, { resultInfo: info });
      },
    ],
  ];
  return INSTANCE_PREFIXES.flatMap((prefix) =>
    handlers.map(([method, suffix, groups, handler]): RouteDef => ({
      method,
      template: prefix + suffix,
      aiSearch: true,
      auth: { kind: "permission", groups, resource: "account" },
      handler,
    })),
  );
}
