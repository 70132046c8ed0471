// The admin API under /__emulator: faults, request counts, state, reset, config and out-of-band
// changes, over HTTP and through the handle.
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- raw JSON answers */
import Cloudflare from "cloudflare";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { admin, call, G, mintUserToken, registerServiceToken } from "./helpers";

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const tokensPath = () => `/accounts/${emu.accountId}/ai-search/tokens`;

describe("faults", () => {
  it("POST /faults answers {id}; a status fault fails the next N matching calls with its code", async () => {
    const f = await admin(emu, "POST", "/faults", {
      method: "POST",
      path: "/accounts/*/ai-search/tokens",
      status: 503,
      code: 7017,
      message: "unable_to_connect_to_ai_search",
      times: 2,
    });
    expect(f.status).toBe(201);
    expect(typeof f.json.id).toBe("string");
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    const body = { cf_api_id: t.id, cf_api_key: t.value, name: "x", legacy: false };
    for (let i = 0; i < 2; i++) {
      const r = await call(emu, "POST", tokensPath(), { body });
      expect(r.status).toBe(503);
      expect(r.json).toEqual({
        success: false,
        errors: [{ code: 7017, message: "unable_to_connect_to_ai_search" }],
        result: {},
      });
    }
    // GETs do not match the method; the third POST passes.
    expect((await call(emu, "GET", tokensPath())).status).toBe(200);
    expect((await call(emu, "POST", tokensPath(), { body })).status).toBe(201);
    expect((await admin(emu, "GET", "/faults")).json).toEqual([]);
  });

  it("a 429 fault carries Retry-After; the SDK sees a RateLimitError", async () => {
    emu.addFault({ path: "/user/tokens/verify", status: 429, retryAfterSeconds: 7 });
    const r = await call(emu, "GET", "/user/tokens/verify");
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("7");
    expect(r.json.errors[0].code).toBe(971);
    const cf = new Cloudflare({ apiToken: emu.apiToken, baseURL: emu.url, maxRetries: 0 });
    await expect(cf.user.tokens.verify()).rejects.toBeInstanceOf(Cloudflare.RateLimitError);
  });

  it("drop destroys the connection; phase 'after' lets the call take effect first", async () => {
    emu.addFault({ method: "POST", path: "/user/tokens", drop: true, times: 1 });
    await expect(
      call(emu, "POST", "/user/tokens", {
        body: {
          name: "lost",
          policies: [{ effect: "allow", resources: {}, permission_groups: [{ id: G.r2StorageRead }] }],
        },
      }),
    ).rejects.toThrow();
    expect(emu.state().apiTokens.map((t) => t.name)).toEqual(["Emulator bootstrap token"]);

    emu.addFault({ method: "POST", path: "/user/tokens", drop: true, phase: "after", times: 1 });
    await expect(mintUserToken(emu, [G.aiSearchIndexEngine], "minted-but-lost")).rejects.toThrow();
    expect(emu.state().apiTokens.map((t) => t.name)).toContain("minted-but-lost");

    emu.addFault({ method: "DELETE", path: "/user/tokens/*", status: 500, phase: "after", times: 1 });
    const id = emu.state().apiTokens.find((t) => t.name === "minted-but-lost")!.id;
    const r = await call(emu, "DELETE", `/user/tokens/${id}`);
    expect(r.status).toBe(500);
    expect(r.json.errors[0].code).toBe(7001);
    expect(emu.state().apiTokens.map((t) => t.id)).not.toContain(id);
  });

  it("delayMs alone only slows a call; a delayed call is answered normally", async () => {
    emu.addFault({ path: "/user/tokens/verify", delayMs: 30, times: 1 });
    const r = await call(emu, "GET", "/user/tokens/verify");
    expect(r.status).toBe(200);
  });

  it("probability with a seed is reproducible", async () => {
    const run = async () => {
      emu.clearFaults();
      emu.addFault({ path: "/user/tokens/verify", status: 500, probability: 0.5, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await call(emu, "GET", "/user/tokens/verify")).status);
      return out;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });

  it("DELETE /faults/{id} and DELETE /faults remove faults; bad specs are 400", async () => {
    const one = (await admin(emu, "POST", "/faults", { path: "/user/*", status: 500 })).json.id;
    await admin(emu, "POST", "/faults", { path: "/accounts/*", status: 500 });
    expect((await admin(emu, "DELETE", `/faults/${one}`)).json).toEqual({ deleted: 1 });
    expect((await admin(emu, "DELETE", `/faults/${one}`)).status).toBe(404);
    expect((await call(emu, "GET", "/user/tokens/verify")).status).toBe(200);
    expect((await admin(emu, "DELETE", "/faults")).json).toEqual({ deleted: 1 });
    expect((await admin(emu, "POST", "/faults", { status: 500 })).status).toBe(400);
    expect((await admin(emu, "POST", "/faults", { path: "/x", status: 200 })).status).toBe(400);
    expect((await admin(emu, "POST", "/faults", { path: "/x", bogus: true })).status).toBe(400);
  });
});

describe("request counts", () => {
  it("counts calls per route template, plus a total and unmatched calls", async () => {
    const s = await registerServiceToken(emu);
    await call(emu, "GET", `${tokensPath()}/${s.aiSearchTokenId}`);
    await call(emu, "GET", "/nowhere");
    const counts = (await admin(emu, "GET", "/requests")).json;
    expect(counts).toEqual({
      total: 4,
      "POST /user/tokens": 1,
      "POST /accounts/:account_id/ai-search/tokens": 1,
      "GET /accounts/:account_id/ai-search/tokens/:id": 1,
      unmatched: 1,
    });
    expect(emu.requestCounts()).toEqual(counts);
    await admin(emu, "DELETE", "/requests");
    expect(emu.requestCounts()).toEqual({ total: 0 });
  });
});

describe("state and reset", () => {
  it("GET /state shows tokens, registrations and instances, and no secret", async () => {
    const s = await registerServiceToken(emu);
    await call(emu, "POST", `/accounts/${emu.accountId}/ai-search/instances`, {
      body: { id: "r", type: "r2", source: "b", token_id: s.aiSearchTokenId },
    });
    const st = await admin(emu, "GET", "/state");
    expect(st.status).toBe(200);
    expect(st.json.accountId).toBe(emu.accountId);
    const minted = st.json.apiTokens.find((t: { id: string }) => t.id === s.apiTokenId);
    expect(minted).toMatchObject({
      name: "svc",
      status: "active",
      bootstrap: false,
      owner: { type: "user" },
    });
    expect(st.json.aiSearchTokens[0]).toMatchObject({
      id: s.aiSearchTokenId,
      legacy: false,
      credential: "valid",
      used_by: ["r"],
    });
    expect(st.json.instances[0]).toMatchObject({ id: "r", token_id: s.aiSearchTokenId });
    expect(st.text).not.toContain(s.apiTokenValue);
    expect(st.text).not.toContain(emu.apiToken);
  });

  it("POST /reset empties everything but the bootstrap token, restored to its secret", async () => {
    await registerServiceToken(emu);
    await call(emu, "PUT", `/user/tokens/${emu.bootstrapTokenId}/value`, { body: {} });
    emu.addFault({ path: "/x", status: 500 });
    emu.configure({ echoTokenIdOnRead: true });
    expect((await admin(emu, "POST", "/reset")).status).toBe(200);
    const st = emu.state();
    expect(st.apiTokens.map((t) => t.bootstrap)).toEqual([true]);
    expect(st.aiSearchTokens).toEqual([]);
    expect(st.instances).toEqual([]);
    expect((await admin(emu, "GET", "/faults")).json).toEqual([]);
    expect(emu.requestCounts()).toEqual({ total: 0 });
    expect(emu.behaviour().echoTokenIdOnRead).toBe(false);
    expect((await call(emu, "GET", "/user/tokens/verify")).status).toBe(200);

    emu.configure({ echoTokenIdOnRead: true });
    await admin(emu, "POST", "/reset", { keepConfig: true });
    expect(emu.behaviour().echoTokenIdOnRead).toBe(true);
  });
});

describe("config", () => {
  it("GET and PUT /config change the switches at runtime; bad values are 400", async () => {
    const before = (await admin(emu, "GET", "/config")).json;
    expect(before).toEqual({
      propagationFailures: 0,
      propagationMs: 0,
      instanceTeardownMs: 0,
      instanceDeleteMs: 0,
      echoTokenIdOnRead: false,
      legacyDefault: true,
      aiSearchTokenCreateStatus: 201,
      aiSearchTimestampStyle: "rfc3339",
      accountTokenRequiredFor: "every-instance",
      implicitTokenDeletion: "allow",
      pageSizeCap: 20,
      aiSearchTotalPages: false,
      refuseLegacyTokenRoutes: true,
      retireAccountLevelInstanceRoutes: false,
      fillInstanceDefaults: true,
      normaliseInstanceValues: true,
      echoWriteOnlyInstanceFields: false,
      latencyMs: 0,
      rateLimit: { enabled: true, quota: 1200, windowSeconds: 300 },
      maxNamespaces: 100,
      jobDurationMs: 2000,
      jobOutcome: "success",
      jobErrorReason: "error: the data source could not be read",
      jobItemCount: 10,
      syncCooldownMs: 30000,
      separatePublicEndpointPuts: "enforce",
      foreignCustomDomains: [],
    });
    const after = await admin(emu, "PUT", "/config", { propagationFailures: 3, rateLimit: { quota: 10 } });
    expect(after.json).toMatchObject({
      propagationFailures: 3,
      rateLimit: { enabled: true, quota: 10, windowSeconds: 300 },
    });
    expect((await call(emu, "GET", "/user/tokens/verify")).headers.get("ratelimit-policy")).toBe(
      '"burst";q=10;w=300',
    );
    expect((await admin(emu, "PUT", "/config", { propagationFailures: -1 })).status).toBe(400);
    expect((await admin(emu, "PUT", "/config", { nonsense: 1 })).status).toBe(400);
    expect((await admin(emu, "PUT", "/config", { pageSizeCap: 101 })).status).toBe(400);
    expect((await admin(emu, "PUT", "/config", { accountTokenRequiredFor: "always" })).status).toBe(400);
    // The older boolean still configures: false is "none", true is "r2".
    expect(
      (await admin(emu, "PUT", "/config", { requireTokenIdForFirstR2: false })).json.accountTokenRequiredFor,
    ).toBe("none");
    expect(
      (await admin(emu, "PUT", "/config", { requireTokenIdForFirstR2: true })).json.accountTokenRequiredFor,
    ).toBe("r2");
    expect((await admin(emu, "PUT", "/config", { jobOutcome: "maybe" })).status).toBe(400);
    expect(
      (await admin(emu, "PUT", "/config", { aiSearchTokenCreateStatus: 200, propagationFailures: 0 })).json
        .aiSearchTokenCreateStatus,
    ).toBe(200);
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    const r = await call(emu, "POST", tokensPath(), {
      body: { cf_api_id: t.id, cf_api_key: t.value, name: "n", legacy: false },
    });
    expect(r.status).toBe(200);
  });
});

describe("out-of-band changes", () => {
  it("PATCH /tokens/{id} sets a status; DELETE removes tokens, registrations and instances", async () => {
    const s = await registerServiceToken(emu);
    await call(emu, "POST", `/accounts/${emu.accountId}/ai-search/instances`, {
      body: { id: "oob", type: "r2", source: "b", token_id: s.aiSearchTokenId },
    });
    for (const status of ["disabled", "expired", "revoked", "active"]) {
      const r = await admin(emu, "PATCH", `/tokens/${s.apiTokenId}`, { status });
      expect(r.status).toBe(200);
    }
    expect((await admin(emu, "PATCH", `/tokens/${s.apiTokenId}`, { status: "gone" })).status).toBe(400);
    expect((await admin(emu, "PATCH", "/tokens/nope", { status: "disabled" })).status).toBe(404);

    expect((await admin(emu, "DELETE", "/ai-search/instances/oob")).json).toEqual({ deleted: 1 });
    expect((await admin(emu, "DELETE", `/ai-search/tokens/${s.aiSearchTokenId}`)).json).toEqual({
      deleted: 1,
    });
    expect((await admin(emu, "DELETE", `/tokens/${s.apiTokenId}`)).json).toEqual({ deleted: 1 });
    const st = emu.state();
    expect(st.instances).toEqual([]);
    expect(st.aiSearchTokens).toEqual([]);
    expect(st.apiTokens.map((t) => t.bootstrap)).toEqual([true]);
  });

  it("namespaces: delete one (with its instances) or an instance in it out of band; start a scheduled job", async () => {
    const nsBase = `/accounts/${emu.accountId}/ai-search/namespaces`;
    await registerServiceToken(emu); // the instances rely on the account's token
    await call(emu, "POST", nsBase, { body: { name: "blue" } });
    for (const id of ["a", "b"]) {
      await call(emu, "POST", `${nsBase}/blue/instances`, {
        body: { id, type: "web-crawler", source: "example.com" },
      });
    }
    emu.configure({ jobDurationMs: 0 });
    const started = await admin(emu, "POST", "/ai-search/namespaces/blue/instances/a/jobs", {
      description: "nightly",
    });
    expect(started.status).toBe(201);
    const job = (await call(emu, "GET", `${nsBase}/blue/instances/a/jobs/${started.json.id}`)).json.result;
    expect(job).toMatchObject({ source: "schedule", description: "nightly", end_reason: "completed" });
    // A scheduled sync does not start the manual-sync cooldown.
    expect((await call(emu, "POST", `${nsBase}/blue/instances/a/jobs`)).status).toBe(200);
    expect((await admin(emu, "POST", "/ai-search/namespaces/blue/instances/nope/jobs")).status).toBe(404);

    expect((await admin(emu, "DELETE", "/ai-search/namespaces/blue/instances/b")).json).toEqual({
      deleted: 1,
    });
    expect(emu.state().instances.map((i) => i.id)).toEqual(["a"]);
    expect((await admin(emu, "DELETE", "/ai-search/namespaces/default")).status).toBe(400);
    expect((await admin(emu, "DELETE", "/ai-search/namespaces/blue")).json).toEqual({ deleted: 1 });
    expect((await admin(emu, "DELETE", "/ai-search/namespaces/blue")).status).toBe(404);
    const st = emu.state();
    expect(st.namespaces.map((n) => n.name)).toEqual(["default"]);
    expect(st.instances).toEqual([]);
    expect(st.jobs).toEqual([]);
  });

  it("deleting an instance out of band starts the teardown of the token it relied on implicitly only with implicitTokenDeletion refuse", async () => {
    const nsBase = `/accounts/${emu.accountId}/ai-search/namespaces`;
    const s = await registerServiceToken(emu);
    await call(emu, "POST", nsBase, { body: { name: "blue" } });
    const deleteToken = () => call(emu, "DELETE", `${tokensPath()}/${s.aiSearchTokenId}`);
    emu.configure({ instanceTeardownMs: 3_600_000, implicitTokenDeletion: "allow" });
    await call(emu, "POST", `${nsBase}/blue/instances`, { body: { id: "implicit" } });
    await admin(emu, "DELETE", "/ai-search/namespaces/blue/instances/implicit");
    expect(emu.state().teardowns).toEqual([]);

    emu.configure({ implicitTokenDeletion: "refuse" });
    await call(emu, "POST", `${nsBase}/blue/instances`, { body: { id: "implicit" } });
    await admin(emu, "DELETE", "/ai-search/namespaces/blue/instances/implicit");
    expect(emu.state().teardowns.map((t) => t.aiSearchTokenId)).toEqual([s.aiSearchTokenId]);
    const refused = await deleteToken();
    expect(refused.status).toBe(409);
    expect(refused.json.errors[0].code).toBe(7076);
  });

  it("GET /info tells the base URLs and the bootstrap credential; unknown admin routes are 404", async () => {
    const info = (await admin(emu, "GET", "/info")).json;
    expect(info).toMatchObject({
      url: emu.url,
      adminUrl: emu.adminUrl,
      port: emu.port,
      accountId: emu.accountId,
      apiToken: emu.apiToken,
      bootstrapTokenId: emu.bootstrapTokenId,
    });
    expect((await admin(emu, "GET", "/nope")).status).toBe(404);
    expect((await admin(emu, "GET", "/health")).json).toEqual({ ok: true });
  });

  it("the admin API is not under /client/v4", async () => {
    expect((await call(emu, "GET", "/__emulator/state")).status).toBe(404);
  });
});
