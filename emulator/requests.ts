// The request bodies the emulator accepts, written from the API reference
// (`reference/cloudflare-api.md`), not from the provider's client: the emulator shares nothing with
// the client, so that a wrong request from the client fails a test instead of being accepted by
// the client's own schema (an ESLint rule keeps `emulator/` from importing `provider/`).
//
// Where the reference lists the fields of a body, an unknown top-level field is refused with a
// 400 naming it (the client made a mistake; the real API may ignore the field, which is worse).
// Nested objects accept unknown keys: the AI Search schemas kept growing during 2026.
import { z } from "zod";

// --- API tokens (reference section 4) --------------------------------------------------------

/** `resources`: a flat map `{"com.cloudflare.api.account.<id>": "*"}` or a nested one for zones. */
const PolicyResources = z.record(z.string(), z.union([z.string(), z.record(z.string(), z.string())]));

const PolicyRequest = z.strictObject({
  /** Policies read back from a token carry their server-assigned id; sending it back is allowed. */
  id: z.string().optional(),
  effect: z.enum(["allow", "deny"]),
  resources: PolicyResources,
  permission_groups: z
    .array(
      z.looseObject({
        id: z.string().min(1),
        name: z.string().optional(),
        meta: z.looseObject({ key: z.string().optional(), value: z.string().optional() }).optional(),
      }),
    )
    .min(1),
});

/** The docs write the condition key `request.ip`, the SDK and TF `request_ip` (conflict C5): both are taken. */
const TokenCondition = z.record(z.string(), z.unknown());

/** `POST /user/tokens` and `POST /accounts/{id}/tokens`: `name` (at most 120 chars) and `policies` required. */
export const ApiTokenCreateBody = z.strictObject({
  name: z.string().min(1).max(120),
  policies: z.array(PolicyRequest).min(1),
  condition: TokenCondition.optional(),
  expires_on: z.string().optional(),
  not_before: z.string().optional(),
});
export type ApiTokenCreateBody = z.output<typeof ApiTokenCreateBody>;

/** `PUT …/tokens/{id}`: the full body again, plus an optional `status`. */
export const ApiTokenUpdateBody = ApiTokenCreateBody.extend({
  status: z.enum(["active", "disabled", "expired"]).optional(),
});
export type ApiTokenUpdateBody = z.output<typeof ApiTokenUpdateBody>;

// --- AI Search tokens (reference section 2.1) ------------------------------------------------

/** Create and the full-body PUT: `cf_api_id`, `cf_api_key` and `name` required, `legacy` optional. */
export const AiSearchTokenBody = z.strictObject({
  cf_api_id: z.string().min(1),
  cf_api_key: z.string().min(1),
  name: z.string().min(1),
  legacy: z.boolean().optional(),
});
export type AiSearchTokenBody = z.output<typeof AiSearchTokenBody>;

// --- AI Search instances (reference sections 3.2 and 3.3) ------------------------------------

/** 1 to 64 characters: lowercase letters, digits, `-` and `_`. */
const InstanceIdField = z
  .string()
  .regex(/^[a-z0-9_-]{1,64}$/, "must be 1 to 64 lowercase letters, digits, '-' or '_'");

/** `sync_interval`: one of these seconds (reference 3.2). */
export const SYNC_INTERVAL_SECONDS = [900, 1800, 3600, 7200, 14400, 21600, 43200, 86400] as const;
/**
 * `cache_ttl`: "one of a fixed set from 600 to 518400 s" (reference 3.2); the set is the one the
 * official SDK's `InstanceCreateParams` spells out (it has no 14400).
 */
export const CACHE_TTL_SECONDS = [
  600, 1800, 3600, 7200, 21600, 43200, 86400, 172800, 259200, 518400,
] as const;

const oneOf = (values: readonly number[]) =>
  z
    .number()
    .int()
    .refine((v) => values.includes(v), { message: `must be one of ${values.join(", ")}` });

const WebCrawlerRequest = z.looseObject({
  parse_type: z.enum(["sitemap", "discover"]).optional(),
  parse_options: z
    .looseObject({
      // An empty list is refused (reference, "Corrections": wrangler 4.164's check).
      content_selector: z
        .array(z.looseObject({ path: z.string(), selector: z.string() }))
        .min(1, "must not be empty")
        .optional(),
      include_headers: z
        .record(z.string(), z.string())
        .refine((h) => Object.keys(h).length <= 5, { message: "at most 5 headers" })
        .optional(),
      include_images: z.boolean().optional(),
      specific_sitemaps: z.array(z.string()).optional(),
      use_browser_rendering: z.boolean().optional(),
    })
    .optional(),
  discover_options: z
    .looseObject({
      depth: z.number().int().min(0).optional(),
      include_external_links: z.boolean().optional(),
      include_subdomains: z.boolean().optional(),
      limit: z.number().int().min(1).max(100000).optional(),
      max_age: z.number().int().min(0).max(604800).optional(),
      source: z.enum(["all", "sitemaps", "links"]).optional(),
    })
    .optional(),
});

const SourceParamsRequest = z.looseObject({
  prefix: z.string().optional(),
  include_items: z.array(z.string()).optional(),
  exclude_items: z.array(z.string()).optional(),
  r2_jurisdiction: z.string().optional(),
  web_crawler: WebCrawlerRequest.optional(),
});

const PublicEndpointParamsRequest = z.looseObject({
  enabled: z.boolean().optional(),
  authorized_hosts: z.array(z.string()).optional(),
  custom_domains: z.array(z.string().min(1)).nullable().optional(),
  default_domain_enabled: z.boolean().optional(),
  mcp: z.looseObject({ description: z.string().optional(), disabled: z.boolean().optional() }).optional(),
  rate_limit: z
    .looseObject({
      period_ms: z.number().int().positive().optional(),
      requests: z.number().int().positive().optional(),
      technique: z.enum(["fixed", "sliding"]).optional(),
    })
    .optional(),
  search_endpoint: z.looseObject({ disabled: z.boolean().optional() }).optional(),
  chat_completions_endpoint: z.looseObject({ disabled: z.boolean().optional() }).optional(),
});

const modelField = z.string().nullable().optional();

const RESERVED_METADATA_FIELDS = ["timestamp", "folder", "filename"];

// --- AI Search namespaces and sync jobs (reference sections 3.1 and 3.6) ----------------------

/**
 * A namespace name: 1 to 28 characters, lowercase letters, digits and `-`, starting and ending
 * with a letter or digit (reference, "Corrections": the docs' Terraform page; alchemy agrees).
 */
const NamespaceNameField = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,26}[a-z0-9])?$/,
    "must be 1 to 28 lowercase letters, digits or '-', starting and ending with a letter or digit",
  );

/** A namespace's public endpoint adds `instances_allowed` (SDK `NamespaceCreateParams`). */
const NamespacePublicEndpointParams = PublicEndpointParamsRequest.extend({
  instances_allowed: z.array(z.string()).optional(),
});

/** `POST /ai-search/namespaces`: `name` required, `description` at most 256 characters. */
export const NamespaceCreateBody = z.strictObject({
  name: NamespaceNameField,
  description: z.string().max(256).nullable().optional(),
  public_endpoint_params: NamespacePublicEndpointParams.optional(),
});
export type NamespaceCreateBody = z.output<typeof NamespaceCreateBody>;

/** `PUT /ai-search/namespaces/{name}`: no `name` (a rename is not possible). */
export const NamespaceUpdateBody = z.strictObject({
  description: z.string().max(256).nullable().optional(),
  public_endpoint_params: NamespacePublicEndpointParams.nullable().optional(),
});
export type NamespaceUpdateBody = z.output<typeof NamespaceUpdateBody>;

/** `POST …/instances/{id}/jobs`: an optional description. */
export const JobCreateBody = z.strictObject({
  description: z.string().optional(),
});

/** `PATCH …/jobs/{job_id}`: the only action is `cancel`. */
export const JobUpdateBody = z.strictObject({
  action: z.literal("cancel"),
});

/** Fields both the create and the update body have (reference 3.2). */
const sharedInstanceFields = {
  source: z.string().min(1).nullable().optional(),
  source_params: SourceParamsRequest.nullable().optional(),
  token_id: z.string().min(1).optional(),
  ai_gateway_id: z.string().nullable().optional(),
  ai_search_model: modelField,
  embedding_model: modelField,
  rewrite_model: modelField,
  reranking_model: modelField,
  chunk: z.boolean().optional(),
  chunk_size: z.number().int().min(64).optional(),
  chunk_overlap: z.number().int().min(0).max(30).optional(),
  index_method: z.looseObject({ keyword: z.boolean().optional(), vector: z.boolean().optional() }).optional(),
  indexing_options: z
    .looseObject({
      keyword_tokenizer: z.enum(["porter", "trigram"]).optional(),
      use_ocr: z.boolean().optional(),
    })
    .nullable()
    .optional(),
  // At most 20 fields; `timestamp`, `folder` and `filename` are reserved (reference, "Corrections").
  custom_metadata: z
    .array(
      z.strictObject({
        field_name: z
          .string()
          .min(1)
          .refine((n) => !RESERVED_METADATA_FIELDS.includes(n), { message: "is a reserved metadata field" }),
        data_type: z.enum(["text", "number", "boolean", "datetime"]),
      }),
    )
    .max(20, "at most 20 custom metadata fields")
    .optional(),
  max_num_results: z.number().int().min(1).max(50).optional(),
  score_threshold: z.number().min(0).max(1).optional(),
  reranking: z.boolean().optional(),
  rewrite_query: z.boolean().optional(),
  fusion_method: z.enum(["max", "rrf"]).optional(),
  retrieval_options: z
    .looseObject({
      boost_by: z
        .array(
          z.looseObject({
            field: z.string(),
            direction: z.enum(["asc", "desc", "exists", "not_exists"]).optional(),
          }),
        )
        .optional(),
      keyword_match_mode: z.enum(["and", "or"]).optional(),
    })
    .nullable()
    .optional(),
  cache: z.boolean().optional(),
  cache_threshold: z
    .enum(["super_strict_match", "close_enough", "flexible_friend", "anything_goes"])
    .optional(),
  cache_ttl: oneOf(CACHE_TTL_SECONDS).optional(),
  sync_interval: oneOf(SYNC_INTERVAL_SECONDS).optional(),
  hybrid_search_enabled: z.boolean().optional(),
  public_endpoint_params: PublicEndpointParamsRequest.optional(),
  metadata: z
    .looseObject({
      created_from_aisearch_wizard: z.boolean().optional(),
      worker_domain: z.string().optional(),
    })
    .optional(),
};

/**
 * Fields only the update body has (reference 3.3). The create body of the current SDK has none of
 * them; the emulator takes them on create too (the reference does not say a create refuses them).
 */
const updateOnlyInstanceFields = {
  paused: z.boolean().optional(),
  summarization: z.boolean().optional(),
  summarization_model: modelField,
  system_prompt_ai_search: z.string().nullable().optional(),
  system_prompt_index_summarization: z.string().nullable().optional(),
  system_prompt_rewrite_query: z.string().nullable().optional(),
};

/** `POST …/instances`: `id` required; `type` and `source` both or neither (checked by the route, 7052). */
export const InstanceCreateBody = z.strictObject({
  id: InstanceIdField,
  type: z.enum(["r2", "web-crawler"]).nullable().optional(),
  ...sharedInstanceFields,
  ...updateOnlyInstanceFields,
});
export type InstanceCreateBody = z.output<typeof InstanceCreateBody>;

/** `PUT …/instances/{id}`: no `id` and no `type` (both immutable; the route names them in its 400). */
export const InstanceUpdateBody = z.strictObject({
  ...sharedInstanceFields,
  ...updateOnlyInstanceFields,
});
export type InstanceUpdateBody = z.output<typeof InstanceUpdateBody>;

/** PATCH of an instance: the move to another namespace (API reference; not in SDK 7.3). */
export const InstanceMoveBody = z.strictObject({
  new_namespace: z.string().min(1),
});
