// A cross-check against a client nobody here wrote: the request bodies our client sends must be
// what the official `cloudflare` SDK (v7) sends for the same calls. The type-level checks make this
// file fail to COMPILE (ts-jest and `npm run typecheck`) when a body type drifts: a field the SDK's
// parameters lack, or a value type they do not accept. The instance bodies are built from
// `Record<string, unknown>` at run time, so the tests also build them from a full program and
// check their keys against key lists that the compiler proves equal to the SDK's.
import type { TokenCreateParams as AccountTokenCreateParams } from "cloudflare/resources/accounts/tokens/tokens";
import type {
  TokenCreateParams as AiSearchTokenCreateParams,
  TokenUpdateParams as AiSearchTokenUpdateParams,
} from "cloudflare/resources/aisearch/tokens";
import type {
  InstanceCreateParams,
  InstanceUpdateParams,
} from "cloudflare/resources/aisearch/instances/instances";
import type {
  TokenCreateParams as UserTokenCreateParams,
  TokenUpdateParams as UserTokenUpdateParams,
} from "cloudflare/resources/user/tokens/tokens";
import type { AiSearchInstanceInputs } from "../../provider/aiSearchInstance/args";
import { createBody, updateBody } from "../../provider/aiSearchInstance/mapping";
import type { AiSearchInstances } from "../../provider/cloudflare/aiSearchInstances";
import { UPDATE_ONLY_SETTINGS } from "../../provider/cloudflare/schemas";
import type { AiSearchTokens } from "../../provider/cloudflare/aiSearchTokens";
import type { ApiTokens } from "../../provider/cloudflare/apiTokens";

/**
 * `true` when `Ours` is assignable to `Theirs` and has no top-level key `Theirs` lacks (a plain
 * assignability check lets extra optional fields through); otherwise a type that names the
 * problem, which `sdkAccepts` refuses at compile time.
 */
type Accepted<Ours, Theirs> = [Ours] extends [Theirs]
  ? [Exclude<keyof Ours, keyof Theirs>] extends [never]
    ? true
    : { fieldsTheSdkLacks: Exclude<keyof Ours, keyof Theirs> }
  : { notAssignable: Ours; sdkParams: Theirs };
function sdkAccepts<_Check extends true>(): void {}

/** The SDK's parameters minus the path parameter: what goes in the body. */
type Body<P> = Omit<P, "account_id">;

// What each client method takes as its body, by position of the body parameter.
type MintBody = Parameters<ApiTokens["create"]>[1];
type RegisterBody = Parameters<AiSearchTokens["create"]>[1];
type ReRegisterBody = Parameters<AiSearchTokens["update"]>[2];
type InstanceCreateBody = Parameters<AiSearchInstances["create"]>[2];
type InstanceUpdateBody = Parameters<AiSearchInstances["update"]>[3];

// API tokens: mint (user- or account-owned). The client has no API token update; an update would
// send the same full body, which the SDK's update parameters must accept too.
sdkAccepts<Accepted<MintBody, UserTokenCreateParams>>();
sdkAccepts<Accepted<MintBody, Body<AccountTokenCreateParams>>>();
sdkAccepts<Accepted<MintBody, UserTokenUpdateParams>>();
// AI Search tokens: register and re-register (the full-body PUT).
sdkAccepts<Accepted<RegisterBody, Body<AiSearchTokenCreateParams>>>();
sdkAccepts<Accepted<ReRegisterBody, Body<AiSearchTokenUpdateParams>>>();
// AI Search instances: the client's body types, and what the resource's mapping builds.
// Known drift, left out on purpose and reported (issue 9): the resource sends the update-only
// settings (paused, summarization, system prompts, ...) on create too, and the SDK's create params
// have none of them. Whoever changes that removes this Omit; the check then covers them.
type SentOnCreateButUpdateOnly = (typeof UPDATE_ONLY_SETTINGS)[number];
sdkAccepts<Accepted<Omit<InstanceCreateBody, SentOnCreateButUpdateOnly>, Body<InstanceCreateParams>>>();
sdkAccepts<Accepted<InstanceUpdateBody, Body<InstanceUpdateParams>>>();
sdkAccepts<
  Accepted<Omit<ReturnType<typeof createBody>, SentOnCreateButUpdateOnly>, Body<InstanceCreateParams>>
>();
sdkAccepts<Accepted<ReturnType<typeof updateBody>, Body<InstanceUpdateParams>>>();

/** Compiles only when `Keys` lists exactly the keys of `T`. */
type ExactKeys<T, Keys extends readonly (keyof T & string)[]> = [Exclude<keyof T, Keys[number]>] extends [
  never,
]
  ? Keys
  : { missing: Exclude<keyof T, Keys[number]> };
function keysOf<T>() {
  return <const K extends readonly (keyof T & string)[]>(keys: K & ExactKeys<T, K>): readonly string[] =>
    keys;
}

const CREATE_KEYS = keysOf<Body<InstanceCreateParams>>()([
  "id",
  "ai_gateway_id",
  "ai_search_model",
  "cache",
  "cache_threshold",
  "cache_ttl",
  "chunk",
  "chunk_overlap",
  "chunk_size",
  "custom_metadata",
  "embedding_model",
  "fusion_method",
  "hybrid_search_enabled",
  "index_method",
  "indexing_options",
  "max_num_results",
  "metadata",
  "public_endpoint_params",
  "reranking",
  "reranking_model",
  "retrieval_options",
  "rewrite_model",
  "rewrite_query",
  "score_threshold",
  "source",
  "source_params",
  "sync_interval",
  "token_id",
  "type",
]);

const UPDATE_KEYS = keysOf<Body<InstanceUpdateParams>>()([
  "ai_gateway_id",
  "ai_search_model",
  "cache",
  "cache_threshold",
  "cache_ttl",
  "chunk",
  "chunk_overlap",
  "chunk_size",
  "custom_metadata",
  "embedding_model",
  "fusion_method",
  "index_method",
  "indexing_options",
  "max_num_results",
  "metadata",
  "paused",
  "public_endpoint_params",
  "reranking",
  "reranking_model",
  "retrieval_options",
  "rewrite_model",
  "rewrite_query",
  "score_threshold",
  "source",
  "source_params",
  "summarization",
  "summarization_model",
  "sync_interval",
  "system_prompt_ai_search",
  "system_prompt_index_summarization",
  "system_prompt_rewrite_query",
  "token_id",
]);

/** A program that declares every setting the resource has. */
const everySetting: AiSearchInstanceInputs = {
  accountId: "0123456789abcdef0123456789abcdef",
  instanceId: "docs",
  namespace: "default",
  type: "r2",
  source: "docs-bucket",
  sourceParams: { prefix: "docs/", r2Jurisdiction: "eu" },
  tokenId: "62af0db3-c410-40b2-9ee3-0e93f6dd1de0",
  embeddingModel: "@cf/baai/bge-m3",
  aiSearchModel: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
  rewriteModel: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
  rerankingModel: "@cf/baai/bge-reranker-base",
  summarizationModel: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
  aiGatewayId: "gw",
  chunk: true,
  chunkSize: 512,
  chunkOverlap: 20,
  indexMethod: { keyword: true, vector: true },
  indexingOptions: { keywordTokenizer: "porter" },
  customMetadata: [{ fieldName: "date", dataType: "datetime" }],
  maxNumResults: 20,
  scoreThreshold: 0.5,
  reranking: true,
  rewriteQuery: true,
  fusionMethod: "max",
  retrievalOptions: { keywordMatchMode: "and" },
  cache: false,
  cacheThreshold: "flexible_friend",
  cacheTtl: 3600,
  syncInterval: 3600,
  paused: true,
  summarization: true,
  systemPromptAiSearch: "Be brief.",
  systemPromptIndexSummarization: "Summarise.",
  systemPromptRewriteQuery: "Rewrite.",
  publicEndpointParams: { enabled: true },
};

describe("request bodies are what the official SDK sends for the same calls", () => {
  it("the instance PUT body of a program that declares every setting has only fields of the SDK's update", () => {
    const unknown = Object.keys(updateBody(everySetting)).filter((k) => !UPDATE_KEYS.includes(k));
    expect(unknown).toEqual([]);
  });

  it("the instance POST body of a program that declares every setting has only fields of the SDK's create", () => {
    // Minus the update-only settings it is known to send (see SentOnCreateButUpdateOnly above).
    const knownDrift: readonly string[] = UPDATE_ONLY_SETTINGS;
    const unknown = Object.keys(createBody(everySetting)).filter(
      (k) => !CREATE_KEYS.includes(k) && !knownDrift.includes(k),
    );
    expect(unknown).toEqual([]);
  });
});
