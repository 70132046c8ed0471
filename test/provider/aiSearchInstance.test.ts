// AiSearchInstance's provider methods end to end against the emulator: the lifecycle, every
// replacement, nested updates, refresh without diff, out-of-band deletion, and a service token
// with several instances created and destroyed in graph order with nothing left behind.
import type { AiSearchInstanceInputs, AiSearchInstanceOutputs } from "../../provider/aiSearchInstance/args";
import * as provider from "../../provider/aiSearchInstance/provider";
import type { ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as tokens from "../../provider/serviceApiToken/provider";
import { cfCall, useEmulator } from "../support/emulatorContext";

// With the account-level instance routes retired (404, 7003 + 7000), as Cloudflare will one day:
// every call of the lifecycle goes through the namespaced routes, `default` included.
const t = useEmulator({ retireAccountLevelInstanceRoutes: true });

const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: true };

function checked(news: Record<string, unknown>): AiSearchInstanceInputs {
  const result = provider.check({ accountId: t.emu.accountId, ...news });
  expect(result.failures).toEqual([]);
  return result.inputs as AiSearchInstanceInputs;
}

async function serviceToken(name = "AI Search Service API Token") {
  const inputs = tokens.check({ accountId: t.emu.accountId, name }).inputs as ServiceApiTokenInputs;
  return tokens.create(t.env.ctx, inputs);
}

const r2 = (tokenId: string, extra: Record<string, unknown> = {}) =>
  checked({ instanceId: "docs", type: "r2", source: "docs-bucket", tokenId, ...extra });

/** What the emulator holds for an instance (settings as stored, token_id included). */
const stored = (id: string) => t.emu.state().instances.find((i) => i.id === id);

/** Refresh, then the diff against the same program: must be no change. */
async function expectNoDriftAfterRefresh(outs: AiSearchInstanceOutputs, news: AiSearchInstanceInputs) {
  const refreshed = await provider.read(t.env.ctx, outs.instanceId, outs);
  expect(refreshed.id).toBe(outs.instanceId);
  expect(refreshed.props).toEqual(outs);
  expect(provider.diff(refreshed.props!, news)).toEqual(NO_CHANGE);
  return refreshed;
}

describe("AiSearchInstance against the emulator", () => {
  it("lives a full lifecycle: create, refresh, update, refresh, delete", async () => {
    const token = await serviceToken();
    const news = r2(token.id, { maxNumResults: 20, chunkSize: 512, systemPromptAiSearch: "Be brief." });
    const { id, outs } = await provider.create(t.env.ctx, news);
    expect(id).toBe("docs");
    expect(outs).toMatchObject({
      status: "waiting",
      namespace: "default",
      tokenId: token.id,
      adopted: false,
    });
    expect(outs.publicEndpointId).toMatch(/^[0-9a-f]{32}$/);
    expect(stored("docs")).toMatchObject({
      type: "r2",
      source: "docs-bucket",
      token_id: token.id,
      settings: { max_num_results: 20, chunk_size: 512, system_prompt_ai_search: "Be brief." },
    });
    await expectNoDriftAfterRefresh(outs, news);

    const changed = r2(token.id, { maxNumResults: 5, chunkSize: 512, paused: true });
    expect(provider.diff(outs, changed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    const updated = await provider.update(t.env.ctx, id, outs, changed);
    expect(updated).toMatchObject({ maxNumResults: 5, paused: true, tokenId: token.id });
    expect(updated).not.toHaveProperty("systemPromptAiSearch");
    expect(stored("docs")!.settings).toMatchObject({ max_num_results: 5, paused: true, token_id: token.id });
    await expectNoDriftAfterRefresh(updated, changed);

    await provider.remove(t.env.ctx, id, updated);
    expect(t.emu.state().instances).toEqual([]);
    // Idempotent: deleting what is gone is done.
    await provider.remove(t.env.ctx, id, updated);
  });

  const replacements: [string, Record<string, unknown>, Record<string, unknown>, string[]][] = [
    ["instanceId", {}, { instanceId: "docs-v2" }, ["instanceId"]],
    ["source", {}, { source: "other-bucket" }, ["source"]],
    [
      "type (r2 to web-crawler)",
      {},
      // In the form the API stores it (normaliseInstanceValues), so the stored value matches as sent.
      { type: "web-crawler", source: "https://example.com", tokenId: undefined },
      ["type", "source"],
    ],
    [
      "embeddingModel",
      { embeddingModel: "@cf/baai/bge-m3" },
      { embeddingModel: "@cf/qwen/qwen3-embedding-0.6b" },
      ["embeddingModel"],
    ],
  ];

  it.each(replacements)("replaces on a change of %s, deleting first", async (_what, before, after, keys) => {
    const token = await serviceToken();
    const old = await provider.create(t.env.ctx, r2(token.id, before));
    const news = r2(token.id, after);
    expect(provider.diff(old.outs, news)).toEqual({
      changes: true,
      replaces: keys,
      deleteBeforeReplace: true,
    });

    // What the engine does for deleteBeforeReplace: delete the old, then create the new.
    await provider.remove(t.env.ctx, old.id, old.outs);
    const { id, outs } = await provider.create(t.env.ctx, news);
    expect(t.emu.state().instances.map((i) => i.id)).toEqual([id]);
    const expected = { ...before, ...after };
    if (expected.type) expect(stored(id)!.type).toBe(expected.type);
    if (expected.source) expect(stored(id)!.source).toBe(expected.source);
    if (expected.embeddingModel) expect(stored(id)!.settings.embedding_model).toBe(expected.embeddingModel);
    await expectNoDriftAfterRefresh(outs, news);
  });

  it("replaces publicEndpointParams as a whole on update", async () => {
    const token = await serviceToken();
    const first = r2(token.id, {
      publicEndpointParams: {
        enabled: true,
        authorizedHosts: ["a.example.com"],
        customDomains: ["search.example.com"],
        defaultDomainEnabled: false,
        rateLimit: { periodMs: 60000, requests: 100, technique: "fixed" },
      },
    });
    const { outs } = await provider.create(t.env.ctx, first);
    await expectNoDriftAfterRefresh(outs, first);

    const second = r2(token.id, {
      publicEndpointParams: {
        enabled: true,
        mcp: { disabled: true },
        customDomains: ["search.example.com"],
        defaultDomainEnabled: false,
      },
    });
    expect(provider.diff(outs, second).changes).toBe(true);
    const updated = await provider.update(t.env.ctx, "docs", outs, second);
    // The domain did not change: it is left out of the PUT, and the API keeps it bound.
    expect(stored("docs")!.settings.public_endpoint_params).toEqual({
      enabled: true,
      mcp: { disabled: true },
      custom_domains: ["search.example.com"],
      default_domain_enabled: false,
    });
    expect(updated.publicEndpointParams).toEqual({
      enabled: true,
      mcp: { disabled: true },
      customDomains: ["search.example.com"],
      defaultDomainEnabled: false,
    });
    await expectNoDriftAfterRefresh(updated, second);
  });

  it("re-points an instance at a new service token in place, freeing the old one", async () => {
    const oldToken = await serviceToken("old");
    const newToken = await serviceToken("new");
    const { outs } = await provider.create(t.env.ctx, r2(oldToken.id));
    const news = r2(newToken.id);
    expect(provider.diff(outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    const updated = await provider.update(t.env.ctx, "docs", outs, news);
    expect(updated.tokenId).toBe(newToken.id);
    expect(stored("docs")!.token_id).toBe(newToken.id);

    // The old token is no longer in use, so its delete goes through at once.
    await tokens.remove(t.env.ctx, oldToken.id, oldToken.outs);
    expect(t.emu.state().aiSearchTokens.map((t) => t.id)).toEqual([newToken.id]);
    await expectNoDriftAfterRefresh(updated, news);
  });

  it.each([false, true])(
    "shows no diff after refresh whether or not the API echoes token_id (echo %s)",
    async (echo) => {
      t.emu.configure({ echoTokenIdOnRead: echo });
      const token = await serviceToken();
      const news = r2(token.id, {
        sourceParams: { prefix: "docs/", includeItems: ["**/*.md"] },
        customMetadata: [{ fieldName: "lang", dataType: "text" }],
        retrievalOptions: { keywordMatchMode: "or" },
        cache: true,
        cacheTtl: 3600,
        syncInterval: 3600,
      });
      const { outs } = await provider.create(t.env.ctx, news);
      const refreshed = await expectNoDriftAfterRefresh(outs, news);
      expect(refreshed.props!.tokenId).toBe(token.id);
      expect(refreshed.inputs).toEqual(news);
    },
  );

  it("refuses an instance without tokenId while the account has no registered token, creating nothing", async () => {
    const site = checked({ instanceId: "site", type: "web-crawler", source: "example.com" });
    t.emu.resetRequestCounts();
    await expect(provider.create(t.env.ctx, site)).rejects.toThrow(
      /declares no tokenId[\s\S]*ServiceApiToken/,
    );
    expect(
      t.emu.requestCounts()["POST /accounts/:account_id/ai-search/namespaces/:namespace/instances"],
    ).toBeUndefined();
    expect(t.emu.state().instances).toEqual([]);

    // Once the account's token is registered, the instance is created and uses it implicitly.
    await serviceToken();
    await provider.create(t.env.ctx, site);
    expect(stored("site")).toMatchObject({ type: "web-crawler", token_id: null });
  });

  it("removes an instance deleted out of band from state on refresh", async () => {
    const token = await serviceToken();
    const { outs } = await provider.create(
      t.env.ctx,
      checked({ instanceId: "site", type: "web-crawler", source: "example.com", tokenId: token.id }),
    );
    const deleted = await cfCall(
      t.emu,
      "DELETE",
      `/accounts/${t.emu.accountId}/ai-search/namespaces/default/instances/site`,
    );
    expect(deleted.status).toBe(200);
    expect(await provider.read(t.env.ctx, "site", outs)).toEqual({});
    await expect(provider.remove(t.env.ctx, "site", outs)).resolves.toBeUndefined();
  });

  it("shows a setting changed out of band as drift, and the update puts it back", async () => {
    const token = await serviceToken();
    const news = checked({
      instanceId: "site",
      type: "web-crawler",
      source: "example.com",
      tokenId: token.id,
      maxNumResults: 20,
    });
    const { outs } = await provider.create(t.env.ctx, news);
    await cfCall(t.emu, "PUT", `/accounts/${t.emu.accountId}/ai-search/namespaces/default/instances/site`, {
      max_num_results: 3,
    });
    const { props } = await provider.read(t.env.ctx, "site", outs);
    expect(props!.maxNumResults).toBe(3);
    expect(provider.diff(props!, news).changes).toBe(true);
    await provider.update(t.env.ctx, "site", props!, news);
    expect(stored("site")!.settings.max_num_results).toBe(20);
  });

  it("fails on a duplicate id with advice, and adopts it when asked (keeping it on destroy)", async () => {
    const token = await serviceToken();
    await cfCall(t.emu, "POST", `/accounts/${t.emu.accountId}/ai-search/namespaces/default/instances`, {
      id: "docs",
      type: "r2",
      source: "docs-bucket",
      token_id: token.id,
      chunk_size: 1024,
    });
    await expect(provider.create(t.env.ctx, r2(token.id))).rejects.toThrow("adopt: true");

    const news = r2(token.id, { adopt: true, maxNumResults: 7 });
    const { outs } = await provider.create(t.env.ctx, news);
    expect(outs.adopted).toBe(true);
    expect(stored("docs")!.settings).toMatchObject({ chunk_size: 1024, max_num_results: 7 });
    await expectNoDriftAfterRefresh(outs, news);
    await provider.remove(t.env.ctx, "docs", outs);
    expect(t.emu.state().instances.map((i) => i.id)).toEqual(["docs"]);
  });

  it("delete waits until a slowly torn-down instance is gone, so the token's delete goes through at once", async () => {
    t.emu.configure({ instanceDeleteMs: 300 });
    const token = await serviceToken();
    const { id, outs } = await provider.create(t.env.ctx, r2(token.id));
    t.emu.resetRequestCounts();
    await provider.remove(t.env.ctx, id, outs);
    expect(t.emu.state().instances).toEqual([]);
    // It read the instance (as "deleting") at least once more before it was gone.
    expect(
      t.emu.requestCounts()["GET /accounts/:account_id/ai-search/namespaces/:namespace/instances/:id"],
    ).toBeGreaterThan(1);

    t.emu.resetRequestCounts();
    await tokens.remove(t.env.ctx, token.id, token.outs);
    expect(t.emu.requestCounts()["DELETE /accounts/:account_id/ai-search/tokens/:id"]).toBe(1);
    expect(t.emu.state().aiSearchTokens).toEqual([]);
  });

  it("creates a token and several instances, then destroys them in graph order leaving nothing", async () => {
    // Instance teardown keeps the token "in use" (7076) for a while: the token delete waits it out.
    t.emu.configure({ instanceTeardownMs: 150 });
    const token = await serviceToken();
    const programs = [
      r2(token.id, { instanceId: "docs" }),
      r2(token.id, { instanceId: "support", source: "support-bucket", rewriteQuery: true }),
      checked({ instanceId: "site", type: "web-crawler", source: "example.com" }),
      checked({ instanceId: "uploads" }),
    ];
    const created = await Promise.all(programs.map((p) => provider.create(t.env.ctx, p)));
    const state = t.emu.state();
    expect(state.instances.map((i) => i.id).sort()).toEqual(["docs", "site", "support", "uploads"]);
    expect(state.aiSearchTokens[0]!.used_by.sort()).toEqual(["docs", "support"]);
    expect(state.aiSearchTokens[0]!.credential).toBe("valid");

    // Dependents first (in parallel, as the engine does), the token last.
    await Promise.all(created.map((c) => provider.remove(t.env.ctx, c.id, c.outs)));
    t.emu.resetRequestCounts();
    await tokens.remove(t.env.ctx, token.id, token.outs);
    // It met 7076 at least once and waited instead of failing.
    expect(t.emu.requestCounts()["DELETE /accounts/:account_id/ai-search/tokens/:id"]).toBeGreaterThan(1);

    const after = t.emu.state();
    expect(after.instances).toEqual([]);
    expect(after.aiSearchTokens).toEqual([]);
    expect(after.apiTokens.filter((t) => !t.bootstrap)).toEqual([]);
  });
});

describe("AiSearchInstance moved between namespaces in place", () => {
  const where = () => t.emu.state().instances.map((i) => `${i.namespace}/${i.id}`);
  const nsCreate = (name: string) =>
    cfCall(t.emu, "POST", `/accounts/${t.emu.accountId}/ai-search/namespaces`, { name });

  it("moves to a namespace and back to default, keeping the instance (public endpoint id, jobs), with other changes applied", async () => {
    const token = await serviceToken();
    await nsCreate("team");
    const news = r2(token.id, { maxNumResults: 5 });
    const { id, outs } = await provider.create(t.env.ctx, news);

    const toTeam = r2(token.id, { maxNumResults: 9, namespace: "team" });
    expect(provider.diff(outs, toTeam)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    const moved = await provider.update(t.env.ctx, id, outs, toTeam);
    expect(moved).toMatchObject({
      namespace: "team",
      maxNumResults: 9,
      publicEndpointId: outs.publicEndpointId,
    });
    expect(where()).toEqual(["team/docs"]);
    expect(stored("docs")?.settings.max_num_results).toBe(9);
    expect(
      t.emu.requestCounts()["POST /accounts/:account_id/ai-search/namespaces/:namespace/instances"],
    ).toBe(1);
    await expectNoDriftAfterRefresh(moved, toTeam);

    const back = r2(token.id, { maxNumResults: 9, namespace: "default" });
    const home = await provider.update(t.env.ctx, id, moved, back);
    expect(home).toMatchObject({ namespace: "default", publicEndpointId: outs.publicEndpointId });
    expect(where()).toEqual(["default/docs"]);
    await expectNoDriftAfterRefresh(home, back);
    expect(t.env.logs.join("\n")).toContain('moved from namespace "team" to "default"');
  });

  it("a refused move (the target holds that id) names the id, the target and the fix, and changes nothing", async () => {
    const token = await serviceToken();
    await nsCreate("team");
    const { id, outs } = await provider.create(t.env.ctx, r2(token.id));
    await cfCall(t.emu, "POST", `/accounts/${t.emu.accountId}/ai-search/namespaces/team/instances`, {
      id: "docs",
    });
    const err = (await provider
      .update(t.env.ctx, id, outs, r2(token.id, { namespace: "team", maxNumResults: 9 }))
      .catch((e: Error) => e)) as Error;
    expect(err.message).toContain('Cannot move AI Search instance "docs" from namespace "default" to "team"');
    expect(err.message).toContain('already holds an instance with id "docs"');
    expect(err.message).toContain("Nothing was changed");
    expect("properties" in err).toBe(false); // no partial failure: state keeps the old namespace
    expect(where().sort()).toEqual(["default/docs", "team/docs"]);
    expect(stored("docs")?.settings.max_num_results).not.toBe(9);
  });

  it("to a namespace that does not exist: says to create it, and nothing moves", async () => {
    const token = await serviceToken();
    const { id, outs } = await provider.create(t.env.ctx, r2(token.id));
    const err = (await provider
      .update(t.env.ctx, id, outs, r2(token.id, { namespace: "nope" }))
      .catch((e: Error) => e)) as Error;
    expect(err.message).toContain('Create namespace "nope" first');
    expect(where()).toEqual(["default/docs"]);
  });

  it("moved, then the rest of the update failed: a partial failure whose state records the new namespace", async () => {
    const token = await serviceToken();
    await nsCreate("team");
    const { id, outs } = await provider.create(t.env.ctx, r2(token.id));
    t.emu.addFault({
      method: "PUT",
      path: "/accounts/*/ai-search/namespaces/team/instances/*",
      status: 400,
      times: 1,
    });
    const err = (await provider
      .update(t.env.ctx, id, outs, r2(token.id, { namespace: "team", maxNumResults: 9 }))
      .catch((e: Error) => e)) as Error & { properties?: Record<string, unknown> };
    expect(err.message).toContain('was moved to namespace "team"');
    expect(err.properties).toMatchObject({ namespace: "team", publicEndpointId: outs.publicEndpointId });
    expect(where()).toEqual(["team/docs"]);
  });

  it("a move whose answer was lost, run again: found in the target, so it is done", async () => {
    const token = await serviceToken();
    await nsCreate("team");
    const { id, outs } = await provider.create(t.env.ctx, r2(token.id));
    t.emu.addFault({
      method: "PATCH",
      path: "/accounts/*/ai-search/namespaces/default/instances/*",
      drop: true,
      phase: "after",
      times: 1,
    });
    const moved = await provider.update(t.env.ctx, id, outs, r2(token.id, { namespace: "team" }));
    expect(moved.namespace).toBe("team");
    expect(where()).toEqual(["team/docs"]);
  });
});

describe("AiSearchInstance create after an interrupted create", () => {
  it("meets the instance the killed run made (7022), names the recovery, and converges after it", async () => {
    const token = await serviceToken();
    // What `pulumi up` killed after the API created the instance leaves: the instance, no state.
    await provider.create(t.env.ctx, r2(token.id));
    const err: Error = await provider.create(t.env.ctx, r2(token.id)).then(
      () => Promise.reject(new Error("the second create succeeded")),
      (e: Error) => e,
    );
    const path = `/accounts/${t.emu.accountId}/ai-search/namespaces/default/instances/docs`;
    expect(err.message).toContain('"docs" already exists');
    expect(err.message).toContain(`DELETE ${path}`);
    expect(err.message).toContain("pulumi refresh --yes --clear-pending-creates");
    // Not taken over: the instance may be another stack's.
    expect(t.emu.state().instances.map((i) => i.id)).toEqual(["docs"]);

    // The recovery the message names: delete it, wait until it is gone, create again.
    expect((await cfCall(t.emu, "DELETE", path)).status).toBe(200);
    while (stored("docs")) await new Promise((r) => setTimeout(r, 20));
    const { outs } = await provider.create(t.env.ctx, r2(token.id));
    expect(outs.instanceId).toBe("docs");
    expect(t.emu.state().instances.map((i) => i.id)).toEqual(["docs"]);
  });
});
