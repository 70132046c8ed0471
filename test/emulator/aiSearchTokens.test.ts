// Contract of /accounts/{id}/ai-search/tokens over raw HTTP: registration and its 7012 cases,
// the propagation switches, legacy tokens, paging and search, 7075, 7076 and the teardown window.
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

const tokens = () => `/accounts/${emu.accountId}/ai-search/tokens`;
const instances = () => `/accounts/${emu.accountId}/ai-search/instances`;
const codes = (r: { json: { errors: { code: number }[] } }) => r.json.errors.map((e) => e.code);

describe("register (create)", () => {
  it("answers 201 with the token object, never cf_api_key", async () => {
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    const r = await call(emu, "POST", tokens(), {
      body: { cf_api_id: t.id, cf_api_key: t.value, name: "AI Search Service Token", legacy: false },
    });
    expect(r.status).toBe(201);
    expect(r.json.success).toBe(true);
    expect(r.json.result).toMatchObject({
      name: "AI Search Service Token",
      cf_api_id: t.id,
      enabled: true,
      legacy: false,
    });
    expect(r.json.result.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.json.result.created_at).toBe("2026-03-01T12:00:00Z");
    expect(r.json.result).not.toHaveProperty("cf_api_key");
    expect(r.text).not.toContain(t.value);
    for (const a of [
      await call(emu, "GET", `${tokens()}/${r.json.result.id}`),
      await call(emu, "GET", tokens()),
      await call(emu, "PUT", `${tokens()}/${r.json.result.id}`, {
        body: { cf_api_id: t.id, cf_api_key: t.value, name: "n", legacy: false },
      }),
      await call(emu, "DELETE", `${tokens()}/${r.json.result.id}`),
    ]) {
      expect(a.status).toBe(200);
      expect(a.text).not.toContain("cf_api_key");
      expect(a.text).not.toContain(t.value);
    }
  });

  it("refuses with 7012 a wrong key, an unknown token, an inactive one, or one without Index Engine", async () => {
    const good = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    const r2only = await mintUserToken(emu, [G.r2StorageWrite]);
    const disabled = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    emu.setTokenStatus(disabled.id, "disabled");
    const cases = [
      { cf_api_id: good.id, cf_api_key: "cfut_wrong" },
      { cf_api_id: "0".repeat(32), cf_api_key: good.value },
      { cf_api_id: disabled.id, cf_api_key: disabled.value },
      { cf_api_id: r2only.id, cf_api_key: r2only.value },
    ];
    for (const c of cases) {
      const r = await call(emu, "POST", tokens(), { body: { ...c, name: "x", legacy: false } });
      expect(r.status).toBe(400);
      expect(r.json).toEqual({
        success: false,
        errors: [{ code: 7012, message: "ai_search_instance_invalid_token" }],
        result: {},
      });
    }
    expect(emu.state().aiSearchTokens).toEqual([]);
  });

  it("accepts an account-owned token", async () => {
    const a = await call(emu, "POST", `/accounts/${emu.accountId}/tokens`, {
      body: {
        name: "svc",
        policies: [
          {
            effect: "allow",
            resources: { [`com.cloudflare.api.account.${emu.accountId}`]: "*" },
            permission_groups: [{ id: G.aiSearchIndexEngine }],
          },
        ],
      },
    });
    const r = await call(emu, "POST", tokens(), {
      body: { cf_api_id: a.json.result.id, cf_api_key: a.json.result.value, name: "x", legacy: false },
    });
    expect(r.status).toBe(201);
  });

  it("validates the body: all three fields required, unknown fields refused, with paths", async () => {
    const r = await call(emu, "POST", tokens(), { body: { cf_api_id: "a", legacy: "no", extra: 1 } });
    expect(r.status).toBe(400);
    expect(r.json.result).toEqual({});
    const paths = r.json.errors.map((e: { path: unknown[] }) => e.path);
    expect(paths).toEqual(expect.arrayContaining([["cf_api_key"], ["name"], ["legacy"]]));
    expect(r.json.errors.every((e: { code: number }) => e.code === 1001)).toBe(true);
  });

  it("propagationFailures: the first N registrations with a fresh token fail with 7012, then it works", async () => {
    emu.configure({ propagationFailures: 2 });
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    const body = { cf_api_id: t.id, cf_api_key: t.value, name: "x", legacy: false };
    expect(codes(await call(emu, "POST", tokens(), { body }))).toEqual([7012]);
    expect(codes(await call(emu, "POST", tokens(), { body }))).toEqual([7012]);
    const ok = await call(emu, "POST", tokens(), { body });
    expect(ok.status).toBe(201);
    // The token has propagated: a further registration succeeds at once.
    expect((await call(emu, "POST", tokens(), { body })).status).toBe(201);
    // Rolling makes it fresh again.
    const rolled = await call(emu, "PUT", `/user/tokens/${t.id}/value`, { body: {} });
    const after = { ...body, cf_api_key: rolled.json.result };
    expect(codes(await call(emu, "PUT", `${tokens()}/${ok.json.result.id}`, { body: after }))).toEqual([
      7012,
    ]);
    expect(codes(await call(emu, "PUT", `${tokens()}/${ok.json.result.id}`, { body: after }))).toEqual([
      7012,
    ]);
    expect((await call(emu, "PUT", `${tokens()}/${ok.json.result.id}`, { body: after })).status).toBe(200);
  });

  it("propagationMs: registrations fail with 7012 until the window after minting has passed", async () => {
    emu.configure({ propagationMs: 5000 });
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    const body = { cf_api_id: t.id, cf_api_key: t.value, name: "x", legacy: false };
    expect(codes(await call(emu, "POST", tokens(), { body }))).toEqual([7012]);
    clock.advance(4999);
    expect(codes(await call(emu, "POST", tokens(), { body }))).toEqual([7012]);
    clock.advance(1);
    expect((await call(emu, "POST", tokens(), { body })).status).toBe(201);
  });

  it("a registration refused for a wrong key does not use up a propagation failure", async () => {
    emu.configure({ propagationFailures: 1 });
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    const wrong = { cf_api_id: t.id, cf_api_key: "bad", name: "x", legacy: false };
    expect(codes(await call(emu, "POST", tokens(), { body: wrong }))).toEqual([7012]);
    const body = { ...wrong, cf_api_key: t.value };
    expect(codes(await call(emu, "POST", tokens(), { body }))).toEqual([7012]);
    expect((await call(emu, "POST", tokens(), { body })).status).toBe(201);
  });
});

describe("legacy", () => {
  it("defaults to true when omitted; per-id GET and DELETE then answer 401, PUT works", async () => {
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    const r = await call(emu, "POST", tokens(), {
      body: { cf_api_id: t.id, cf_api_key: t.value, name: "old" },
    });
    expect(r.json.result.legacy).toBe(true);
    const id = r.json.result.id as string;
    for (const method of ["GET", "DELETE"]) {
      const a = await call(emu, method, `${tokens()}/${id}`);
      expect(a.status).toBe(401);
      expect(a.json).toEqual({
        success: false,
        errors: [{ code: 10000, message: "Authentication error" }],
        result: {},
      });
    }
    expect((await call(emu, "GET", tokens())).json.result.map((x: { id: string }) => x.id)).toEqual([id]);
    // A PUT without legacy makes it legacy again (full-body semantics); with legacy:false it is manageable.
    const put = await call(emu, "PUT", `${tokens()}/${id}`, {
      body: { cf_api_id: t.id, cf_api_key: t.value, name: "old", legacy: false },
    });
    expect(put.json.result.legacy).toBe(false);
    expect((await call(emu, "GET", `${tokens()}/${id}`)).status).toBe(200);
  });

  it("the default is switchable (legacyDefault)", async () => {
    emu.configure({ legacyDefault: false });
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    const r = await call(emu, "POST", tokens(), {
      body: { cf_api_id: t.id, cf_api_key: t.value, name: "n" },
    });
    expect(r.json.result.legacy).toBe(false);
  });
});

describe("read, list, update", () => {
  it("7075 for an unknown id on GET, PUT and DELETE", async () => {
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    for (const [method, body] of [
      ["GET", undefined],
      ["PUT", { cf_api_id: t.id, cf_api_key: t.value, name: "n", legacy: false }],
      ["DELETE", undefined],
    ] as const) {
      const r = await call(emu, method, `${tokens()}/62af0db3-c410-40b2-9ee3-0e93f6dd1de0`, { body });
      expect(r.status).toBe(404);
      expect(r.json).toEqual({
        success: false,
        errors: [{ code: 7075, message: "token_not_found" }],
        result: {},
      });
    }
  });

  it("lists with paging and a case-insensitive name search", async () => {
    for (const name of ["Alpha one", "beta", "ALPHA two"]) await registerServiceToken(emu, name);
    const all = await call(emu, "GET", `${tokens()}?per_page=2`);
    expect(all.json.result_info).toEqual({ page: 1, per_page: 2, count: 2, total_count: 3 });
    const found = await call(emu, "GET", `${tokens()}?search=alpha`);
    expect(found.json.result.map((t: { name: string }) => t.name)).toEqual(["Alpha one", "ALPHA two"]);
    const p2 = await call(emu, "GET", `${tokens()}?page=2&per_page=2`);
    expect(p2.json.result.map((t: { name: string }) => t.name)).toEqual(["ALPHA two"]);
    expect((await call(emu, "GET", `${tokens()}?per_page=101`)).status).toBe(400);
  });

  it("PUT needs the full body and re-validates the credential", async () => {
    const s = await registerServiceToken(emu);
    const url = `${tokens()}/${s.aiSearchTokenId}`;
    const missing = await call(emu, "PUT", url, { body: { name: "n", legacy: false } });
    expect(missing.status).toBe(400);
    expect(missing.json.errors.map((e: { path: unknown[] }) => e.path)).toEqual([
      ["cf_api_id"],
      ["cf_api_key"],
    ]);
    const wrong = await call(emu, "PUT", url, {
      body: { cf_api_id: s.apiTokenId, cf_api_key: "nope", name: "n", legacy: false },
    });
    expect(codes(wrong)).toEqual([7012]);
    const ok = await call(emu, "PUT", url, {
      body: { cf_api_id: s.apiTokenId, cf_api_key: s.apiTokenValue, name: "renamed", legacy: false },
    });
    expect(ok.json.result).toMatchObject({ id: s.aiSearchTokenId, name: "renamed" });
  });

  it("reports a credential that broke after registration in the state snapshot", async () => {
    const s = await registerServiceToken(emu);
    expect(emu.state().aiSearchTokens[0]!.credential).toBe("valid");
    await call(emu, "PUT", `/user/tokens/${s.apiTokenId}/value`, { body: {} });
    expect(emu.state().aiSearchTokens[0]!.credential).toBe("key_mismatch");
    await call(emu, "DELETE", `/user/tokens/${s.apiTokenId}`);
    expect(emu.state().aiSearchTokens[0]!.credential).toBe("api_token_missing");
  });
});

describe("delete", () => {
  it("409 7076 while an instance uses the token, and for instanceTeardownMs after it is deleted", async () => {
    emu.configure({ instanceTeardownMs: 60_000 });
    const s = await registerServiceToken(emu);
    await call(emu, "POST", instances(), {
      body: { id: "rag", type: "r2", source: "bucket", token_id: s.aiSearchTokenId },
    });
    const url = `${tokens()}/${s.aiSearchTokenId}`;
    const inUse = await call(emu, "DELETE", url);
    expect(inUse.status).toBe(409);
    expect(inUse.json).toEqual({
      success: false,
      errors: [{ code: 7076, message: "token_in_use_by_instances" }],
      result: {},
    });
    await call(emu, "DELETE", `${instances()}/rag`);
    expect(codes(await call(emu, "DELETE", url))).toEqual([7076]);
    clock.advance(59_999);
    expect(codes(await call(emu, "DELETE", url))).toEqual([7076]);
    clock.advance(1);
    const ok = await call(emu, "DELETE", url);
    expect(ok.status).toBe(200);
    expect(ok.json.result.id).toBe(s.aiSearchTokenId);
    expect(codes(await call(emu, "DELETE", url))).toEqual([7075]);
  });

  it("an instance still tearing down (instanceDeleteMs) holds the token until it is gone, with no instance route called", async () => {
    emu.configure({ instanceDeleteMs: 10_000 });
    const s = await registerServiceToken(emu);
    await call(emu, "POST", instances(), {
      body: { id: "rag", type: "r2", source: "b", token_id: s.aiSearchTokenId },
    });
    await call(emu, "DELETE", `${instances()}/rag`);
    const url = `${tokens()}/${s.aiSearchTokenId}`;
    expect(codes(await call(emu, "DELETE", url))).toEqual([7076]);
    clock.advance(10_000);
    // Only the token's route is called from here on, as a delete polling 7076 does.
    expect((await call(emu, "DELETE", url)).status).toBe(200);
  });

  it("no teardown window by default", async () => {
    const s = await registerServiceToken(emu);
    await call(emu, "POST", instances(), {
      body: { id: "rag", type: "r2", source: "b", token_id: s.aiSearchTokenId },
    });
    await call(emu, "DELETE", `${instances()}/rag`);
    expect((await call(emu, "DELETE", `${tokens()}/${s.aiSearchTokenId}`)).status).toBe(200);
  });
});

describe("permissions", () => {
  it("needs Auto Rag Write; Auto Rag Read may read; bad tokens get 401 10000", async () => {
    const reader = await mintUserToken(emu, [G.autoRagRead]);
    expect((await call(emu, "GET", tokens(), { token: reader.value })).status).toBe(200);
    const w = await call(emu, "POST", tokens(), {
      token: reader.value,
      body: { cf_api_id: reader.id, cf_api_key: reader.value, name: "x", legacy: false },
    });
    expect(w.status).toBe(403);
    expect(w.json).toEqual({
      success: false,
      errors: [{ code: 9109, message: "Unauthorized to access requested resource" }],
      result: {},
    });
    const bad = await call(emu, "GET", tokens(), { token: "cfut_unknown" });
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({
      success: false,
      errors: [{ code: 10000, message: "Authentication error" }],
      result: {},
    });
    expect((await call(emu, "GET", tokens(), { token: null })).json.errors[0].code).toBe(9106);
  });
});
