// Sync on demand (`sync` input) against undici's MockAgent: which steps start a job, the cooldown
// (7020, HTTP 429) waited out by the provider itself (not the client's generic 429 retry), waiting
// for the job to end, the stats outputs, and a failed job as a partial failure with its log.
import type { AiSearchInstanceInputs, AiSearchInstanceOutputs } from "../../provider/aiSearchInstance/args";
import * as provider from "../../provider/aiSearchInstance/provider";
import { SyncJobFailedError } from "../../provider/aiSearchInstance/sync";
import { ACCOUNT_ID, fail, mockCloudflare, ok, v4, type MockCloudflare } from "../support/mockCloudflare";

const TOKEN_ID = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0";
const BASE = `/accounts/${ACCOUNT_ID}/ai-search/namespaces/team-a/instances`;
const AT = `${BASE}/docs`;
const JOBS = `${AT}/jobs`;

const inputs = (extra: Record<string, unknown> = {}): AiSearchInstanceInputs => {
  const checked = provider.check({
    accountId: ACCOUNT_ID,
    instanceId: "docs",
    namespace: "team-a",
    type: "r2",
    source: "docs-bucket",
    tokenId: TOKEN_ID,
    ...extra,
  });
  expect(checked.failures).toEqual([]);
  return checked.inputs as AiSearchInstanceInputs;
};

const instance = { id: "docs", type: "r2", source: "docs-bucket", namespace: "team-a", status: "waiting" };
const job = (extra: Record<string, unknown> = {}) => ({
  id: "job-1",
  source: "user",
  started_at: "2026-11-29 10:00:00",
  ended_at: null,
  end_reason: null,
  ...extra,
});
const STATS = {
  completed: 3,
  queued: 0,
  running: 0,
  error: 0,
  skipped: 1,
  outdated: 0,
  last_activity: "2026-11-29",
};

function reply(cf: MockCloudflare, method: string, path: string, status: number, body: object, times = 1) {
  cf.pool
    .intercept({ path: v4(path), method })
    .reply(status, body)
    .times(times);
}

describe("AiSearchInstance sync: check and diff (no calls: preview never starts a job)", () => {
  it("rejects sync on a built-in storage instance, naming the field and the fix", () => {
    const { failures } = provider.check({
      accountId: ACCOUNT_ID,
      instanceId: "docs",
      sync: { onCreate: true },
    });
    expect(failures.map((f) => f.property)).toEqual(["sync"]);
    expect(failures[0]!.reason).toContain("built-in storage");
  });

  it("rejects a wait over an hour and an unknown sync field", () => {
    const { failures } = provider.check({
      accountId: ACCOUNT_ID,
      instanceId: "docs",
      type: "r2",
      source: "docs-bucket",
      tokenId: TOKEN_ID,
      sync: { waitSeconds: 3601, every: 5 },
    });
    expect(failures.map((f) => f.property).sort()).toEqual(["sync.every", "sync.waitSeconds"]);
  });

  it("a change of sync.onChangeOf is an in-place update; the same value is no change", () => {
    const olds = { ...inputs({ sync: { onChangeOf: "v1" } }), adopted: false };
    expect(provider.diff(olds, inputs({ sync: { onChangeOf: "v2" } }))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
    });
    expect(provider.diff(olds, inputs({ sync: { onChangeOf: "v1" } })).changes).toBe(false);
  });
});

describe("AiSearchInstance sync: create and update", () => {
  it("starts a job after create, waits for it to end, and records the job, its end and the stats", async () => {
    const cf = mockCloudflare();
    reply(cf, "POST", BASE, 200, ok(instance));
    reply(cf, "POST", JOBS, 200, ok(job()));
    reply(cf, "GET", `${JOBS}/job-1`, 200, ok(job()));
    reply(
      cf,
      "GET",
      `${JOBS}/job-1`,
      200,
      ok(job({ ended_at: "2026-11-29 10:00:09", end_reason: "completed" })),
    );
    reply(cf, "GET", `${AT}/stats`, 200, ok(STATS));

    const { outs } = await provider.create(cf.ctx, inputs({ sync: { onCreate: true, waitSeconds: 60 } }));
    expect(cf.calls()).toEqual([
      `POST ${BASE}`,
      `POST ${JOBS}`,
      `GET ${JOBS}/job-1`,
      `GET ${JOBS}/job-1`,
      `GET ${AT}/stats`,
    ]);
    expect(outs).toMatchObject({
      sync: { onCreate: true, waitSeconds: 60 },
      lastSyncJobId: "job-1",
      lastSyncEndReason: "completed",
      stats: {
        completed: 3,
        queued: 0,
        running: 0,
        error: 0,
        skipped: 1,
        outdated: 0,
        lastActivity: "2026-11-29",
      },
    });
  });

  it("starts no job on create without onCreate", async () => {
    const cf = mockCloudflare();
    reply(cf, "POST", BASE, 200, ok(instance));
    const { outs } = await provider.create(cf.ctx, inputs({ sync: { onChangeOf: "v1" } }));
    expect(cf.calls()).toEqual([`POST ${BASE}`]);
    expect(outs).not.toHaveProperty("lastSyncJobId");
  });

  it("waits out the cooldown (7020, HTTP 429) itself instead of the client's 429 retry, then starts the job", async () => {
    const cf = mockCloudflare();
    reply(cf, "POST", BASE, 200, ok(instance));
    reply(cf, "POST", JOBS, 429, fail(7020, "sync_in_cooldown"), 2);
    reply(cf, "POST", JOBS, 200, ok(job()));
    reply(cf, "GET", `${AT}/stats`, 200, ok(STATS));

    const { outs } = await provider.create(cf.ctx, inputs({ sync: { onCreate: true } }));
    expect(cf.calls()).toEqual([
      `POST ${BASE}`,
      `POST ${JOBS}`,
      `POST ${JOBS}`,
      `POST ${JOBS}`,
      `GET ${AT}/stats`,
    ]);
    expect(cf.logs.filter((l) => l.includes("7020"))).toHaveLength(2);
    expect(outs.lastSyncJobId).toBe("job-1");
    expect(outs).not.toHaveProperty("lastSyncEndReason");
  });

  it("a change of onChangeOf alone starts a job and writes nothing to the instance", async () => {
    const cf = mockCloudflare();
    const olds: AiSearchInstanceOutputs = {
      ...inputs({ sync: { onChangeOf: "v1" } }),
      adopted: false,
      lastSyncJobId: "job-0",
    };
    reply(cf, "GET", AT, 200, ok(instance));
    reply(cf, "POST", JOBS, 200, ok(job()));
    reply(cf, "GET", `${AT}/stats`, 200, ok(STATS));
    const outs = await provider.update(cf.ctx, "docs", olds, inputs({ sync: { onChangeOf: "v2" } }));
    expect(cf.calls()).toEqual([`GET ${AT}`, `POST ${JOBS}`, `GET ${AT}/stats`]);
    expect(outs).toMatchObject({ sync: { onChangeOf: "v2" }, lastSyncJobId: "job-1" });
  });

  it("an update of a setting without a trigger change starts no job and keeps the last job's outputs", async () => {
    const cf = mockCloudflare();
    const olds: AiSearchInstanceOutputs = {
      ...inputs({ sync: { onChangeOf: "v1" } }),
      adopted: false,
      lastSyncJobId: "job-0",
      lastSyncEndReason: "completed",
    };
    reply(cf, "PUT", AT, 200, ok(instance));
    const outs = await provider.update(
      cf.ctx,
      "docs",
      olds,
      inputs({ sync: { onChangeOf: "v1" }, paused: true }),
    );
    expect(cf.calls()).toEqual([`PUT ${AT}`]);
    expect(outs).toMatchObject({ lastSyncJobId: "job-0", lastSyncEndReason: "completed" });
  });

  it("a job that ends in error fails the update with its log summarised, keeping the old trigger in state", async () => {
    const cf = mockCloudflare();
    const olds: AiSearchInstanceOutputs = { ...inputs({ sync: { onChangeOf: "v1" } }), adopted: false };
    reply(cf, "GET", AT, 200, ok(instance));
    reply(cf, "POST", JOBS, 200, ok(job()));
    reply(cf, "GET", `${JOBS}/job-1`, 200, ok(job({ ended_at: "2026-11-29 10:00:09", end_reason: "error" })));
    reply(cf, "GET", `${AT}/stats`, 200, ok({ ...STATS, error: 2 }));
    cf.pool.intercept({ path: (p) => p.startsWith(v4(`${JOBS}/job-1/logs`)), method: "GET" }).reply(
      200,
      ok([
        { id: "l1", created_at: 1764410400000, message: "indexing started", message_type: 1 },
        {
          id: "l2",
          created_at: 1764410401000,
          message: "bucket docs-bucket: access denied",
          message_type: 2,
        },
      ]),
    );

    const err = await provider
      .update(cf.ctx, "docs", olds, inputs({ sync: { onChangeOf: "v2", waitSeconds: 30 } }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncJobFailedError);
    const failed = err as SyncJobFailedError;
    expect(failed.message).toContain('ended with "error"');
    expect(failed.message).toContain("bucket docs-bucket: access denied");
    expect(failed.message).not.toContain("indexing started");
    expect(failed.id).toBe("docs");
    expect(failed.properties).toMatchObject({
      sync: { onChangeOf: "v1" },
      lastSyncJobId: "job-1",
      lastSyncEndReason: "error",
      stats: { error: 2 },
    });
  });

  it("a failed sync after create keeps the instance in state (partial failure) without sync, to retry it", async () => {
    const cf = mockCloudflare();
    reply(cf, "POST", BASE, 200, ok(instance));
    reply(cf, "POST", JOBS, 500, fail(7017, "unable_to_connect_to_ai_search"));
    const err = await provider.create(cf.ctx, inputs({ sync: { onCreate: true } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncJobFailedError);
    const failed = err as SyncJobFailedError;
    expect(failed.id).toBe("docs");
    expect(failed.properties).toMatchObject({ instanceId: "docs", namespace: "team-a" });
    expect(failed.properties).not.toHaveProperty("sync");

    // The next `up` sees sync as newly declared: it syncs (and writes nothing else).
    const next = inputs({ sync: { onCreate: true } });
    expect(provider.diff(failed.properties as AiSearchInstanceOutputs, next).changes).toBe(true);
    reply(cf, "GET", AT, 200, ok(instance));
    reply(cf, "POST", JOBS, 200, ok(job()));
    reply(cf, "GET", `${AT}/stats`, 200, ok(STATS));
    const outs = await provider.update(cf.ctx, "docs", failed.properties as AiSearchInstanceOutputs, next);
    expect(outs).toMatchObject({ sync: { onCreate: true }, lastSyncJobId: "job-1" });
  });
});
