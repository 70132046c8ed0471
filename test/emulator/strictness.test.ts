// The real API's harder behaviours, on by default, and the switches that turn each off: capped
// pages without `total_pages` on AI Search lists, 401 on legacy registrations, server defaults and
// normal forms of instance settings, write-only settings, and request bodies checked against the
// emulator's own definitions (from the reference, not from the client). Raw HTTP and the SDK.
/* eslint-disable @typescript-eslint/no-unsafe-member-access -- raw JSON answers */
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

const tokens = () => `/accounts/${emu.accountId}/ai-search/tokens`;
const instances = () => `/accounts/${emu.accountId}/ai-search/instances`;

/** Registers `n` AI Search tokens for one API token (registration does not check uniqueness). */
async function registerMany(n: number): Promise<void> {
  const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
  for (let i = 0; i < n; i++) {
    const r = await call(emu, "POST", tokens(), {
      body: { cf_api_id: t.id, cf_api_key: t.value, name: `svc-${i}`, legacy: false },
    });
    expect(r.status).toBe(201);
  }
}

describe("paging", () => {
  it("caps a page at 20 whatever per_page asks, and says so in result_info (pageSizeCap)", async () => {
    await registerMany(25);
    const first = await call(emu, "GET", `${tokens()}?per_page=100`);
    expect(first.json.result).toHaveLength(20);
    expect(first.json.result_info).toEqual({ page: 1, per_page: 20, count: 20, total_count: 25 });
    const second = await call(emu, "GET", `${tokens()}?page=2&per_page=100`);
    expect(second.json.result_info).toEqual({ page: 2, per_page: 20, count: 5, total_count: 25 });
    emu.configure({ pageSizeCap: 100 });
    expect((await call(emu, "GET", `${tokens()}?per_page=100`)).json.result).toHaveLength(25);
  });

  it("AI Search lists have no total_pages unless aiSearchTotalPages; API token lists have it", async () => {
    await registerServiceToken(emu);
    await call(emu, "POST", instances(), { body: { id: "one" } });
    for (const path of [tokens(), instances()]) {
      expect((await call(emu, "GET", path)).json.result_info).not.toHaveProperty("total_pages");
    }
    expect((await call(emu, "GET", "/user/tokens")).json.result_info).toHaveProperty("total_pages", 1);
    emu.configure({ aiSearchTotalPages: true });
    expect((await call(emu, "GET", tokens())).json.result_info).toHaveProperty("total_pages", 1);
  });

  it("the AI Search token list takes page 1-100, as documented", async () => {
    expect((await call(emu, "GET", `${tokens()}?page=100`)).status).toBe(200);
    const past = await call(emu, "GET", `${tokens()}?page=101`);
    expect(past.status).toBe(400);
    expect(past.json.errors[0]).toMatchObject({ code: 1001, path: ["page"] });
  });
});

describe("instance settings", () => {
  // Creates without token_id rely on the account's AI Search token: register one first.
  beforeEach(() => registerServiceToken(emu));
  it("a create fills in the server's defaults (fillInstanceDefaults)", async () => {
    const r = await call(emu, "POST", instances(), {
      body: { id: "web", type: "web-crawler", source: "https://example.com", max_num_results: 5 },
    });
    expect(r.status).toBe(200);
    expect(r.json.result).toMatchObject({
      max_num_results: 5,
      chunk_size: 256,
      chunk_overlap: 10,
      score_threshold: 0.4,
      reranking: false,
      rewrite_query: false,
      fusion_method: "rrf",
      cache: true,
      cache_threshold: "close_enough",
      cache_ttl: 172800,
      sync_interval: 21600,
      paused: false,
      // SDK 7.3: vector and keyword by default, and the deprecated hybrid_search_enabled true.
      index_method: { vector: true, keyword: true },
      hybrid_search_enabled: true,
      source_params: {
        web_crawler: {
          parse_type: "sitemap",
          parse_options: { include_images: false, use_browser_rendering: true },
        },
      },
    });
    const r2 = await registerServiceToken(emu);
    const bucket = await cf.aiSearch.instances.create({
      account_id: emu.accountId,
      id: "r2",
      type: "r2",
      source: "bucket",
      token_id: r2.aiSearchTokenId,
    });
    expect(bucket.source_params).toEqual({ r2_jurisdiction: "default" });
    expect(bucket.max_num_results).toBe(10);

    emu.configure({ fillInstanceDefaults: false });
    const bare = await call(emu, "POST", instances(), { body: { id: "bare" } });
    expect(bare.json.result).not.toHaveProperty("chunk_size");
    expect(bare.json.result).not.toHaveProperty("max_num_results");
  });

  it("a PUT keeps defaults and replaces public_endpoint_params whole (default_domain_enabled back to true)", async () => {
    await call(emu, "POST", instances(), {
      body: {
        id: "p",
        public_endpoint_params: {
          enabled: true,
          default_domain_enabled: false,
          custom_domains: ["search.example.com"],
        },
      },
    });
    const u = await cf.aiSearch.instances.update("p", {
      account_id: emu.accountId,
      public_endpoint_params: { enabled: true, authorized_hosts: ["a.example"] },
    });
    // custom_domains is echoed on PUT only when sent (null here), and stays bound (SDK 7.3).
    expect(u.public_endpoint_params).toEqual({
      enabled: true,
      authorized_hosts: ["a.example"],
      default_domain_enabled: true,
      custom_domains: null,
    });
    expect(u.chunk_size).toBe(256);
    const read = await cf.aiSearch.instances.read("p", { account_id: emu.accountId });
    expect(read.public_endpoint_params?.custom_domains).toEqual(["search.example.com"]);
  });

  it("keeps a web-crawler domain as the URL it crawls and empty model names as null (normaliseInstanceValues)", async () => {
    const r = await call(emu, "POST", instances(), {
      body: { id: "w", type: "web-crawler", source: "Docs.Example.com", embedding_model: "" },
    });
    expect(r.json.result).toMatchObject({ source: "https://docs.example.com", embedding_model: null });
    const url = await call(emu, "PUT", `${instances()}/w`, { body: { source: "https://Other.example/x" } });
    expect(url.json.result.source).toBe("https://Other.example/x");
    emu.configure({ normaliseInstanceValues: false });
    const asSent = await call(emu, "POST", instances(), {
      body: { id: "v", type: "web-crawler", source: "Docs.Example.com" },
    });
    expect(asSent.json.result.source).toBe("Docs.Example.com");
  });

  it("never returns write-only settings or token_id unless switched on", async () => {
    const s = await registerServiceToken(emu);
    const body = {
      id: "wo",
      type: "r2",
      source: "bucket",
      token_id: s.aiSearchTokenId,
      system_prompt_ai_search: "Be brief.",
      summarization: true,
    };
    const r = await call(emu, "POST", instances(), { body });
    for (const key of ["system_prompt_ai_search", "summarization", "chunk", "token_id"]) {
      expect(r.json.result).not.toHaveProperty(key);
    }
    expect(emu.state().instances[0]!.settings).toMatchObject({
      system_prompt_ai_search: "Be brief.",
      summarization: true,
    });
    emu.configure({ echoWriteOnlyInstanceFields: true, echoTokenIdOnRead: true });
    expect((await call(emu, "GET", `${instances()}/wo`)).json.result).toMatchObject({
      system_prompt_ai_search: "Be brief.",
      summarization: true,
      chunk: true,
      token_id: s.aiSearchTokenId,
    });
  });
});

describe("request bodies, checked against the reference", () => {
  // Creates without token_id rely on the account's AI Search token: register one first.
  beforeEach(() => registerServiceToken(emu));
  it("refuses unknown instance fields, id/type in a PUT, null token_id and cache_ttl values outside the set", async () => {
    const unknown = await call(emu, "POST", instances(), { body: { id: "x", chunksize: 512 } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors[0]).toMatchObject({ code: 1001 });
    expect(unknown.json.errors[0].message).toMatch(/chunksize/);
    await call(emu, "POST", instances(), { body: { id: "y" } });
    const immutable = await cf.aiSearch.instances
      // @ts-expect-error -- the SDK's update params have no `type`: the server refuses it too
      .update("y", { account_id: emu.accountId, type: "r2" })
      .catch((e: unknown) => e);
    expect(immutable).toBeInstanceOf(Cloudflare.BadRequestError);
    const nullToken = await call(emu, "PUT", `${instances()}/y`, { body: { token_id: null } });
    expect(nullToken.json.errors[0]).toMatchObject({ path: ["token_id"] });
    const ttl = await call(emu, "PUT", `${instances()}/y`, { body: { cache_ttl: 14400 } });
    expect(ttl.json.errors[0]).toMatchObject({ path: ["cache_ttl"] });
  });

  it("an API token create takes no status; its update does", async () => {
    const policies = [
      {
        effect: "allow",
        resources: { [`com.cloudflare.api.account.${emu.accountId}`]: "*" },
        permission_groups: [{ id: G.aiSearchIndexEngine }],
      },
    ];
    const created = await call(emu, "POST", "/user/tokens", {
      body: { name: "n", policies, status: "disabled" },
    });
    expect(created.status).toBe(400);
    expect(created.json.errors[0]).toMatchObject({ code: 1001 });
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    const updated = await call(emu, "PUT", `/user/tokens/${t.id}`, {
      body: { name: "n", policies, status: "disabled" },
    });
    expect(updated.json.result.status).toBe("disabled");
  });
});
