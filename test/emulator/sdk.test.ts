// The official `cloudflare` SDK (v7) pointed at the emulator works for every endpoint the
// emulator implements, and maps its errors to the SDK's error classes.
import Cloudflare from "cloudflare";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { call, G, mintUserToken, registerServiceToken } from "./helpers";

let emu: EmulatorHandle;
let cf: Cloudflare;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  cf = new Cloudflare({ apiToken: emu.apiToken, baseURL: emu.url, maxRetries: 0 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const policy = (groups: string[]) => ({
  effect: "allow" as const,
  resources: { [`com.cloudflare.api.account.${emu.accountId}`]: "*" },
  permission_groups: groups.map((id) => ({ id })),
});

async function collect<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iter) out.push(x);
  return out;
}

describe("user tokens", () => {
  it("create, get, list, update, roll, verify, permission groups, delete", async () => {
    const created = await cf.user.tokens.create({ name: "svc", policies: [policy([G.aiSearchIndexEngine])] });
    expect(created.value).toMatch(/^cfut_/);
    const id = created.id!;
    const got = await cf.user.tokens.get(id);
    expect(got.name).toBe("svc");
    const listed = await collect(cf.user.tokens.list({ per_page: 1 }));
    expect(listed.map((t) => t.id)).toEqual([emu.bootstrapTokenId, id]);
    const updated = await cf.user.tokens.update(id, {
      name: "svc2",
      policies: [policy([G.aiSearchIndexEngine])],
    });
    expect(updated.name).toBe("svc2");
    const rolled = await cf.user.tokens.value.update(id);
    expect(rolled).toMatch(/^cfut_/);
    const asNew = new Cloudflare({ apiToken: rolled, baseURL: emu.url, maxRetries: 0 });
    expect(await asNew.user.tokens.verify()).toEqual({ id, status: "active" });
    const groups = await collect(cf.user.tokens.permissionGroups.list({ name: "AI Search Index Engine" }));
    expect(groups.map((g) => g.id)).toEqual([G.aiSearchIndexEngine]);
    const scoped = await collect(cf.user.tokens.permissionGroups.list({ scope: "com.cloudflare.api.user" }));
    expect(scoped.map((g) => g.id)).toEqual([G.apiTokensWrite]);
    expect(await cf.user.tokens.delete(id)).toEqual({ id });
    await expect(cf.user.tokens.get(id)).rejects.toBeInstanceOf(Cloudflare.NotFoundError);
  });

  it("verify with an account token fails with 1000 (AuthenticationError)", async () => {
    const a = await cf.accounts.tokens.create({
      account_id: emu.accountId,
      name: "acct",
      policies: [policy([G.aiSearchIndexEngine])],
    });
    const asAccount = new Cloudflare({ apiToken: a.value!, baseURL: emu.url, maxRetries: 0 });
    const err = await asAccount.user.tokens.verify().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Cloudflare.AuthenticationError);
    expect((err as InstanceType<typeof Cloudflare.AuthenticationError>).errors).toEqual([
      { code: 1000, message: "Invalid API Token" },
    ]);
    expect(await asAccount.accounts.tokens.verify({ account_id: emu.accountId })).toMatchObject({
      id: a.id,
      status: "active",
    });
  });

  it("missing permission is PermissionDeniedError (403 9109)", async () => {
    const t = await cf.user.tokens.create({ name: "weak", policies: [policy([G.aiSearchIndexEngine])] });
    const weak = new Cloudflare({ apiToken: t.value!, baseURL: emu.url, maxRetries: 0 });
    await expect(
      weak.user.tokens.create({ name: "x", policies: [policy([G.r2StorageRead])] }),
    ).rejects.toBeInstanceOf(Cloudflare.PermissionDeniedError);
  });
});

describe("account tokens", () => {
  it("create, get, list, update, roll, verify, permission groups, delete", async () => {
    const account_id = emu.accountId;
    const created = await cf.accounts.tokens.create({
      account_id,
      name: "svc",
      policies: [policy([G.aiSearchIndexEngine])],
    });
    expect(created.value).toMatch(/^cfat_/);
    const id = created.id!;
    expect((await cf.accounts.tokens.get(id, { account_id })).name).toBe("svc");
    expect((await collect(cf.accounts.tokens.list({ account_id }))).map((t) => t.id)).toEqual([id]);
    const up = await cf.accounts.tokens.update(id, {
      account_id,
      name: "svc2",
      policies: [policy([G.aiSearchIndexEngine])],
    });
    expect(up.name).toBe("svc2");
    expect(await cf.accounts.tokens.value.update(id, { account_id })).toMatch(/^cfat_/);
    const groups = await collect(
      cf.accounts.tokens.permissionGroups.list({ account_id, scope: "com.cloudflare.api.account" }),
    );
    expect(groups.map((g) => g.id)).toContain(G.aiSearchIndexEngine);
    expect(groups.map((g) => g.id)).not.toContain(G.apiTokensWrite);
    expect(await cf.accounts.tokens.delete(id, { account_id })).toEqual({ id });
  });
});

describe("AI Search tokens and instances", () => {
  it("the three-call flow, then every instance method, then teardown in order", async () => {
    const account_id = emu.accountId;
    const apiToken = await cf.user.tokens.create({
      name: "svc",
      policies: [policy([G.aiSearchIndexEngine])],
    });
    const reg = await cf.aiSearch.tokens.create({
      account_id,
      cf_api_id: apiToken.id!,
      cf_api_key: apiToken.value!,
      name: "AI Search Service Token",
      legacy: false,
    });
    expect(reg).toMatchObject({ cf_api_id: apiToken.id, name: "AI Search Service Token", legacy: false });
    expect(reg).not.toHaveProperty("cf_api_key");
    expect((await cf.aiSearch.tokens.read(reg.id, { account_id })).id).toBe(reg.id);
    const tokens = await collect(cf.aiSearch.tokens.list({ account_id, search: "service" }));
    expect(tokens.map((t) => t.id)).toEqual([reg.id]);
    const upd = await cf.aiSearch.tokens.update(reg.id, {
      account_id,
      cf_api_id: apiToken.id!,
      cf_api_key: apiToken.value!,
      name: "renamed",
      legacy: false,
    });
    expect(upd.name).toBe("renamed");

    const inst = await cf.aiSearch.instances.create({
      account_id,
      id: "my-r2-rag",
      type: "r2",
      source: "bucket",
      token_id: reg.id,
    });
    expect(inst).toMatchObject({ id: "my-r2-rag", status: "waiting", namespace: "default" });
    expect((await cf.aiSearch.instances.read("my-r2-rag", { account_id })).source).toBe("bucket");
    const list = await collect(cf.aiSearch.instances.list({ account_id, search: "r2" }));
    expect(list.map((i) => i.id)).toEqual(["my-r2-rag"]);
    const u = await cf.aiSearch.instances.update("my-r2-rag", { account_id, max_num_results: 7 });
    expect(u.max_num_results).toBe(7);
    expect(await cf.aiSearch.instances.stats("my-r2-rag", { account_id })).toMatchObject({ completed: 0 });
    const job = await cf.aiSearch.instances.jobs.create("my-r2-rag", { account_id, description: "sync" });
    expect(job).toMatchObject({ source: "user", description: "sync" });
    expect(
      (await collect(cf.aiSearch.instances.jobs.list("my-r2-rag", { account_id }))).map((j) => j.id),
    ).toEqual([job.id]);
    expect((await cf.aiSearch.instances.jobs.get(job.id, { account_id, id: "my-r2-rag" })).id).toBe(job.id);
    const cooldown = await cf.aiSearch.instances.jobs
      .create("my-r2-rag", { account_id })
      .catch((e: unknown) => e);
    expect(cooldown).toBeInstanceOf(Cloudflare.RateLimitError);

    const inUse = await cf.aiSearch.tokens.delete(reg.id, { account_id }).catch((e: unknown) => e);
    expect(inUse).toBeInstanceOf(Cloudflare.ConflictError);
    expect((inUse as InstanceType<typeof Cloudflare.ConflictError>).errors[0]).toMatchObject({ code: 7076 });

    expect((await cf.aiSearch.instances.delete("my-r2-rag", { account_id })).id).toBe("my-r2-rag");
    await cf.aiSearch.tokens.delete(reg.id, { account_id });
    await cf.user.tokens.delete(apiToken.id!);
    const state = emu.state();
    expect(state.instances).toEqual([]);
    expect(state.aiSearchTokens).toEqual([]);
    expect(state.apiTokens.map((t) => t.bootstrap)).toEqual([true]);
  });

  it("maps AI Search error codes onto SDK error classes", async () => {
    const account_id = emu.accountId;
    const e7002 = await cf.aiSearch.instances.read("nope", { account_id }).catch((e: unknown) => e);
    expect(e7002).toBeInstanceOf(Cloudflare.NotFoundError);
    const e7075 = await cf.aiSearch.tokens.read("nope", { account_id }).catch((e: unknown) => e);
    expect(e7075).toBeInstanceOf(Cloudflare.NotFoundError);
    const e7012 = await cf.aiSearch.tokens
      .create({ account_id, cf_api_id: "x", cf_api_key: "y", name: "z", legacy: false })
      .catch((e: unknown) => e);
    expect(e7012).toBeInstanceOf(Cloudflare.BadRequestError);
    expect((e7012 as InstanceType<typeof Cloudflare.BadRequestError>).errors).toEqual([
      { code: 7012, message: "ai_search_instance_invalid_token" },
    ]);
    const bad = new Cloudflare({ apiToken: "cfut_bad", baseURL: emu.url, maxRetries: 0 });
    await expect(bad.aiSearch.instances.list({ account_id })).rejects.toBeInstanceOf(
      Cloudflare.AuthenticationError,
    );
  });

  it("namespaced instance routes", async () => {
    const account_id = emu.accountId;
    await registerServiceToken(emu);
    await cf.aiSearch.namespaces.instances.create("default", { account_id, id: "ns-inst" });
    const read = await cf.aiSearch.namespaces.instances.read("ns-inst", { account_id, name: "default" });
    expect(read.id).toBe("ns-inst");
    await cf.aiSearch.namespaces.instances.delete("ns-inst", { account_id, name: "default" });
    const namespaces = await collect(cf.aiSearch.namespaces.list({ account_id }));
    expect(namespaces.map((n) => n.name)).toEqual(["default"]);
    expect((await cf.aiSearch.namespaces.read("default", { account_id })).name).toBe("default");
    expect(emu.state().instances).toEqual([]);
  });
});

describe("the account's AI Search token, seen through the SDK", () => {
  it("a create without token_id on an account with no registered token is a BadRequestError 7012", async () => {
    const account_id = emu.accountId;
    for (const body of [{ id: "r", type: "r2" as const, source: "b" }, { id: "m" }]) {
      const err = await cf.aiSearch.namespaces.instances
        .create("default", { account_id, ...body })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Cloudflare.BadRequestError);
      expect((err as InstanceType<typeof Cloudflare.BadRequestError>).errors).toEqual([
        { code: 7012, message: "ai_search_instance_invalid_token" },
      ]);
    }
    expect(emu.state().instances).toEqual([]);
  });

  it("deleting the token an instance relies on implicitly succeeds; status and stats then show the loss", async () => {
    const account_id = emu.accountId;
    const { aiSearchTokenId } = await registerServiceToken(emu);
    await cf.aiSearch.instances.create({ account_id, id: "docs", type: "r2", source: "docs-bucket" });
    expect(await cf.aiSearch.instances.stats("docs", { account_id })).toMatchObject({
      index_source_errors: {},
    });
    await cf.aiSearch.tokens.delete(aiSearchTokenId, { account_id });
    expect((await cf.aiSearch.instances.read("docs", { account_id })).status).toBe("error");
    const stats = await cf.aiSearch.namespaces.instances.stats("docs", { account_id, name: "default" });
    expect(stats.degraded).toBe(true);
    expect(Object.keys(stats.index_source_errors ?? {})).toEqual(["docs-bucket"]);
  });

  it("with implicitTokenDeletion refuse the delete is a ConflictError 7076", async () => {
    const account_id = emu.accountId;
    emu.configure({ implicitTokenDeletion: "refuse" });
    const { aiSearchTokenId } = await registerServiceToken(emu);
    await cf.aiSearch.instances.create({ account_id, id: "m" });
    const err = await cf.aiSearch.tokens.delete(aiSearchTokenId, { account_id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Cloudflare.ConflictError);
    expect((err as InstanceType<typeof Cloudflare.ConflictError>).errors[0]).toMatchObject({ code: 7076 });
  });
});

describe("AI Search namespaces, instances in them and sync jobs through the SDK", () => {
  it("namespaces: create, read, list, update, delete; default is 7065 and a taken name 7064", async () => {
    const account_id = emu.accountId;
    await registerServiceToken(emu); // "inside" relies on the account's token
    const created = await cf.aiSearch.namespaces.create({
      account_id,
      name: "production",
      description: "prod",
    });
    expect(created).toMatchObject({ name: "production", description: "prod" });
    expect(created.created_at).toEqual(expect.any(String));
    expect((await cf.aiSearch.namespaces.read("production", { account_id })).description).toBe("prod");
    const all = await collect(cf.aiSearch.namespaces.list({ account_id, per_page: 1 }));
    expect(all.map((n) => n.name)).toEqual(["default", "production"]);
    const updated = await cf.aiSearch.namespaces.update("production", {
      account_id,
      description: "production",
      public_endpoint_params: { enabled: true },
    });
    expect(updated).toMatchObject({ description: "production", public_endpoint_params: { enabled: true } });

    const taken = await cf.aiSearch.namespaces
      .create({ account_id, name: "production" })
      .catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(Cloudflare.ConflictError);
    expect((taken as InstanceType<typeof Cloudflare.ConflictError>).errors[0]).toMatchObject({ code: 7064 });
    const fixed = await cf.aiSearch.namespaces.delete("default", { account_id }).catch((e: unknown) => e);
    expect(fixed).toBeInstanceOf(Cloudflare.BadRequestError);
    expect((fixed as InstanceType<typeof Cloudflare.BadRequestError>).errors[0]).toMatchObject({
      code: 7065,
    });

    await cf.aiSearch.namespaces.instances.create("production", { account_id, id: "inside" });
    const notEmpty = await cf.aiSearch.namespaces
      .delete("production", { account_id })
      .catch((e: unknown) => e);
    expect(notEmpty).toBeInstanceOf(Cloudflare.ConflictError);
    expect((notEmpty as InstanceType<typeof Cloudflare.ConflictError>).errors[0]).toMatchObject({
      code: 7066,
    });
    await cf.aiSearch.namespaces.instances.delete("inside", { account_id, name: "production" });
    await cf.aiSearch.namespaces.delete("production", { account_id });
    const gone = await cf.aiSearch.namespaces.read("production", { account_id }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(Cloudflare.NotFoundError);
    expect((gone as InstanceType<typeof Cloudflare.NotFoundError>).errors[0]).toMatchObject({ code: 7063 });
  });

  it("instances in a namespace: create, read, list, update, stats, delete", async () => {
    const account_id = emu.accountId;
    await registerServiceToken(emu); // "kb" relies on the account's token
    await cf.aiSearch.namespaces.create({ account_id, name: "blue" });
    const made = await cf.aiSearch.namespaces.instances.create("blue", { account_id, id: "kb" });
    expect(made).toMatchObject({ id: "kb", namespace: "blue" });
    expect((await cf.aiSearch.namespaces.instances.read("kb", { account_id, name: "blue" })).namespace).toBe(
      "blue",
    );
    const listed = await collect(cf.aiSearch.namespaces.instances.list("blue", { account_id }));
    expect(listed.map((i) => i.id)).toEqual(["kb"]);
    expect(await collect(cf.aiSearch.instances.list({ account_id }))).toEqual([]);
    const u = await cf.aiSearch.namespaces.instances.update("kb", {
      account_id,
      name: "blue",
      max_num_results: 9,
    });
    expect(u.max_num_results).toBe(9);
    expect(await cf.aiSearch.namespaces.instances.stats("kb", { account_id, name: "blue" })).toMatchObject({
      completed: 0,
      error: 0,
    });
    expect((await cf.aiSearch.namespaces.instances.delete("kb", { account_id, name: "blue" })).id).toBe("kb");
    await expect(
      cf.aiSearch.namespaces.instances.read("kb", { account_id, name: "blue" }),
    ).rejects.toBeInstanceOf(Cloudflare.NotFoundError);
  });

  it("jobs: create, list, get, logs, cancel; the cooldown is a RateLimitError (7020)", async () => {
    const account_id = emu.accountId;
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    const reg = await cf.aiSearch.tokens.create({
      account_id,
      cf_api_id: t.id,
      cf_api_key: t.value,
      name: "svc",
      legacy: false,
    });
    await cf.aiSearch.namespaces.create({ account_id, name: "blue" });
    await cf.aiSearch.namespaces.instances.create("blue", {
      account_id,
      id: "kb",
      type: "r2",
      source: "bucket",
      token_id: reg.id,
    });
    await cf.aiSearch.instances.create({
      account_id,
      id: "plain",
      type: "r2",
      source: "bucket",
      token_id: reg.id,
    });

    // Account-level jobs: a job without duration has ended when it is created.
    emu.configure({ jobDurationMs: 0, jobItemCount: 2 });
    const done = await cf.aiSearch.instances.jobs.create("plain", { account_id, description: "ci" });
    expect(done).toMatchObject({ source: "user", description: "ci", end_reason: "completed" });
    expect(
      (await collect(cf.aiSearch.instances.jobs.list("plain", { account_id }))).map((j) => j.id),
    ).toEqual([done.id]);
    expect((await cf.aiSearch.instances.jobs.get(done.id, { account_id, id: "plain" })).ended_at).toEqual(
      expect.any(String),
    );
    const logs = await cf.aiSearch.instances.jobs.logs(done.id, { account_id, id: "plain" });
    expect(logs.map((l) => l.message)).toEqual([
      "Sync job started (user)",
      "Indexed item-001.md",
      "Indexed item-002.md",
      "Sync job completed: 2 items indexed",
    ]);
    expect(await cf.aiSearch.instances.stats("plain", { account_id })).toMatchObject({ completed: 2 });
    const cooling = await cf.aiSearch.instances.jobs.create("plain", { account_id }).catch((e: unknown) => e);
    expect(cooling).toBeInstanceOf(Cloudflare.RateLimitError);
    expect((cooling as InstanceType<typeof Cloudflare.RateLimitError>).errors[0]).toMatchObject({
      code: 7020,
    });

    // Namespaced jobs: a long job is running until cancelled.
    emu.configure({ jobDurationMs: 3_600_000 });
    const running = await cf.aiSearch.namespaces.instances.jobs.create("kb", { account_id, name: "blue" });
    expect(running).not.toHaveProperty("ended_at");
    const listed = await collect(
      cf.aiSearch.namespaces.instances.jobs.list("kb", { account_id, name: "blue" }),
    );
    expect(listed.map((j) => j.id)).toEqual([running.id]);
    expect(
      (await cf.aiSearch.namespaces.instances.jobs.get(running.id, { account_id, name: "blue", id: "kb" }))
        .id,
    ).toBe(running.id);
    const nsLogs = await cf.aiSearch.namespaces.instances.jobs.logs(running.id, {
      account_id,
      name: "blue",
      id: "kb",
      per_page: 1,
    });
    expect(nsLogs).toEqual([expect.objectContaining({ id: 1, message: "Sync job started (user)" })]);
    const cancelled = await cf.aiSearch.namespaces.instances.jobs.update(running.id, {
      account_id,
      name: "blue",
      id: "kb",
      action: "cancel",
    });
    expect(cancelled).toMatchObject({ id: running.id, end_reason: "cancelled" });
    const twice = await cf.aiSearch.namespaces.instances.jobs
      .update(running.id, { account_id, name: "blue", id: "kb", action: "cancel" })
      .catch((e: unknown) => e);
    expect(twice).toBeInstanceOf(Cloudflare.BadRequestError);
    expect((twice as InstanceType<typeof Cloudflare.BadRequestError>).errors[0]).toMatchObject({
      code: 7046,
    });
    const unknown = await cf.aiSearch.namespaces.instances.jobs
      .get("nope", { account_id, name: "blue", id: "kb" })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Cloudflare.NotFoundError);
    expect((unknown as InstanceType<typeof Cloudflare.NotFoundError>).errors[0]).toMatchObject({
      code: 7021,
    });
  });
});

describe("the emulator's strict defaults, seen through the SDK", () => {
  /** Registers `n` AI Search tokens (svc-0 …) for one API token. */
  async function registerMany(n: number): Promise<void> {
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    for (let i = 0; i < n; i++) {
      const r = await call(emu, "POST", `/accounts/${emu.accountId}/ai-search/tokens`, {
        body: { cf_api_id: t.id, cf_api_key: t.value, name: `svc-${i}`, legacy: false },
      });
      expect(r.status).toBe(201);
    }
  }

  it("the SDK's iterator still reads every item across capped pages", async () => {
    await registerMany(45);
    const names: string[] = [];
    for await (const t of cf.aiSearch.tokens.list({ account_id: emu.accountId, per_page: 50 }))
      names.push(t.name);
    expect(names).toHaveLength(45);
    expect(new Set(names).size).toBe(45);
  });

  it("a registration without legacy is legacy: per-token GET and DELETE are 401 (SDK: AuthenticationError)", async () => {
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    const reg = await cf.aiSearch.tokens.create({
      account_id: emu.accountId,
      cf_api_id: t.id,
      cf_api_key: t.value,
      name: "dashboard-made",
    });
    expect(reg.legacy).toBe(true);
    const account_id = emu.accountId;
    await expect(cf.aiSearch.tokens.read(reg.id, { account_id })).rejects.toBeInstanceOf(
      Cloudflare.AuthenticationError,
    );
    await expect(cf.aiSearch.tokens.delete(reg.id, { account_id })).rejects.toBeInstanceOf(
      Cloudflare.AuthenticationError,
    );
    emu.configure({ refuseLegacyTokenRoutes: false });
    expect((await cf.aiSearch.tokens.read(reg.id, { account_id })).legacy).toBe(true);
    await cf.aiSearch.tokens.delete(reg.id, { account_id });
    expect(emu.state().aiSearchTokens).toEqual([]);
  });
});

describe("SDK 7.3 instance fields and the namespace public endpoint, through the SDK", () => {
  it("use_ocr, boost_by exists / not_exists, a type inferred from the source, vector and keyword by default", async () => {
    const account_id = emu.accountId;
    await registerServiceToken(emu);
    const made = await cf.aiSearch.namespaces.instances.create("default", {
      account_id,
      id: "fields",
      source: "https://example.com/docs",
      indexing_options: { use_ocr: true, keyword_tokenizer: "trigram" },
      custom_metadata: [{ field_name: "lang", data_type: "text" }],
      retrieval_options: {
        boost_by: [
          { field: "lang", direction: "exists" },
          { field: "timestamp", direction: "not_exists" },
        ],
      },
    });
    expect(made).toMatchObject({
      type: "web-crawler",
      indexing_options: { use_ocr: true, keyword_tokenizer: "trigram" },
      index_method: { vector: true, keyword: true },
      hybrid_search_enabled: true,
    });
    const read = await cf.aiSearch.namespaces.instances.read("fields", { account_id, name: "default" });
    expect(read.retrieval_options?.boost_by).toEqual([
      { field: "lang", direction: "exists" },
      { field: "timestamp", direction: "not_exists" },
    ]);
    const reserved = await cf.aiSearch.namespaces.instances
      .update("fields", {
        account_id,
        name: "default",
        custom_metadata: [{ field_name: "folder", data_type: "text" }],
      })
      .catch((e: unknown) => e);
    expect(reserved).toBeInstanceOf(Cloudflare.BadRequestError);
  });

  it("a namespace endpoint: public_endpoint_id, instances_allowed, custom domains kept when omitted (null echo), 7091", async () => {
    const account_id = emu.accountId;
    await registerServiceToken(emu);
    const fixed = await cf.aiSearch.namespaces.read("default", { account_id });
    expect(fixed.created_at).toBeNull();
    const created = await cf.aiSearch.namespaces.create({
      account_id,
      name: "multi",
      public_endpoint_params: { enabled: true, custom_domains: ["ns.example.com"] },
    });
    expect(created.public_endpoint_id).toMatch(/^[0-9a-f]{32}$/);
    expect(created.public_endpoint_params?.custom_domains).toEqual(["ns.example.com"]);
    await cf.aiSearch.namespaces.instances.create("multi", { account_id, id: "kb" });
    const updated = await cf.aiSearch.namespaces.update("multi", {
      account_id,
      public_endpoint_params: { enabled: true, instances_allowed: ["kb"] },
    });
    expect(updated.public_endpoint_params).toMatchObject({ instances_allowed: ["kb"], custom_domains: null });
    const read = await cf.aiSearch.namespaces.read("multi", { account_id });
    expect(read.public_endpoint_params?.custom_domains).toEqual(["ns.example.com"]);
    expect(read.public_endpoint_id).toBe(created.public_endpoint_id);

    const inUse = await cf.aiSearch.namespaces.instances
      .create("default", {
        account_id,
        id: "taker",
        public_endpoint_params: { enabled: true, custom_domains: ["ns.example.com"] },
      })
      .catch((e: unknown) => e);
    expect(inUse).toBeInstanceOf(Cloudflare.BadRequestError);
    expect((inUse as InstanceType<typeof Cloudflare.BadRequestError>).errors[0]).toMatchObject({
      code: 7091,
    });
  });
});
