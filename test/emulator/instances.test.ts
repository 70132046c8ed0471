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
beforeEach(() => emu.reset());

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

  it("an R2 instance without token_id on an account with no AI Search token is 7012 (switchable)", async () => {
    const r = await call(emu, "POST", base(), { body: { id: "r", type: "r2", source: "b" } });
    expect(codes(r)).toEqual([7012]);
    emu.configure({ requireTokenIdForFirstR2: false });
    expect((await call(emu, "POST", base(), { body: { id: "r", type: "r2", source: "b" } })).status).toBe(
      200,
    );
  });

  it("with normaliseWebCrawlerSource, stores a web-crawler source in URL form; an r2 bucket as sent", async () => {
    const web = { id: "web", type: "web-crawler", source: "Example.com" };
    expect((await call(emu, "POST", base(), { body: web })).json.result.source).toBe("Example.com");
    emu.reset();
    emu.configure({ normaliseWebCrawlerSource: true });
    expect((await call(emu, "POST", base(), { body: web })).json.result.source).toBe("https://example.com/");
    expect((await call(emu, "GET", `${base()}/web`)).json.result.source).toBe("https://example.com/");
    const put = await call(emu, "PUT", `${base()}/web`, { body: { source: "example.com/docs" } });
    expect(put.json.result.source).toBe("https://example.com/docs");
    emu.configure({ requireTokenIdForFirstR2: false });
    const r2 = await call(emu, "POST", base(), { body: { id: "r", type: "r2", source: "bucket" } });
    expect(r2.json.result.source).toBe("bucket");
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
    expect(l.json.result_info).toEqual({ page: 1, per_page: 2, count: 2, total_count: 3, total_pages: 2 });
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
        public_endpoint_params: { enabled: true, default_domain_enabled: false, authorized_hosts: ["a.com"] },
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
    expect(r.json.result).toMatchObject({ id: "d", type: "web-crawler", source: "example.com" });
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
