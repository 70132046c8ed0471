// Zod schemas of the Cloudflare v4 API surface this package uses: the envelope, API tokens,
// permission groups, AI Search tokens and AI Search instances. Request schemas describe what
// we send (and what the emulator accepts); response schemas describe what we accept back.
//
// Responses are parsed leniently on purpose: the AI Search schemas changed often during 2026,
// so every field beyond the required ones is optional, unknown fields are ignored, and
// timestamps are opaque strings (some examples use "2025-12-25 01:52:28", not RFC 3339).
import { z } from "zod";

// ---------------------------------------------------------------------------------------------
// The v4 envelope
// ---------------------------------------------------------------------------------------------

export const CfMessage = z.looseObject({
  code: z.number().int(),
  message: z.string(),
  documentation_url: z.string().optional(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
});
export type CfMessage = z.infer<typeof CfMessage>;

export const ResultInfo = z.looseObject({
  page: z.number().int().optional(),
  per_page: z.number().int().optional(),
  count: z.number().int().optional(),
  total_count: z.number().int().optional(),
  total_pages: z.number().int().optional(),
});
export type ResultInfo = z.infer<typeof ResultInfo>;

/** The envelope without a typed result: enough to read `success` and `errors` of any answer. */
export const EnvelopeHead = z.looseObject({
  success: z.boolean(),
  errors: z.array(CfMessage).default([]),
  messages: z.array(CfMessage).optional(),
  result: z.unknown().optional(),
  result_info: ResultInfo.nullish(),
});
export type EnvelopeHead = z.infer<typeof EnvelopeHead>;

// ---------------------------------------------------------------------------------------------
// Permission groups and API tokens (user-owned and account-owned)
// ---------------------------------------------------------------------------------------------

export const PermissionGroup = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  scopes: z.array(z.string()).default([]),
  description: z.string().nullish(),
});
export type PermissionGroup = z.infer<typeof PermissionGroup>;

/** `{"com.cloudflare.api.account.<id>": "*"}`, or a nested map for zone-level resources. */
export const PolicyResources = z.record(z.string(), z.union([z.string(), z.record(z.string(), z.string())]));

export const PolicyPermissionGroupRef = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  meta: z.looseObject({ key: z.string().optional(), value: z.string().optional() }).optional(),
});

export const TokenPolicy = z.object({
  id: z.string().optional(),
  effect: z.enum(["allow", "deny"]),
  resources: PolicyResources,
  permission_groups: z.array(PolicyPermissionGroupRef).min(1),
});
export type TokenPolicy = z.infer<typeof TokenPolicy>;

/**
 * A policy as a create (or update) sends it: the shape of the official SDK's `TokenPolicyParam`
 * (no policy `id`, groups by `id` only, `resources` either all flat or all nested), checked at
 * compile time by test/unit/sdkRequestTypes.test.ts.
 */
export const TokenPolicyRequest = z.strictObject({
  effect: z.enum(["allow", "deny"]),
  resources: z.union([
    z.record(z.string(), z.string()),
    z.record(z.string(), z.record(z.string(), z.string())),
  ]),
  permission_groups: z.array(z.strictObject({ id: z.string().min(1) })).min(1),
});

/** The create body; `status` is only for updates (reference 4). */
export const CreateApiTokenRequest = z.strictObject({
  name: z.string().min(1).max(120),
  policies: z.array(TokenPolicyRequest).min(1),
  condition: z
    .strictObject({
      request_ip: z
        .strictObject({ in: z.array(z.string()).optional(), not_in: z.array(z.string()).optional() })
        .optional(),
    })
    .optional(),
  expires_on: z.string().optional(),
  not_before: z.string().optional(),
});
export type CreateApiTokenRequest = z.infer<typeof CreateApiTokenRequest>;

/**
 * Token status. `revoked (exposed)` is what Cloudflare reports for tokens it revoked after a leak;
 * other unknown values are kept as strings rather than rejected.
 */
export const ApiTokenStatus = z.string();

export const ApiToken = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  status: ApiTokenStatus,
  issued_on: z.string().nullish(),
  modified_on: z.string().nullish(),
  last_used_on: z.string().nullish(),
  expires_on: z.string().nullish(),
  not_before: z.string().nullish(),
  policies: z.array(TokenPolicy.loose()).optional(),
  condition: z.unknown().optional(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** Only create (and roll) ever return the secret. */
export const CreatedApiToken = ApiToken.extend({ value: z.string().min(1) });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;

export const VerifiedApiToken = z.looseObject({
  id: z.string().min(1),
  status: ApiTokenStatus,
  expires_on: z.string().nullish(),
  not_before: z.string().nullish(),
});
export type VerifiedApiToken = z.infer<typeof VerifiedApiToken>;

/** `PUT …/tokens/{id}/value` answers the new secret as a bare string. */
export const RolledTokenValue = z.string().min(1);

export const DeletedObject = z.looseObject({ id: z.string() });

// ---------------------------------------------------------------------------------------------
// AI Search tokens (`/accounts/{account_id}/ai-search/tokens`)
// ---------------------------------------------------------------------------------------------

/** Create and update take the same full body; update is a PUT that replaces the credential. */
export const AiSearchTokenWrite = z.strictObject({
  cf_api_id: z.string().min(1),
  cf_api_key: z.string().min(1),
  name: z.string().min(1),
  legacy: z.boolean().optional(),
});
export type AiSearchTokenWrite = z.infer<typeof AiSearchTokenWrite>;

/** `cf_api_key` is never returned; `id` is a UUID. */
export const AiSearchToken = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  cf_api_id: z.string(),
  created_at: z.string().nullish(),
  modified_at: z.string().nullish(),
  created_by: z.string().nullish(),
  modified_by: z.string().nullish(),
  enabled: z.boolean().nullish(),
  legacy: z.boolean().nullish(),
});
export type AiSearchToken = z.infer<typeof AiSearchToken>;

// ---------------------------------------------------------------------------------------------
// AI Search instances (`/accounts/{account_id}/ai-search/namespaces/{name}/instances`)
// ---------------------------------------------------------------------------------------------

/** 1 to 64 characters of lowercase letters, digits, `-` and `_`. */
export const INSTANCE_ID_PATTERN = /^[a-z0-9_-]{1,64}$/;
export const InstanceId = z
  .string()
  .regex(INSTANCE_ID_PATTERN, "must be 1 to 64 lowercase letters, digits, '-' or '_'");

/**
 * Namespace names: 1 to 28 characters, lowercase letters, digits and `-`, starting and ending with
 * a letter or digit (Cloudflare's docs, `ai-search/api/namespaces/terraform/`; reference,
 * "Corrections"). Not the instance id rule: no `_`, not 64.
 */
export const NAMESPACE_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,26}[a-z0-9])?$/;
export const NAMESPACE_NAME_RULE =
  "1 to 28 lowercase letters, digits or '-', starting and ending with a letter or digit";

export const InstanceType = z.enum(["r2", "web-crawler"]);
export type InstanceType = z.infer<typeof InstanceType>;

export const SYNC_INTERVALS = [900, 1800, 3600, 7200, 14400, 21600, 43200, 86400] as const;
/**
 * The `cache_ttl` values the API takes: the set the official SDK's instance params spell out.
 * 14400 is not among them (it is a `sync_interval`), though an earlier list here had it.
 */
export const CACHE_TTLS = [600, 1800, 3600, 7200, 21600, 43200, 86400, 172800, 259200, 518400] as const;
/** A number that is one of `values`, typed as their union (what the SDK's params declare). */
const oneOf = <T extends readonly [number, ...number[]]>(values: T, what: string) =>
  z
    .number()
    .int()
    .refine((v): v is T[number] => (values as readonly number[]).includes(v), {
      message: `${what} must be one of ${values.join(", ")}`,
    });

// Request bodies of instances. Nested objects are plain (not loose) objects: what we send is
// exactly what we declare, in the shapes of the official SDK's `InstanceCreateParams` and
// `InstanceUpdateParams` (checked at compile time by test/unit/sdkRequestTypes.test.ts).

export const WebCrawlerParams = z.object({
  parse_type: z.enum(["sitemap", "discover"]).optional(),
  parse_options: z
    .object({
      content_selector: z.array(z.object({ path: z.string(), selector: z.string() })).optional(),
      include_headers: z.record(z.string(), z.string()).optional(),
      include_images: z.boolean().optional(),
      specific_sitemaps: z.array(z.string()).optional(),
      use_browser_rendering: z.boolean().optional(),
    })
    .optional(),
  discover_options: z
    .object({
      depth: z.number().int().min(0).optional(),
      include_external_links: z.boolean().optional(),
      include_subdomains: z.boolean().optional(),
      limit: z.number().int().min(1).max(100000).optional(),
      max_age: z.number().int().min(0).max(604800).optional(),
      source: z.enum(["all", "sitemaps", "links"]).optional(),
    })
    .optional(),
});

export const SourceParams = z.object({
  prefix: z.string().optional(),
  include_items: z.array(z.string()).optional(),
  exclude_items: z.array(z.string()).optional(),
  r2_jurisdiction: z.string().optional(),
  web_crawler: WebCrawlerParams.optional(),
});

export const PublicEndpointParams = z.object({
  enabled: z.boolean().optional(),
  authorized_hosts: z.array(z.string()).optional(),
  custom_domains: z.array(z.string()).nullish(),
  default_domain_enabled: z.boolean().optional(),
  mcp: z.object({ description: z.string().optional(), disabled: z.boolean().optional() }).optional(),
  rate_limit: z
    .object({
      period_ms: z.number().int().positive().optional(),
      requests: z.number().int().positive().optional(),
      technique: z.enum(["fixed", "sliding"]).optional(),
    })
    .optional(),
  search_endpoint: z.object({ disabled: z.boolean().optional() }).optional(),
  chat_completions_endpoint: z.object({ disabled: z.boolean().optional() }).optional(),
});

export const CustomMetadataField = z.object({
  field_name: z.string().min(1),
  data_type: z.enum(["text", "number", "boolean", "datetime"]),
});

/** Settings that both create and update accept (all optional). */
const sharedSettings = {
  source: z.string().min(1).nullish(),
  source_params: SourceParams.nullish(),
  /** A string or absent: the API takes no null here (it cannot be cleared by sending null). */
  token_id: z.string().min(1).optional(),
  ai_gateway_id: z.string().nullish(),
  ai_search_model: z.string().nullish(),
  embedding_model: z.string().nullish(),
  rewrite_model: z.string().nullish(),
  reranking_model: z.string().nullish(),
  chunk: z.boolean().optional(),
  chunk_size: z.number().int().min(64).optional(),
  chunk_overlap: z.number().int().min(0).max(30).optional(),
  /** Both keys: the API's params require both (a partial object would leave the other to the server). */
  index_method: z.object({ keyword: z.boolean(), vector: z.boolean() }).optional(),
  indexing_options: z
    .object({ keyword_tokenizer: z.enum(["porter", "trigram"]).optional(), use_ocr: z.boolean().optional() })
    .nullish(),
  custom_metadata: z.array(CustomMetadataField).optional(),
  max_num_results: z.number().int().min(1).max(50).optional(),
  score_threshold: z.number().min(0).max(1).optional(),
  reranking: z.boolean().optional(),
  rewrite_query: z.boolean().optional(),
  fusion_method: z.enum(["max", "rrf"]).optional(),
  retrieval_options: z
    .object({
      boost_by: z
        .array(
          z.object({
            field: z.string(),
            direction: z.enum(["asc", "desc", "exists", "not_exists"]).optional(),
          }),
        )
        .optional(),
      keyword_match_mode: z.enum(["and", "or"]).optional(),
    })
    .nullish(),
  cache: z.boolean().optional(),
  cache_threshold: z
    .enum(["super_strict_match", "close_enough", "flexible_friend", "anything_goes"])
    .optional(),
  cache_ttl: oneOf(CACHE_TTLS, "cache_ttl").optional(),
  sync_interval: oneOf(SYNC_INTERVALS, "sync_interval").optional(),
  public_endpoint_params: PublicEndpointParams.optional(),
  metadata: z
    .object({
      created_from_aisearch_wizard: z.boolean().optional(),
      worker_domain: z.string().optional(),
    })
    .optional(),
};

/** Settings only the PUT body has (reference 3.3; the SDK's create params have none of them). */
const updateOnlySettings = {
  paused: z.boolean().optional(),
  summarization: z.boolean().optional(),
  summarization_model: z.string().nullish(),
  system_prompt_ai_search: z.string().nullish(),
  system_prompt_index_summarization: z.string().nullish(),
  system_prompt_rewrite_query: z.string().nullish(),
};
export const UPDATE_ONLY_SETTINGS = Object.keys(updateOnlySettings) as (keyof typeof updateOnlySettings)[];

/** Every setting of the PUT body (no `id`, no `type`: both are immutable). */
export const InstanceSettings = z.object({ ...sharedSettings, ...updateOnlySettings });
export type InstanceSettings = z.infer<typeof InstanceSettings>;

/**
 * The POST body. It also takes the update-only settings because the resource's mapping sends
 * every declared setting on create today, which the SDK's create params do not have (reported in
 * issue 9; the cross-check names them in test/unit/sdkRequestTypes.test.ts).
 */
export const CreateInstanceRequest = z.object({
  ...sharedSettings,
  ...updateOnlySettings,
  id: InstanceId,
  type: InstanceType.nullish(),
  /** Deprecated; in the create params only. */
  hybrid_search_enabled: z.boolean().optional(),
});
export type CreateInstanceRequest = z.infer<typeof CreateInstanceRequest>;

export const UpdateInstanceRequest = InstanceSettings;
export type UpdateInstanceRequest = z.infer<typeof UpdateInstanceRequest>;

/** What reads return: configuration echoed back (any of it may be null) plus computed fields. */
export const AiSearchInstance = z.looseObject({
  id: z.string().min(1),
  created_at: z.string().nullish(),
  modified_at: z.string().nullish(),
  type: z.string().nullish(),
  source: z.string().nullish(),
  source_params: z.record(z.string(), z.unknown()).nullish(),
  token_id: z.string().nullish(),
  namespace: z.string().nullish(),
  status: z.string().nullish(),
  enable: z.boolean().nullish(),
  paused: z.boolean().nullish(),
  engine_version: z.union([z.string(), z.number()]).nullish(),
  public_endpoint_id: z.string().nullish(),
  last_activity: z.string().nullish(),
  created_by: z.string().nullish(),
  modified_by: z.string().nullish(),
  vectorize_name: z.string().nullish(),
});
export type AiSearchInstance = z.infer<typeof AiSearchInstance>;

export const InstanceStats = z.looseObject({
  completed: z.number().nullish(),
  queued: z.number().nullish(),
  running: z.number().nullish(),
  error: z.number().nullish(),
  skipped: z.number().nullish(),
  outdated: z.number().nullish(),
  last_activity: z.string().nullish(),
  degraded: z.boolean().nullish(),
});
export type InstanceStats = z.infer<typeof InstanceStats>;

/** An AI Search namespace (reference 3.1). Every field beyond the name is optional. */
export const AiSearchNamespace = z.looseObject({
  name: z.string().min(1),
  description: z.string().nullish(),
  public_endpoint_id: z.string().nullish(),
  public_endpoint_params: z.record(z.string(), z.unknown()).nullish(),
  created_at: z.string().nullish(),
  modified_at: z.string().nullish(),
});
export type AiSearchNamespace = z.infer<typeof AiSearchNamespace>;

/** The POST body of a namespace; a PUT takes the same without `name`. */
export interface NamespaceRequest {
  name?: string;
  description?: string;
  public_endpoint_params?: Record<string, unknown>;
}

/** A sync job (reference 3.6). `ended_at` is set once it has ended; `end_reason` says how. */
export const SyncJob = z.looseObject({
  id: z.string().min(1),
  source: z.string().nullish(),
  description: z.string().nullish(),
  started_at: z.string().nullish(),
  ended_at: z.string().nullish(),
  end_reason: z.string().nullish(),
  last_seen_at: z.string().nullish(),
});
export type SyncJob = z.infer<typeof SyncJob>;

/**
 * One line of a job's log. Its fields are barely documented (the SDK types `message_type` as a
 * number without naming values; `created_at` may be epoch milliseconds), so only the text and
 * the kind are read, and everything is optional.
 */
export const SyncJobLog = z.looseObject({
  message: z.string().nullish(),
  message_type: z.number().nullish(),
  level: z.string().nullish(),
});
export type SyncJobLog = z.infer<typeof SyncJobLog>;
