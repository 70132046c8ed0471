// The one camelCase <-> snake_case mapping: every input reaches the API under its documented
// name, crawl header names pass untouched, and what the API returns comes back normalised.
import type { AiSearchInstanceInputs } from "../../provider/aiSearchInstance/args";
import {
  computedOutputs,
  createBody,
  fromApi,
  observedSettings,
  overlay,
  toApi,
  updateBody,
} from "../../provider/aiSearchInstance/mapping";
import * as provider from "../../provider/aiSearchInstance/provider";
import { CreateInstanceRequest, InstanceSettings } from "../../provider/cloudflare/schemas";
import { ACCOUNT_ID } from "../support/mockCloudflare";

/** Every input set, as a program would declare it. */
const everything = {
  accountId: ACCOUNT_ID,
  instanceId: "everything",
  namespace: "default",
  type: "web-crawler",
  source: "example.com",
  sourceParams: {
    prefix: "docs/",
    includeItems: ["**/*.md"],
    excludeItems: ["drafts/**"],
    webCrawler: {
      parseType: "sitemap",
      parseOptions: {
        contentSelector: [{ path: "/docs/**", selector: "main" }],
        includeHeaders: { "X-Api-Key": "k", authorization_token: "t" },
        includeImages: true,
        specificSitemaps: ["https://example.com/sitemap.xml"],
        useBrowserRendering: false,
      },
      discoverOptions: {
        depth: 3,
        includeExternalLinks: false,
        includeSubdomains: true,
        limit: 500,
        maxAge: 3600,
        source: "all",
      },
    },
  },
  tokenId: "tok",
  embeddingModel: "@cf/baai/bge-m3",
  aiSearchModel: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
  rewriteModel: "@cf/meta/llama-3.1-8b-instruct",
  rerankingModel: "@cf/baai/bge-reranker-base",
  summarizationModel: "@cf/meta/llama-3.1-8b-instruct",
  aiGatewayId: "gw",
  chunk: true,
  chunkSize: 512,
  chunkOverlap: 15,
  indexMethod: { keyword: true, vector: true },
  indexingOptions: { keywordTokenizer: "trigram" },
  customMetadata: [{ fieldName: "lang", dataType: "text" }],
  maxNumResults: 12,
  scoreThreshold: 0.5,
  reranking: true,
  rewriteQuery: true,
  fusionMethod: "rrf",
  retrievalOptions: { boostBy: [{ field: "lang", direction: "exists" }], keywordMatchMode: "or" },
  cache: true,
  cacheThreshold: "close_enough",
  cacheTtl: 172800,
  syncInterval: 3600,
  paused: false,
  summarization: true,
  systemPromptAiSearch: "a",
  systemPromptIndexSummarization: "b",
  systemPromptRewriteQuery: "c",
  publicEndpointParams: {
    enabled: true,
    authorizedHosts: ["a.example.com"],
    customDomains: ["search.example.com"],
    defaultDomainEnabled: false,
    mcp: { description: "docs", disabled: false },
    rateLimit: { periodMs: 60000, requests: 100, technique: "sliding" },
    searchEndpoint: { disabled: false },
    chatCompletionsEndpoint: { disabled: true },
  },
  adopt: true,
};

/** The same, as the API reference names the fields (section 3.2). */
const everythingApi = {
  type: "web-crawler",
  source: "example.com",
  source_params: {
    prefix: "docs/",
    include_items: ["**/*.md"],
    exclude_items: ["drafts/**"],
    web_crawler: {
      parse_type: "sitemap",
      parse_options: {
        content_selector: [{ path: "/docs/**", selector: "main" }],
        include_headers: { "X-Api-Key": "k", authorization_token: "t" },
        include_images: true,
        specific_sitemaps: ["https://example.com/sitemap.xml"],
        use_browser_rendering: false,
      },
      discover_options: {
        depth: 3,
        include_external_links: false,
        include_subdomains: true,
        limit: 500,
        max_age: 3600,
        source: "all",
      },
    },
  },
  token_id: "tok",
  embedding_model: "@cf/baai/bge-m3",
  ai_search_model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
  rewrite_model: "@cf/meta/llama-3.1-8b-instruct",
  reranking_model: "@cf/baai/bge-reranker-base",
  summarization_model: "@cf/meta/llama-3.1-8b-instruct",
  ai_gateway_id: "gw",
  chunk: true,
  chunk_size: 512,
  chunk_overlap: 15,
  index_method: { keyword: true, vector: true },
  indexing_options: { keyword_tokenizer: "trigram" },
  custom_metadata: [{ field_name: "lang", data_type: "text" }],
  max_num_results: 12,
  score_threshold: 0.5,
  reranking: true,
  rewrite_query: true,
  fusion_method: "rrf",
  retrieval_options: { boost_by: [{ field: "lang", direction: "exists" }], keyword_match_mode: "or" },
  cache: true,
  cache_threshold: "close_enough",
  cache_ttl: 172800,
  sync_interval: 3600,
  paused: false,
  summarization: true,
  system_prompt_ai_search: "a",
  system_prompt_index_summarization: "b",
  system_prompt_rewrite_query: "c",
  public_endpoint_params: {
    enabled: true,
    authorized_hosts: ["a.example.com"],
    custom_domains: ["search.example.com"],
    default_domain_enabled: false,
    mcp: { description: "docs", disabled: false },
    rate_limit: { period_ms: 60000, requests: 100, technique: "sliding" },
    search_endpoint: { disabled: false },
    chat_completions_endpoint: { disabled: true },
  },
};

function checked(news: Record<string, unknown>): AiSearchInstanceInputs {
  const result = provider.check(news);
  expect(result.failures).toEqual([]);
  return result.inputs as AiSearchInstanceInputs;
}

describe("AiSearchInstance mapping", () => {
  it("sends every input under the API's name in the create body", () => {
    expect(createBody(checked(everything))).toEqual({ id: "everything", ...everythingApi });
  });

  it("builds a body the API's own request schema accepts unchanged (no unknown top-level field)", () => {
    const body = createBody(checked(everything));
    expect(CreateInstanceRequest.strict().parse(body)).toEqual(body);
  });

  it("leaves id, type, source and embedding_model out of the PUT body (reference 3.3), and nothing else", () => {
    const body = updateBody(checked(everything));
    // type and id are immutable; source is in the PUT params only in the newest SDK, and a change
    // of source or embedding model replaces the instance, so neither is ever sent in an update.
    const { type: _t, source: _s, embedding_model: _e, ...rest } = everythingApi;
    expect(body).not.toHaveProperty("id");
    expect(body).toEqual(rest);
    expect(InstanceSettings.strict().parse(body)).toEqual(body);
  });

  it("sends nothing that was not declared", () => {
    expect(createBody(checked({ accountId: ACCOUNT_ID, instanceId: "bare" }))).toEqual({ id: "bare" });
    expect(updateBody(checked({ accountId: ACCOUNT_ID, instanceId: "bare" }))).toEqual({});
  });

  it("maps back to the same camelCase names, header names untouched", () => {
    const { accountId: _a, instanceId: _i, namespace: _n, adopt: _d, ...settings } = everything;
    expect(fromApi(everythingApi)).toEqual(settings);
    expect(toApi(fromApi(everythingApi))).toEqual(everythingApi);
  });

  it("reads the configuration back without token_id and without null or empty values", () => {
    const observed = observedSettings({
      id: "x",
      created_at: "t",
      token_id: "tok",
      ai_gateway_id: null,
      rewrite_model: "",
      max_num_results: 10,
      public_endpoint_params: { enabled: true, custom_domains: null, mcp: {} },
    });
    expect(observed).toEqual({
      id: "x",
      createdAt: "t",
      maxNumResults: 10,
      publicEndpointParams: { enabled: true },
    });
  });

  it("normalises computed outputs: null and empty strings are absent, engine_version is text", () => {
    expect(
      computedOutputs({
        id: "x",
        status: "waiting",
        created_at: "2026-11-29 10:00:00",
        modified_at: "2026-11-29 10:00:00",
        public_endpoint_id: "",
        vectorize_name: null,
        last_activity: null,
        engine_version: 2,
        enable: true,
      }),
    ).toEqual({
      status: "waiting",
      createdAt: "2026-11-29 10:00:00",
      modifiedAt: "2026-11-29 10:00:00",
      engineVersion: "2",
      enable: true,
    });
  });

  it("refreshes only what was declared, keeping write-only fields the API did not return", () => {
    expect(
      overlay(
        { enabled: true, authorizedHosts: ["a.com"], mcp: { disabled: true } },
        { enabled: false, authorizedHosts: ["b.com"], defaultDomainEnabled: true },
      ),
    ).toEqual({ enabled: false, authorizedHosts: ["b.com"], mcp: { disabled: true } });
    expect(overlay("declared prompt", undefined)).toBe("declared prompt");
    expect(
      overlay([{ fieldName: "a", dataType: "text" }], [{ fieldName: "a", dataType: "text", id: 1 }]),
    ).toEqual([{ fieldName: "a", dataType: "text" }]);
  });
});
