// Contract of the AI Search sync-job routes and the stats they drive, over raw HTTP (reference 3.6).
// The emulator's clock is a fake one: jobs move forward only when the test advances it.
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- raw JSON answers */
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { call, fakeClock, G, mintUserToken, registerServiceToken } from "./helpers";

const clock = fakeClock();
let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, now: clock.now });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  // 4 items over 4 s: one item a second.
  emu.configure({ jobDurationMs: 4000, jobItemCount: 4 });
});

const codes = (r: { json: { errors: { code: number }[] } }) => r.json.errors.map((e) => e.code);
const account = () => `/accounts/${emu.accountId}/ai-search/instances`;
const inNs = (ns: string) => `/accounts/${emu.accountId}/ai-search/namespaces/${ns}/instances`;
const t0 = "2026-03-01T12:00:00Z";

async function r2Instance(base: string, id = "docs"): Promise<string> {
  const s = await registerServiceToken(emu);
  const r = await call(emu, "POST", base, {
    body: { id, type: "r2", source: "bucket", token_id: s.aiSearchTokenId },
  });
  if (r.status !== 200) throw new Error(r.text);
  return `${base}/${id}`;
}

/** Sets the fake clock back to the start time, so every test sees the same timestamps. */
function resetClock(): void {
  clock.advance(Date.parse(t0) - clock.now());
}
beforeEach(resetClock);

describe("a sync job", () => {
  it("runs, indexes its items one by one, ends completed; stats follow it", async () => {
    const inst = await r2Instance(account());
    const before = await call(emu, "GET", `${inst}/stats`);
    expect(before.json.result).toMatchObject({
      completed: 0,
      queued: 0,
      running: 0,
      error: 0,
      last_activity: null,
    });

    const created = await call(emu, "POST", `${inst}/jobs`, { body: { description: "from CI" } });
    expect(created.status).toBe(200);
    const job = created.json.result;
    expect(job).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      source: "user",
      description: "from CI",
      started_at: t0,
      last_seen_at: t0,
    });
    expect((await call(emu, "GET", `${inst}/stats`)).json.result).toMatchObject({
      completed: 0,
      running: 1,
      queued: 3,
      error: 0,
    });

    clock.advance(2000);
    const mid = await call(emu, "GET", `${inst}/jobs/${job.id}`);
    expect(mid.json.result).not.toHaveProperty("ended_at");
    expect(mid.json.result.last_seen_at).toBe("2026-03-01T12:00:02Z");
    expect((await call(emu, "GET", `${inst}/stats`)).json.result).toMatchObject({
      completed: 2,
      running: 1,
      queued: 1,
      last_activity: "2026-03-01T12:00:02Z",
    });

    clock.advance(5000);
    const done = await call(emu, "GET", `${inst}/jobs/${job.id}`);
    expect(done.json.result).toMatchObject({
      ended_at: "2026-03-01T12:00:04Z",
      end_reason: "completed",
      last_seen_at: "2026-03-01T12:00:04Z",
    });
    expect((await call(emu, "GET", `${inst}/stats`)).json.result).toMatchObject({
      completed: 4,
      running: 0,
      queued: 0,
      error: 0,
      file_embed_errors: {},
    });
    const logs = await call(emu, "GET", `${inst}/jobs/${job.id}/logs`);
    expect(logs.status).toBe(200);
    expect(logs.json.result.map((l: { message: string }) => l.message)).toEqual([
      "Sync job started (user)",
      "Indexed item-001.md",
      "Indexed item-002.md",
      "Indexed item-003.md",
      "Indexed item-004.md",
      "Sync job completed: 4 items indexed",
    ]);
    expect(logs.json.result[0]).toEqual({
      id: 1,
      created_at: Date.parse(t0),
      message: "Sync job started (user)",
      message_type: 1,
    });
    expect(emu.state().jobs).toEqual([
      expect.objectContaining({
        id: job.id,
        instance: "docs",
        namespace: "default",
        end_reason: "completed",
      }),
    ]);
  });

  it("with jobOutcome error ends with the error reason, error logs and the error count", async () => {
    emu.configure({ jobOutcome: "error", jobErrorReason: "bucket not found" });
    const inst = await r2Instance(account());
    const job = (await call(emu, "POST", `${inst}/jobs`)).json.result;
    clock.advance(1000);
    expect((await call(emu, "GET", `${inst}/stats`)).json.result).toMatchObject({
      error: 1,
      completed: 0,
      running: 1,
    });
    clock.advance(3000);
    expect((await call(emu, "GET", `${inst}/jobs/${job.id}`)).json.result).toMatchObject({
      end_reason: "bucket not found",
      ended_at: "2026-03-01T12:00:04Z",
    });
    const stats = (await call(emu, "GET", `${inst}/stats`)).json.result;
    expect(stats).toMatchObject({ error: 4, completed: 0, running: 0, queued: 0 });
    expect(stats.file_embed_errors["item-004.md"]).toBe("bucket not found");
    const logs = (await call(emu, "GET", `${inst}/jobs/${job.id}/logs`)).json.result;
    expect(logs.at(-1)).toMatchObject({ message: "Sync job failed: bucket not found", message_type: 2 });
    expect(logs[1]).toMatchObject({
      message: "Failed to index item-001.md: bucket not found",
      message_type: 2,
    });
  });

  it("a job with no duration has ended when it is created", async () => {
    emu.configure({ jobDurationMs: 0 });
    const inst = await r2Instance(account());
    const job = (await call(emu, "POST", `${inst}/jobs`)).json.result;
    expect(job).toMatchObject({ ended_at: t0, end_reason: "completed" });
  });
});

describe("cooldown", () => {
  it("a second manual sync within 30 s is 7020 / 429 with Retry-After; afterwards it is accepted", async () => {
    const inst = await r2Instance(account());
    expect((await call(emu, "POST", `${inst}/jobs`)).status).toBe(200);
    clock.advance(12_500);
    const r = await call(emu, "POST", `${inst}/jobs`);
    expect(r.status).toBe(429);
    expect(r.json).toEqual({
      success: false,
      errors: [{ code: 7020, message: "sync_in_cooldown" }],
      result: {},
    });
    expect(r.headers.get("retry-after")).toBe("18");
    clock.advance(17_500);
    expect((await call(emu, "POST", `${inst}/jobs`)).status).toBe(200);
    const list = await call(emu, "GET", `${inst}/jobs`);
    expect(list.json.result).toHaveLength(2);
  });

  it("is per instance and its length is the syncCooldownMs switch", async () => {
    emu.configure({ syncCooldownMs: 1000 });
    const a = await r2Instance(account(), "a");
    const b = `${account()}/b`;
    await call(emu, "POST", account(), { body: { id: "b", type: "web-crawler", source: "example.com" } });
    expect((await call(emu, "POST", `${a}/jobs`)).status).toBe(200);
    expect((await call(emu, "POST", `${b}/jobs`)).status).toBe(200);
    expect((await call(emu, "POST", `${a}/jobs`)).status).toBe(429);
    clock.advance(1000);
    expect((await call(emu, "POST", `${a}/jobs`)).status).toBe(200);
  });
});

describe("cancel", () => {
  it("PATCH action cancel ends a running job; an ended job is 7046; an unknown job is 7021", async () => {
    const inst = await r2Instance(inNs("default"));
    const job = (await call(emu, "POST", `${inst}/jobs`)).json.result;
    clock.advance(1000);
    const cancelled = await call(emu, "PATCH", `${inst}/jobs/${job.id}`, { body: { action: "cancel" } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.result).toMatchObject({
      id: job.id,
      end_reason: "cancelled",
      ended_at: "2026-03-01T12:00:01Z",
    });
    clock.advance(10_000);
    expect((await call(emu, "GET", `${inst}/stats`)).json.result).toMatchObject({
      completed: 1,
      running: 0,
      queued: 0,
    });
    const again = await call(emu, "PATCH", `${inst}/jobs/${job.id}`, { body: { action: "cancel" } });
    expect(again.status).toBe(400);
    expect(again.json.errors).toEqual([{ code: 7046, message: "job_cannot_be_cancelled" }]);
    const unknown = await call(emu, "PATCH", `${inst}/jobs/nope`, { body: { action: "cancel" } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.errors).toEqual([{ code: 7021, message: "job_not_found" }]);
    expect(codes(await call(emu, "GET", `${inst}/jobs/nope`))).toEqual([7021]);
    expect(codes(await call(emu, "GET", `${inst}/jobs/nope/logs`))).toEqual([7021]);
    const bad = await call(emu, "PATCH", `${inst}/jobs/${job.id}`, { body: { action: "pause" } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].path).toEqual(["action"]);
  });
});

describe("jobs in a namespace", () => {
  it("are scoped to the (namespace, instance): the same id elsewhere does not see them", async () => {
    await call(emu, "POST", `/accounts/${emu.accountId}/ai-search/namespaces`, { body: { name: "blue" } });
    const blue = await r2Instance(inNs("blue"), "same");
    const plain = await r2Instance(account(), "same");
    const job = (await call(emu, "POST", `${blue}/jobs`)).json.result;
    expect((await call(emu, "GET", `${blue}/jobs/${job.id}`)).status).toBe(200);
    expect(codes(await call(emu, "GET", `${plain}/jobs/${job.id}`))).toEqual([7021]);
    expect((await call(emu, "GET", `${plain}/jobs`)).json.result).toEqual([]);
    // The cooldown is per instance too.
    expect((await call(emu, "POST", `${plain}/jobs`)).status).toBe(200);
    expect(codes(await call(emu, "GET", `${inNs("nope")}/same/jobs`))).toEqual([7063]);
  });

  it("go with their instance: a new instance with the same id starts with none", async () => {
    const inst = await r2Instance(account());
    await call(emu, "POST", `${inst}/jobs`);
    expect(emu.state().jobs).toHaveLength(1);
    await call(emu, "DELETE", inst);
    expect(emu.state().jobs).toEqual([]);
    await r2Instance(account());
    expect((await call(emu, "GET", `${inst}/jobs`)).json.result).toEqual([]);
    expect((await call(emu, "POST", `${inst}/jobs`)).status).toBe(200);
  });
});

describe("listing and paging", () => {
  it("lists newest first, paged; logs are paged by page/per_page", async () => {
    emu.configure({ syncCooldownMs: 0, jobItemCount: 8 });
    const inst = await r2Instance(account());
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await call(emu, "POST", `${inst}/jobs`)).json.result.id);
      clock.advance(5000);
    }
    const p1 = await call(emu, "GET", `${inst}/jobs?per_page=2`);
    expect(p1.json.result.map((j: { id: string }) => j.id)).toEqual([ids[2], ids[1]]);
    expect(p1.json.result_info).toEqual({ page: 1, per_page: 2, count: 2, total_count: 3 });
    const p2 = await call(emu, "GET", `${inst}/jobs?per_page=2&page=2`);
    expect(p2.json.result.map((j: { id: string }) => j.id)).toEqual([ids[0]]);
    const logs = await call(emu, "GET", `${inst}/jobs/${ids[0]}/logs?per_page=4&page=3`);
    expect(logs.json.result.map((l: { id: number }) => l.id)).toEqual([9, 10]);
    expect(logs.json.result_info).toEqual({ page: 3, per_page: 4, count: 2, total_count: 10 });
  });
});

describe("instances without jobs", () => {
  it("built-in storage (no type, no source) has no jobs: POST is a 400 naming why; the list is empty", async () => {
    await call(emu, "POST", account(), { body: { id: "managed" } });
    const r = await call(emu, "POST", `${account()}/managed/jobs`);
    expect(r.status).toBe(400);
    expect(r.json.errors[0].message).toMatch(/built-in storage/);
    expect((await call(emu, "GET", `${account()}/managed/jobs`)).json.result).toEqual([]);
  });

  it("an unknown instance is 7002; an instance being deleted takes no new job", async () => {
    expect(codes(await call(emu, "POST", `${account()}/nope/jobs`))).toEqual([7002]);
    emu.configure({ instanceDeleteMs: 5000 });
    const inst = await r2Instance(account());
    await call(emu, "DELETE", inst);
    expect(codes(await call(emu, "POST", `${inst}/jobs`))).toEqual([7002]);
  });

  it("starting a job needs Auto Rag Write; reading accepts Read", async () => {
    const inst = await r2Instance(account());
    const reader = (await mintUserToken(emu, [G.autoRagRead])).value;
    expect((await call(emu, "POST", `${inst}/jobs`, { token: reader })).status).toBe(403);
    expect((await call(emu, "GET", `${inst}/jobs`, { token: reader })).status).toBe(200);
    expect((await call(emu, "GET", `${inst}/stats`, { token: reader })).status).toBe(200);
  });
});
