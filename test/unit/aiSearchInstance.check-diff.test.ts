// check: every bad input rejected with its field named and a reason that says what to do;
// unknowns accepted. diff: which changes replace (delete first), which update in place, which
// are no change at all.
import type { AiSearchInstanceInputs, AiSearchInstanceOutputs } from "../../provider/aiSearchInstance/args";
import * as provider from "../../provider/aiSearchInstance/provider";
import { UNKNOWN } from "../../provider/validation";
import { ACCOUNT_ID } from "../support/mockCloudflare";

const TOKEN = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0";
const good = { accountId: ACCOUNT_ID, instanceId: "docs" };
const r2 = { ...good, type: "r2", source: "docs-bucket", tokenId: TOKEN };

describe("AiSearchInstance check", () => {
  it("applies the defaults and keeps what was given", () => {
    expect(provider.check({ ...good, __provider: "code" })).toEqual({
      inputs: { accountId: ACCOUNT_ID, instanceId: "docs", namespace: "default" },
      failures: [],
    });
    expect(provider.check({ ...r2, maxNumResults: 20 }).inputs).toEqual({
      ...r2,
      namespace: "default",
      maxNumResults: 20,
    });
  });

  it("normalises adopt: true to an object, false to absent", () => {
    expect(provider.check({ ...good, adopt: true }).inputs.adopt).toEqual({ deleteOnDestroy: false });
    expect(provider.check({ ...good, adopt: { deleteOnDestroy: true } }).inputs.adopt).toEqual({
      deleteOnDestroy: true,
    });
    expect(provider.check({ ...good, adopt: false }).inputs).not.toHaveProperty("adopt");
  });

  it("accepts a web crawler and a built-in storage instance without a token", () => {
    expect(provider.check({ ...good, type: "web-crawler", source: "example.com" }).failures).toEqual([]);
    expect(
      provider.check({ ...good, type: "web-crawler", source: "https://example.com/docs" }).failures,
    ).toEqual([]);
    expect(provider.check(good).failures).toEqual([]);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ["missing accountId", { instanceId: "docs" }, "accountId"],
    ["accountId not hex", { ...good, accountId: "my-account" }, "accountId"],
    ["missing instanceId", { accountId: ACCOUNT_ID }, "instanceId"],
    ["instanceId with capitals", { ...good, instanceId: "Docs" }, "instanceId"],
    ["instanceId with a dot", { ...good, instanceId: "docs.v2" }, "instanceId"],
    ["instanceId of 65 characters", { ...good, instanceId: "a".repeat(65) }, "instanceId"],
    ["empty instanceId", { ...good, instanceId: "" }, "instanceId"],
    ["namespace with a space", { ...good, namespace: "my space" }, "namespace"],
    ["type unknown word", { ...good, type: "s3", source: "b" }, "type"],
    ["type without source", { ...good, type: "web-crawler" }, "source"],
    ["source without type that the API cannot infer it from", { ...good, source: "example.com" }, "type"],
    ["r2 without tokenId", { ...r2, tokenId: undefined }, "tokenId"],
    ["r2 source not a bucket name", { ...r2, source: "Docs_Bucket" }, "source"],
    ["web-crawler source not a site", { ...good, type: "web-crawler", source: "not a site" }, "source"],
    ["empty tokenId", { ...r2, tokenId: "" }, "tokenId"],
    ["sourceParams on built-in storage", { ...good, sourceParams: { prefix: "a/" } }, "sourceParams"],
    ["webCrawler params on r2", { ...r2, sourceParams: { webCrawler: {} } }, "sourceParams.webCrawler"],
    [
      "r2Jurisdiction on a crawler",
      { ...good, type: "web-crawler", source: "example.com", sourceParams: { r2Jurisdiction: "eu" } },
      "sourceParams.r2Jurisdiction",
    ],
    [
      "specificSitemaps with discover",
      {
        ...good,
        type: "web-crawler",
        source: "example.com",
        sourceParams: {
          webCrawler: { parseType: "discover", parseOptions: { specificSitemaps: ["https://x.com/s.xml"] } },
        },
      },
      "sourceParams.webCrawler.parseOptions.specificSitemaps",
    ],
    [
      "six crawl headers",
      {
        ...good,
        type: "web-crawler",
        source: "example.com",
        sourceParams: {
          webCrawler: {
            parseOptions: { includeHeaders: { a: "1", b: "2", c: "3", d: "4", e: "5", f: "6" } },
          },
        },
      },
      "sourceParams.webCrawler.parseOptions.includeHeaders",
    ],
    ["chunkSize below 64", { ...good, chunkSize: 32 }, "chunkSize"],
    ["chunkOverlap above 30", { ...good, chunkOverlap: 50 }, "chunkOverlap"],
    ["maxNumResults 0", { ...good, maxNumResults: 0 }, "maxNumResults"],
    ["maxNumResults a string", { ...good, maxNumResults: "10" }, "maxNumResults"],
    ["scoreThreshold above 1", { ...good, scoreThreshold: 1.5 }, "scoreThreshold"],
    ["cacheTtl not in the set", { ...good, cacheTtl: 60 }, "cacheTtl"],
    // 14400 is a sync interval, not a cache TTL: the SDK's instance params leave it out (found by test/unit/sdkRequestTypes).
    ["cacheTtl 14400, which the API does not take", { ...good, cacheTtl: 14400 }, "cacheTtl"],
    ["syncInterval not in the set", { ...good, syncInterval: 600 }, "syncInterval"],
    ["fusionMethod unknown", { ...good, fusionMethod: "avg" }, "fusionMethod"],
    ["cacheThreshold unknown", { ...good, cacheThreshold: "close" }, "cacheThreshold"],
    ["empty embeddingModel", { ...good, embeddingModel: "" }, "embeddingModel"],
    [
      "customMetadata bad dataType",
      { ...good, customMetadata: [{ fieldName: "lang", dataType: "string" }] },
      "customMetadata.0.dataType",
    ],
    [
      "indexingOptions misspelt key",
      { ...good, indexingOptions: { tokenizer: "porter" } },
      "indexingOptions.tokenizer",
    ],
    [
      "publicEndpointParams rate limit technique",
      { ...good, publicEndpointParams: { rateLimit: { technique: "leaky" } } },
      "publicEndpointParams.rateLimit.technique",
    ],
    ["paused not boolean", { ...good, paused: "yes" }, "paused"],
    ["adopt a string", { ...good, adopt: "yes" }, "adopt"],
    ["a snake_case input", { ...good, max_num_results: 5 }, "max_num_results"],
    ["a credential passed as an input", { ...good, apiToken: "secret-here" }, "apiToken"],
  ];

  it.each(bad)("rejects %s, naming %s", (_what, news, property) => {
    const { failures } = provider.check(news);
    expect(failures.map((f) => f.property)).toContain(property);
    const failure = failures.find((f) => f.property === property)!;
    expect(failure.reason.length).toBeGreaterThan(property.length + 10);
    expect(failure.reason).not.toContain("secret-here");
  });

  it("explains the service token and shows the line that fixes a missing tokenId", () => {
    const [failure] = provider.check({ ...r2, tokenId: undefined }).failures;
    expect(failure!.property).toBe("tokenId");
    expect(failure!.reason).toContain("service API token");
    expect(failure!.reason).toContain(
      'const serviceToken = new ServiceApiToken("ai-search-token", { accountId })',
    );
    expect(failure!.reason).toContain("tokenId: serviceToken.id");
  });

  it("reports every failure of the schema at once", () => {
    const { failures } = provider.check({
      accountId: "x",
      instanceId: "Bad Id",
      chunkSize: 1,
      fusionMethod: "avg",
      cacheTtl: 5,
    });
    expect(failures.map((f) => f.property).sort()).toEqual([
      "accountId",
      "cacheTtl",
      "chunkSize",
      "fusionMethod",
      "instanceId",
    ]);
  });

  it("reports every cross-field failure at once", () => {
    const { failures } = provider.check({
      ...good,
      type: "r2",
      source: "Bad_Bucket",
      sourceParams: { webCrawler: {} },
    });
    expect(failures.map((f) => f.property).sort()).toEqual(["source", "sourceParams.webCrawler", "tokenId"]);
  });

  it("accepts values that are unknown during preview, whatever their declared type", () => {
    const { inputs, failures } = provider.check({
      ...good,
      accountId: UNKNOWN,
      type: "r2",
      source: UNKNOWN,
      tokenId: UNKNOWN,
      maxNumResults: UNKNOWN,
      publicEndpointParams: { enabled: UNKNOWN },
    });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ accountId: UNKNOWN, source: UNKNOWN, tokenId: UNKNOWN });
  });

  it("does not ask for a tokenId that is merely unknown, nor judge an unknown type", () => {
    expect(provider.check({ ...r2, tokenId: UNKNOWN }).failures).toEqual([]);
    expect(provider.check({ ...good, type: UNKNOWN, source: "docs-bucket" }).failures).toEqual([]);
  });
});

describe("AiSearchInstance diff", () => {
  const checked = (extra: Record<string, unknown> = {}) => {
    const result = provider.check({ ...r2, ...extra });
    expect(result.failures).toEqual([]);
    return result.inputs as AiSearchInstanceInputs;
  };
  const state = (extra: Record<string, unknown> = {}): AiSearchInstanceOutputs => ({
    ...checked(),
    adopted: false,
    status: "waiting",
    createdAt: "2026-11-29T10:00:00Z",
    modifiedAt: "2026-11-29T10:00:00Z",
    publicEndpointId: "pe1",
    ...extra,
  });
  const NONE = { changes: false, replaces: [] };
  const UPDATE = { changes: true, replaces: [] };
  const replace = (...replaces: string[]) => ({ changes: true, replaces });

  const table: [
    string,
    AiSearchInstanceOutputs,
    AiSearchInstanceInputs,
    { changes: boolean; replaces: string[] },
  ][] = [
    ["nothing changed", state(), checked(), NONE],
    [
      "only the provider code changed",
      { ...state(), __provider: "old" } as AiSearchInstanceOutputs,
      { ...checked(), __provider: "new" } as AiSearchInstanceInputs,
      NONE,
    ],
    [
      "computed outputs differ (status moved on)",
      state({ status: "ready", lastActivity: "x" }),
      checked(),
      NONE,
    ],
    ["null and empty strings in state", state({ aiGatewayId: null, rewriteModel: "" }), checked(), NONE],
    [
      "nested object with keys in another order",
      state({ publicEndpointParams: { mcp: { disabled: true }, enabled: true } }),
      checked({ publicEndpointParams: { enabled: true, mcp: { disabled: true } } }),
      NONE,
    ],
    ["instanceId", state(), checked({ instanceId: "docs-2" }), replace("instanceId")],
    ["accountId", state(), checked({ accountId: "f".repeat(32) }), replace("accountId")],
    // A new namespace is a move in place (PATCH {new_namespace}), not a replacement.
    ["namespace", state(), checked({ namespace: "team-a" }), UPDATE],
    ["namespace back to default", state({ namespace: "team-a" }), checked({ namespace: "default" }), UPDATE],
    ["namespace unknown in preview", state(), { ...checked(), namespace: UNKNOWN }, UPDATE],
    ["namespace absent in an older state", state({ namespace: undefined }), checked(), NONE],
    [
      "namespace and a replace-only field together: the replacement takes both",
      state(),
      checked({ namespace: "team-a", source: "other-bucket" }),
      replace("source"),
    ],
    [
      "type",
      state(),
      checked({ type: "web-crawler", source: "example.com", tokenId: undefined }),
      replace("type", "source"),
    ],
    ["source", state(), checked({ source: "other-bucket" }), replace("source")],
    [
      "type and source removed (to built-in storage)",
      state(),
      checked({ type: undefined, source: undefined, tokenId: undefined }),
      replace("type", "source"),
    ],
    [
      "embeddingModel",
      state({ embeddingModel: "@cf/baai/bge-m3" }),
      checked({ embeddingModel: "@cf/qwen/qwen3-embedding-0.6b" }),
      replace("embeddingModel"),
    ],
    [
      "embeddingModel declared as the model in use",
      state({ embeddingModel: "@cf/baai/bge-m3" }),
      checked({ embeddingModel: "@cf/baai/bge-m3" }),
      NONE,
    ],
    [
      "embeddingModel left out (the model in use stays)",
      state({ embeddingModel: "@cf/baai/bge-m3" }),
      checked(),
      NONE,
    ],
    ["tokenId (a new service token)", state(), checked({ tokenId: "other-token" }), UPDATE],
    ["tokenId unknown in preview", state(), { ...checked(), tokenId: UNKNOWN }, UPDATE],
    ["source unknown in preview", state(), { ...checked(), source: UNKNOWN }, replace("source")],
    ["a setting added", state(), checked({ maxNumResults: 20 }), UPDATE],
    ["a setting changed", state({ maxNumResults: 10 }), checked({ maxNumResults: 20 }), UPDATE],
    ["a setting removed", state({ maxNumResults: 10 }), checked(), UPDATE],
    [
      "a nested setting changed",
      state({ publicEndpointParams: { enabled: true, authorizedHosts: ["a.com"] } }),
      checked({ publicEndpointParams: { enabled: true, authorizedHosts: ["b.com"] } }),
      UPDATE,
    ],
    [
      "sourceParams changed",
      state({ sourceParams: { prefix: "a/" } }),
      checked({ sourceParams: { prefix: "b/" } }),
      UPDATE,
    ],
    ["paused", state(), checked({ paused: true }), UPDATE],
    ["adopt switched on", state(), checked({ adopt: true }), UPDATE],
    [
      "replace and update together",
      state(),
      checked({ source: "other-bucket", maxNumResults: 3 }),
      replace("source"),
    ],
  ];

  it.each(table)("%s", (_what, olds, news, expected) => {
    expect(provider.diff(olds, news)).toEqual({ ...expected, deleteBeforeReplace: true });
  });
});
