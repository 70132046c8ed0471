// Sync jobs of an AI Search instance (reference 3.6), under both instance prefixes
// (`/ai-search/instances/{id}/jobs`, the `default` namespace, and
// `/ai-search/namespaces/{name}/instances/{id}/jobs`):
//
// - POST starts a manual sync (`source: "user"`); within `syncCooldownMs` of the instance's last
//   manual sync it answers 7020 / 429 with `Retry-After` (whole seconds, rounded up);
// - an instance with built-in storage (no type and source) has no jobs: POST is a 400 (inferred);
//   its job list is empty;
// - GET lists them newest first (paged; order inferred), GET one, GET its logs (paged);
// - PATCH `{"action": "cancel"}` cancels a running job; an ended one is 7046; an unknown job 7021.
//   The reference has PATCH on the namespaced path; a third-party OpenAPI listing (hexdocs) shows
//   it on the account-level path too, so both are served.
import { errors, success } from "../envelope";
import { jobIsRunning, jobLogs, jobView, newJob } from "../jobs";
import type { InstanceRecord, JobRecord } from "../model";
import { PERMISSION_GROUP_IDS } from "../permissionGroups";
import { JobCreateBody, JobUpdateBody } from "../requests";
import type { RequestContext, RouteDef } from "../router";
import { findInstance, INSTANCE_PREFIXES } from "./aiSearchInstances";
import { aiSearchTime, objectBody, paginateAiSearch, parseWith } from "./common";

const WRITE = [PERMISSION_GROUP_IDS.autoRagWrite] as const;
const READ = [PERMISSION_GROUP_IDS.autoRagWrite, PERMISSION_GROUP_IDS.autoRagRead] as const;

function hasBuiltInStorage(i: InstanceRecord): boolean {
  return (i.settings.type ?? null) === null && (i.settings.source ?? null) === null;
}

function view(ctx: RequestContext, job: JobRecord) {
  const style = ctx.core.behaviour.aiSearchTimestampStyle;
  return jobView(job, ctx.core.now(), (ms) => aiSearchTime(ms, style));
}

/** The job named in the path, which must belong to the instance named in the path; else 7021. */
function findJob(ctx: RequestContext): JobRecord {
  const instance = findInstance(ctx);
  const job = ctx.core.store.jobs.get(ctx.params.job_id!);
  if (!job || job.namespace !== instance.namespace || job.instanceId !== instance.id) {
    throw errors.jobNotFound();
  }
  return job;
}

export function aiSearchJobRoutes(): RouteDef[] {
  const prefixes = INSTANCE_PREFIXES.map((p) => `${p}/:id/jobs`);
  const handlers: [string, string, readonly string[], RouteDef["handler"]][] = [
    [
      "POST",
      "",
      WRITE,
      (ctx) => {
        const instance = findInstance(ctx);
        if (instance.goneAtMs !== undefined) throw errors.instanceNotFound(); // being deleted
        if (hasBuiltInStorage(instance)) throw errors.noJobsForBuiltInStorage();
        const body = parseWith(JobCreateBody, ctx.body === undefined ? {} : objectBody(ctx.body));
        const store = ctx.core.store;
        const b = ctx.core.behaviour;
        const now = ctx.core.now();
        const lastManual = store
          .jobsOf(instance.namespace, instance.id)
          .filter((j) => j.source === "user")
          .at(-1);
        if (lastManual && now - lastManual.startedAtMs < b.syncCooldownMs) {
          const waitMs = lastManual.startedAtMs + b.syncCooldownMs - now;
          throw errors.syncInCooldown(Math.max(1, Math.ceil(waitMs / 1000)));
        }
        const job = newJob(
          instance,
          b,
          now,
          "user",
          body.description ?? null,
          store.tokenProblem(instance, now),
        );
        store.jobs.set(job.id, job);
        store.commit();
        return success(view(ctx, job));
      },
    ],
    [
      "GET",
      "",
      READ,
      (ctx) => {
        const instance = findInstance(ctx);
        const jobs = ctx.core.store.jobsOf(instance.namespace, instance.id).reverse();
        const { page, info } = paginateAiSearch(ctx, jobs);
        return success(
          page.map((j) => view(ctx, j)),
          { resultInfo: info },
        );
      },
    ],
    ["GET", "/:job_id", READ, (ctx) => success(view(ctx, findJob(ctx)))],
    [
      "GET",
      "/:job_id/logs",
      READ,
      (ctx) => {
        const job = findJob(ctx);
        const { page, info } = paginateAiSearch(ctx, jobLogs(job, ctx.core.now()));
        return success(page, { resultInfo: info });
      },
    ],
    [
      "PATCH",
      "/:job_id",
      WRITE,
      (ctx) => {
        const job = findJob(ctx);
        parseWith(JobUpdateBody, objectBody(ctx.body));
        const now = ctx.core.now();
        if (!jobIsRunning(job, now)) throw errors.jobCannotBeCancelled();
        job.cancelledAtMs = now;
        ctx.core.store.commit();
        return success(view(ctx, job));
      },
    ],
  ];
  return prefixes.flatMap((prefix) =>
    handlers.map(([method, suffix, groups, handler]): RouteDef => ({
      method,
      template: prefix + suffix,
      aiSearch: true,
      auth: { kind: "permission", groups, resource: "account" },
      handler,
    })),
  );
}
