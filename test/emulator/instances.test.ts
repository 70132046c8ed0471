// Contract of the AI Search instance routes over raw HTTP, account-level and namespaced.
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- raw JSON answers */
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { call, fakeClock, G, mintUserToken, registerServiceToken } from "./helpers";

const clock = fakeClock();
let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, now: clock.now });
});
afterAll(() => emu.close());
// Every create without token_id relies on the account's AI Search token (accountTokenRequiredFor
// "every-instance"): the tests that are not about that start with one registered.
beforeEach(async () => {
  emu.reset();
  await registerServiceToken(emu, "account token");
});

const base = () => `/accounts/${emu.accountId}/ai-search/instances`;
const nsBase = (ns = "default") => `/accounts/${emu.accountId}/ai-search/namespaces/${ns}/instances`;
const codes = (r: { json: { errors: { code: number }[] } }) => r.json.errors.map((e) => e.code);

describe("create", () => {
  it("creates an R2 instance with computed fields; token_id is accepted but not returned", async () => {
    const s = await registerServiceToken(emu);
    const r = await call(emu, "POST", base(), {
      body: { id: "my-r2-rag", type: "r2", source: "bucket", token_id: s.aiSearchTokenId, chunk_size: 512 },
    });
    expect(r.status).toBe(200);
    expect(r.json.success).toBe(true);
    const i = r.json.result;
    expect(i).toMatchObject({
      id: "my-r2-rag",
      type: "r2",
      source: "bucket",
      chunk_size: 512,
      status: "waiting",
      namespace: "default",
      enable: true,
      created_at: "2026-03-01T12:00:00Z",
      modified_at: "2026-03-01T12:00:00Z",
    });
    expect(i.public_endpoint_id).toMatch(/^[0-9a-f]{32}$/);
    expect(i).not.toHaveProperty("token_id");
    expect(emu.state().instances[0]!.token_id).toBe(s.aiSearchTokenId);
  });

  it("a managed instance needs neither type nor source; exactly one of them is 7052", async () => {
    const managed = await call(emu, "POST", base(), { body: { id: "managed" } });
    expect(managed.status).toBe(200);
    expect(managed.json.result).toMatchObject({ type: null, source: null });
    for (const body of [
      { id: "a", type: "web-crawler" },
      { id: "b", source: "example.com" },
    ]) {
      const r = await call(emu, "POST", base(), { body });
      expect(r.status).toBe(400);
      expect(r.json).toEqual({
        success: false,
        errors: [{ code: 7052, message: "type_and_source_are_required_for_non_managed_instances" }],
        result: {},
      });
    }
    expect(
      (await call(emu, "POST", base(), { body: { id: "web", type: "web-crawler", source: "example.com" } }))
        .status,
    ).toBe(200);
  });

  it("7022 for a duplicate id; 7012 for an unknown token_id; 400 with a path for a bad id", async () => {
    await call(emu, "POST", base(), { body: { id: "dup" } });
    const dup = await call(emu, "POST", base(), { body: { id: "dup" } });
    expect(dup.status).toBe(400);
    expect(codes(dup)).toEqual([7022]);
    const tok = await call(emu, "POST", base(), {
      body: { id: "t", type: "r2", source: "b", token_id: "62af0db3-c410-40b2-9ee3-0e93f6dd1de0" },
    });
    expect(tok.status).toBe(400);
    expect(codes(tok)).toEqual([7012]);
    const bad = await call(emu, "POST", base(), { body: { id: "Not Valid!" } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0]).toMatchObject({ code: 1001, path: ["id"] });
    const types = await call(emu, "POST", base(), { body: { id: "x", type: "ftp", source: "s" } });
    expect(types.json.errors[0].path).toEqual(["type"]);
  });
});

describe("read, list, stats", () => {
  it("reads; 7002 for a missing instance", async () => {
    await call(emu, "POST", base(), { body: { id: "one" } });
    expect((await call(emu, "GET", `${base()}/one`)).json.result.id).toBe("one");
    const missing = await call(emu, "GET", `${base()}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      success: false,
      errors: [{ code: 7002, message: "ai_search_not_found" }],
      result: {},
    });
    expect(codes(await call(emu, "GET", `${base()}/nope/stats`))).toEqual([7002]);
  });

  it("lists with paging, search on id and order direction", async () => {
    for (const id of ["docs-a", "blog", "docs-b"]) await call(emu, "POST", base(), { body: { id } });
    const l = await call(emu, "GET", `${base()}?per_page=2`);
    expect(l.json.result.map((i: { id: string }) => i.id)).toEqual(["docs-a", "blog"]);
    expect(l.json.result_info).toEqual({ page: 1, per_page: 2, count: 2, total_count: 3 });
    const s = await call(emu, "GET", `${base()}?search=DOCS`);
    expect(s.json.result.map((i: { id: string }) => i.id)).toEqual(["docs-a", "docs-b"]);
    const d = await call(emu, "GET", `${base()}?order_by=created_at&order_by_direction=desc`);
    expect(d.json.result.map((i: { id: string }) => i.id)).toEqual(["docs-b", "blog", "docs-a"]);
    expect((await call(emu, "GET", `${base()}?page=5`)).json.result).toEqual([]);
  });

  it("token_id stays hidden on list unless echoTokenIdOnRead", async () => {
    const s = await registerServiceToken(emu);
    await call(emu, "POST", base(), {
      body: { id: "r", type: "r2", source: "b", token_id: s.aiSearchTokenId },
    });
    expect((await call(emu, "GET", base())).json.result[0]).not.toHaveProperty("token_id");
    emu.configure({ echoTokenIdOnRead: true });
    expect((await call(emu, "GET", base())).json.result[0].token_id).toBe(s.aiSearchTokenId);
    expect((await call(emu, "GET", `${base()}/r`)).json.result.token_id).toBe(s.aiSearchTokenId);
  });

  it("stats answers the counters", async () => {
    await call(emu, "POST", base(), { body: { id: "s" } });
    const r = await call(emu, "GET", `${base()}/s/stats`);
    expect(r.json.result).toMatchObject({ completed: 0, queued: 0, running: 0, error: 0, skipped: 0 });
  });
});

describe("update", () => {
  it("merges top-level fields, replaces public_endpoint_params whole, keeps retrieval_options keys", async () => {
    await call(emu, "POST", base(), {
      body: {
        id: "u",
        type: "web-crawler",
        source: "example.com",
        max_num_results: 5,
        public_endpoint_params: { enabled: true, mcp: { disabled: true }, authorized_hosts: ["a.com"] },
        custom_metadata: [{ field_name: "date", data_type: "datetime" }],
        retrieval_options: { keyword_match_mode: "and" },
      },
    });
    clock.advance(1000);
    const r = await call(emu, "PUT", `${base()}/u`, {
      body: {
        public_endpoint_params: { enabled: false },
        retrieval_options: { boost_by: [{ field: "date", direction: "desc" }] },
        score_threshold: 0.5,
      },
    });
    expect(r.status).toBe(200);
    expect(r.json.result).toMatchObject({
      max_num_results: 5,
      score_threshold: 0.5,
      public_endpoint_params: { enabled: false, default_domain_enabled: true },
      retrieval_options: { keyword_match_mode: "and", boost_by: [{ field: "date", direction: "desc" }] },
      created_at: "2026-03-01T12:00:00Z",
      modified_at: "2026-03-01T12:00:01Z",
    });
    expect(r.json.result.public_endpoint_params).not.toHaveProperty("authorized_hosts");
    expect(r.json.result.public_endpoint_params).not.toHaveProperty("mcp");
  });

  it("refuses id and type in the body, a source without type, and an unknown token_id", async () => {
    await call(emu, "POST", base(), { body: { id: "u" } });
    const immutable = await call(emu, "PUT", `${base()}/u`, { body: { id: "u", type: "r2" } });
    expect(immutable.status).toBe(400);
    expect(immutable.json.errors.map((e: { path: unknown[] }) => e.path)).toEqual([["id"], ["type"]]);
    expect(codes(await call(emu, "PUT", `${base()}/u`, { body: { source: "b" } }))).toEqual([7052]);
    expect(codes(await call(emu, "PUT", `${base()}/u`, { body: { token_id: "nope" } }))).toEqual([7012]);
    expect(codes(await call(emu, "PUT", `${base()}/missing`, { body: {} }))).toEqual([7002]);
  });

  it("accepts token_id on write, and a later token delete sees it in use", async () => {
    const s = await registerServiceToken(emu);
    await call(emu, "POST", base(), { body: { id: "w", type: "web-crawler", source: "example.com" } });
    const r = await call(emu, "PUT", `${base()}/w`, { body: { token_id: s.aiSearchTokenId } });
    expect(r.json.result).not.toHaveProperty("token_id");
    const del = await call(emu, "DELETE", `/accounts/${emu.accountId}/ai-search/tokens/${s.aiSearchTokenId}`);
    expect(codes(del)).toEqual([7076]);
  });
});

describe("delete", () => {
  it("answers the deleted instance; then 7002", async () => {
    await call(emu, "POST", base(), { body: { id: "d", type: "web-crawler", source: "example.com" } });
    const r = await call(emu, "DELETE", `${base()}/d`);
    expect(r.status).toBe(200);
    expect(r.json.result).toMatchObject({ id: "d", type: "web-crawler", source: "https://example.com" });
    expect(codes(await call(emu, "DELETE", `${base()}/d`))).toEqual([7002]);
    expect(emu.state().instances).toEqual([]);
  });

  it("with instanceDeleteMs, a deleted instance stays readable as deleting, and holds its token, until teardown ends", async () => {
    emu.configure({ instanceDeleteMs: 30_000 });
    const s = await registerServiceToken(emu);
    await call(emu, "POST", base(), {
      body: { id: "slow", type: "r2", source: "bucket", token_id: s.aiSearchTokenId },
    });
    expect((await call(emu, "DELETE", `${base()}/slow`)).status).toBe(200);

    const read = await call(emu, "GET", `${base()}/slow`);
    expect(read.json.result).toMatchObject({ id: "slow", status: "deleting" });
    expect((await call(emu, "DELETE", `${base()}/slow`)).status).toBe(200); // deleting again is fine
    expect(codes(await call(emu, "PUT", `${base()}/slow`, { body: { source: "other" } }))).toEqual([7002]);
    expect(codes(await call(emu, "POST", base(), { body: { id: "slow" } }))).toEqual([7022]);
    const tokenUrl = `/accounts/${emu.accountId}/ai-search/tokens/${s.aiSearchTokenId}`;
    expect(codes(await call(emu, "DELETE", tokenUrl))).toEqual([7076]);

    clock.advance(30_000);
    expect(codes(await call(emu, "GET", `${base()}/slow`))).toEqual([7002]);
    expect(emu.state().instances).toEqual([]);
    expect((await call(emu, "DELETE", tokenUrl)).status).toBe(200);
  });
});

describe("namespaced routes", () => {
  it("act on the same default namespace; other namespaces are 7063", async () => {
    const c = await call(emu, "POST", nsBase(), { body: { id: "n1" } });
    expect(c.status).toBe(200);
    expect((await call(emu, "GET", `${base()}/n1`)).json.result.namespace).toBe("default");
    expect((await call(emu, "GET", nsBase())).json.result.map((i: { id: string }) => i.id)).toEqual(["n1"]);
    expect(
      (await call(emu, "PUT", `${nsBase()}/n1`, { body: { max_num_results: 3 } })).json.result
        .max_num_results,
    ).toBe(3);
    expect((await call(emu, "GET", `${nsBase()}/n1/stats`)).status).toBe(200);
    expect((await call(emu, "DELETE", `${nsBase()}/n1`)).status).toBe(200);
    const other = await call(emu, "GET", nsBase("other"));
    expect(other.status).toBe(404);
    expect(codes(other)).toEqual([7063]);
  });
});

describe("permissions", () => {
  it("writes need Auto Rag Write; reads accept Auto Rag Read", async () => {
    const reader = await mintUserToken(emu, [G.autoRagRead]);
    await call(emu, "POST", base(), { body: { id: "p" } });
    expect((await call(emu, "GET", `${base()}/p`, { token: reader.value })).status).toBe(200);
    const w = await call(emu, "DELETE", `${base()}/p`, { token: reader.value });
    expect(w.status).toBe(403);
    expect(codes(w)).toEqual([9109]);
    const writer = await mintUserToken(emu, [G.autoRagWrite]);
    expect((await call(emu, "DELETE", `${base()}/p`, { token: writer.value })).status).toBe(200);
  });
});

describe("timestamps", () => {
  it("can use the space style of the docs' examples (aiSearchTimestampStyle)", async () => {
    emu.configure({ aiSearchTimestampStyle: "space" });
    const r = await call(emu, "POST", base(), { body: { id: "ts" } });
    expect(r.json.result.created_at).toMatch(/^2026-03-01 \d\d:\d\d:\d\d$/);
  });
});

describe("the account's AI Search token (instances created without token_id)", () => {
  const stateOf = (id: string) => emu.state().instances.find((i) => i.id === id)!;

  it("on an account with no registered token, a create of any type without token_id is 7012 (accountTokenRequiredFor)", async () => {
    emu.reset();
    const bodies = {
      r2: { id: "r", type: "r2", source: "b" },
      web: { id: "w", type: "web-crawler", source: "example.com" },
      managed: { id: "m" },
    };
    for (const body of Object.values(bodies)) {
      const r = await call(emu, "POST", base(), { body });
      expect(r.status).toBe(400);
      expect(codes(r)).toEqual([7012]);
    }
    // The newer page's reading: only R2 sources need the token.
    emu.configure({ accountTokenRequiredFor: "r2" });
    expect(codes(await call(emu, "POST", base(), { body: bodies.r2 }))).toEqual([7012]);
    expect((await call(emu, "POST", base(), { body: bodies.web })).status).toBe(200);
    expect((await call(emu, "POST", base(), { body: bodies.managed })).status).toBe(200);
    emu.configure({ accountTokenRequiredFor: "none" });
    expect((await call(emu, "POST", base(), { body: bodies.r2 })).status).toBe(200);
    // Created with no token to rely on: nothing to lose later.
    expect(stateOf("r").token).toBeNull();
  });

  it("a create without token_id relies on the account's token; the state tells explicit from implicit users", async () => {
    const named = await registerServiceToken(emu, "named");
    await call(emu, "POST", base(), {
      body: { id: "exp", type: "r2", source: "b", token_id: named.aiSearchTokenId },
    });
    await call(emu, "POST", base(), { body: { id: "imp", type: "web-crawler", source: "example.com" } });
    // The newest registration is the account's token.
    expect(stateOf("imp").token).toEqual({ id: named.aiSearchTokenId, how: "implicit" });
    expect(stateOf("exp").token).toEqual({ id: named.aiSearchTokenId, how: "explicit" });
    const tok = emu.state().aiSearchTokens.find((t) => t.id === named.aiSearchTokenId)!;
    expect(tok.used_by).toEqual(["exp"]);
    expect(tok.relied_on_implicitly_by).toEqual(["imp"]);
  });

  it("deleting the token implicit users rely on is allowed; they then read status error and degraded stats", async () => {
    const t = (await registerServiceToken(emu, "only")).aiSearchTokenId;
    await call(emu, "POST", base(), { body: { id: "docs", type: "r2", source: "docs-bucket" } });
    const healthy = await call(emu, "GET", `${base()}/docs/stats`);
    expect(healthy.json.result).not.toHaveProperty("degraded");
    expect(healthy.json.result.index_source_errors).toEqual({});
    expect((await call(emu, "GET", `${base()}/docs`)).json.result.status).toBe("waiting");

    // Every registration goes, the one the beforeEach made too.
    for (const r of emu.state().aiSearchTokens) {
      expect((await call(emu, "DELETE", `/accounts/${emu.accountId}/ai-search/tokens/${r.id}`)).status).toBe(
        200,
      );
    }
    expect(stateOf("docs").token_problem).toBe("ai_search_token_deleted");
    expect((await call(emu, "GET", `${base()}/docs`)).json.result.status).toBe("error");
    expect((await call(emu, "GET", base())).json.result[0].status).toBe("error");
    const stats = (await call(emu, "GET", `${nsBase()}/docs/stats`)).json.result;
    expect(stats.degraded).toBe(true);
    expect(stats.index_source_errors).toEqual({
      "docs-bucket": expect.stringMatching(/token .*was deleted/),
    });

    // Pointing it at a new registration explicitly gives it its access back.
    const fresh = await registerServiceToken(emu, "fresh");
    await call(emu, "PUT", `${base()}/docs`, { body: { token_id: fresh.aiSearchTokenId } });
    expect((await call(emu, "GET", `${base()}/docs`)).json.result.status).toBe("waiting");
    expect((await call(emu, "GET", `${base()}/docs/stats`)).json.result).not.toHaveProperty("degraded");
    expect(t).not.toBe(fresh.aiSearchTokenId);
  });

  it("explicit users always block the token's deletion with 7076; implicit ones only with implicitTokenDeletion refuse", async () => {
    const only = emu.state().aiSearchTokens[0]!.id;
    const del = () => call(emu, "DELETE", `/accounts/${emu.accountId}/ai-search/tokens/${only}`);
    await call(emu, "POST", base(), { body: { id: "exp", token_id: only } });
    expect(codes(await del())).toEqual([7076]);
    await call(emu, "DELETE", `${base()}/exp`);

    emu.configure({ implicitTokenDeletion: "refuse", instanceTeardownMs: 1000 });
    await call(emu, "POST", base(), { body: { id: "imp" } });
    const refused = await del();
    expect(refused.status).toBe(409);
    expect(codes(refused)).toEqual([7076]);
    // Its teardown holds the token like a named one's does.
    await call(emu, "DELETE", `${base()}/imp`);
    expect(codes(await del())).toEqual([7076]);
    clock.advance(1001);
    expect((await del()).status).toBe(200);
  });

  it("revoking the API token behind the account's token degrades the instances relying on it", async () => {
    const s = await registerServiceToken(emu, "newest");
    await call(emu, "POST", base(), { body: { id: "w", type: "web-crawler", source: "example.com" } });
    expect((await call(emu, "DELETE", `/user/tokens/${s.apiTokenId}`)).status).toBe(200);
    expect((await call(emu, "GET", `${base()}/w`)).json.result.status).toBe("error");
    const stats = (await call(emu, "GET", `${base()}/w/stats`)).json.result;
    expect(stats.degraded).toBe(true);
    expect(stats.index_source_errors["https://example.com"]).toMatch(/no longer works \(api_token_missing\)/);
  });
});

describe("sync jobs", () => {
  it("7021 for an unknown job, 7046 to cancel an ended one, 400 for another action or an unknown field", async () => {
    // A job that has ended at once (jobDurationMs 0) of an instance with a data source (built-in
    // storage has no jobs).
    emu.configure({ jobDurationMs: 0 });
    await call(emu, "POST", base(), { body: { id: "docs", type: "r2", source: "docs-bucket" } });
    const job = (await call(emu, "POST", `${base()}/docs/jobs`)).json.result;
    const missing = await call(emu, "GET", `${base()}/docs/jobs/nope`);
    expect(missing.status).toBe(404);
    expect(codes(missing)).toEqual([7021]);
    const cancel = await call(emu, "PATCH", `${nsBase()}/docs/jobs/${job.id}`, {
      body: { action: "cancel" },
    });
    expect(codes(cancel)).toEqual([7046]);
    const pause = await call(emu, "PATCH", `${nsBase()}/docs/jobs/${job.id}`, { body: { action: "pause" } });
    expect(pause.json.errors[0].path).toEqual(["action"]);
    clock.advance(30_000);
    const extra = await call(emu, "POST", `${base()}/docs/jobs`, { body: { force: true } });
    expect(extra.status).toBe(400);
    expect(codes(await call(emu, "GET", `${base()}/nope/jobs`))).toEqual([7002]);
  });

  it("a job of an instance whose token is gone ends with an error saying so, whatever jobOutcome; stats stay degraded", async () => {
    emu.configure({ jobDurationMs: 0, jobItemCount: 2, jobOutcome: "success" });
    await call(emu, "POST", base(), { body: { id: "site", type: "web-crawler", source: "example.com" } });
    const only = emu.state().aiSearchTokens[0]!.id;
    await call(emu, "DELETE", `/accounts/${emu.accountId}/ai-search/tokens/${only}`);
    const job = (await call(emu, "POST", `${base()}/site/jobs`)).json.result;
    expect(job.end_reason).toMatch(/^error: the AI Search token this instance relies on was deleted/);
    const logs = (await call(emu, "GET", `${base()}/site/jobs/${job.id}/logs`)).json.result;
    expect(logs.at(-1)).toMatchObject({ message: `Sync job failed: ${job.end_reason}`, message_type: 2 });
    // The job's counts and the lost source together.
    const stats = (await call(emu, "GET", `${base()}/site/stats`)).json.result;
    expect(stats).toMatchObject({ completed: 0, error: 2, degraded: true });
    expect(stats.index_source_errors).toEqual({
      "https://example.com": expect.stringMatching(/was deleted/),
    });
    expect(stats.file_embed_errors).toEqual({ "item-001.md": job.end_reason, "item-002.md": job.end_reason });
  });

  it("a job of an instance with a working token follows jobOutcome", async () => {
    emu.configure({ jobDurationMs: 0 });
    await call(emu, "POST", base(), { body: { id: "site", type: "web-crawler", source: "example.com" } });
    const job = (await call(emu, "POST", `${base()}/site/jobs`)).json.result;
    expect(job.end_reason).toBe("completed");
    expect((await call(emu, "GET", `${base()}/site/stats`)).json.result).not.toHaveProperty("degraded");
  });
});
