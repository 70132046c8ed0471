// The inputs and outputs of AiSearchInstance: the program-facing Args (pulumi.Input values), the
// plain inputs the provider receives, their zod schema (camelCase; mapping.ts turns them into the
// API's snake_case), and the outputs kept in state.
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { CloudflareCredentials } from "../credentials";
import { DEFAULT_NAMESPACE } from "../cloudflare/aiSearchInstances";
import {
  CACHE_TTLS,
  INSTANCE_ID_PATTERN,
  NAMESPACE_NAME_PATTERN,
  NAMESPACE_NAME_RULE,
  SYNC_INTERVALS,
} from "../cloudflare/schemas";
import { publicEndpointFailures } from "../publicEndpoint/checks";
import type { CheckFailure } from "../validation";
import { effectiveType, inferredType, R2_BUCKET_PATTERN } from "./inferredType";

export { DEFAULT_NAMESPACE };

/** What `namespace` takes besides a name: an `AiSearchNamespace` (by its `name` output). */
export interface AiSearchNamespaceRef {
  readonly name: pulumi.Output<string>;
  readonly urn: pulumi.Output<string>;
}

/**
 * Where an `r2` instance reads from and a `web-crawler` instance crawls; camelCase of the API's
 * `source_params`. A change is an update in place. A key removed from the program goes back to the
 * default named here; keys with no documented default are kept as the instance has them.
 */
export interface SourceParams {
  /** Only objects under this key prefix (r2). Default "". */
  prefix?: string;
  /** Micromatch globs of items to index (most accounts allow 10 rules). Default: every item. */
  includeItems?: string[];
  /** Micromatch globs of items to skip. Default: none. */
  excludeItems?: string[];
  /** R2 jurisdiction of the bucket, e.g. "default" or "eu" (r2 only). Default "default". */
  r2Jurisdiction?: string;
  /** Crawler settings (web-crawler only). */
  webCrawler?: {
    /** "sitemap" (follow the site's sitemaps) or "discover" (follow links). Default "sitemap". */
    parseType?: "sitemap" | "discover";
    parseOptions?: {
      /** CSS selectors of the content to index, per URL path glob. Default: none (the whole page). */
      contentSelector?: { path: string; selector: string }[];
      /**
       * Up to 5 headers sent with every crawl request. Default: none. Wrap in `pulumi.secret()` if
       * they hold credentials.
       */
      includeHeaders?: Record<string, string>;
      /** Index images too. Default false. */
      includeImages?: boolean;
      /** Only with parseType "sitemap": these sitemaps instead of the site's own. Default: none. */
      specificSitemaps?: string[];
      /** Render pages in a browser before indexing. Default true. */
      useBrowserRendering?: boolean;
    };
    /** How "discover" follows links. No documented defaults: removing a key keeps its value. */
    discoverOptions?: {
      depth?: number;
      /** Follow links to other sites. Default false. */
      includeExternalLinks?: boolean;
      includeSubdomains?: boolean;
      /** At most this many pages (up to 100000). */
      limit?: number;
      /** Seconds (up to 604800, 7 days). */
      maxAge?: number;
      source?: "all" | "sitemaps" | "links";
    };
  };
}

/**
/**
 * The public endpoint of the instance; camelCase of `public_endpoint_params`. Sent (and replaced
 * by the API) as a whole: a change is an update in place, and a key left out goes back to its
 * default; except `customDomains`, which the API keeps when a PUT leaves it out, so removing it
 * (or the whole object) sends an explicit empty list, which unbinds the domain.
 */
export interface PublicEndpointParams {
  /** Serve the public endpoint. Removing it sends `false`: the endpoint is turned off. */
  enabled?: boolean;
  /** Hosts allowed to call the endpoint from a browser. */
  authorizedHosts?: string[];
  /**
   * A hostname you own that serves the endpoint (at most one; needs `enabled: true`). Default:
   * none. A change is sent in a PUT of its own (SDK 7.3 asks for custom domains in separate
   * PUTs); removing it unbinds the domain. Cloudflare refuses a hostname of another account (7090)
   * or one already bound elsewhere (7091).
   */
  customDomains?: string[];
  /**
   * Serve it on the default `<publicEndpointId>.search.ai.cloudflare.com` host too. Default true,
   * and back to true when left out of an update. `false` needs a custom domain.
   */
  defaultDomainEnabled?: boolean;
  mcp?: { description?: string; disabled?: boolean };
  rateLimit?: { periodMs?: number; requests?: number; technique?: "fixed" | "sliding" };
  searchEndpoint?: { disabled?: boolean };
  chatCompletionsEndpoint?: { disabled?: boolean };
}

/**
 * What a program passes to `new AiSearchInstance(...)`. `accountId` and `instanceId` are required.
 *
 * A change of `accountId`, `instanceId`, `namespace`, `type`, `source` or `embeddingModel` replaces
 * the instance: the old one is deleted first (the id is yours), with its index, and the new one
 * indexes from scratch. Any other change is an update in place (one full-body PUT). A setting
 * removed from the program goes back to the default given below, sent in that update; a setting
 * marked "kept" stays as the instance has it, so removing it alone is no change. A setting never
 * declared is not managed: refresh does not look at it.
 */
export interface AiSearchInstanceArgs {
  /** The Cloudflare account (32 hexadecimal characters). A change replaces the instance. */
  accountId: pulumi.Input<string>;
  /** The instance id you choose: 1 to 64 lowercase letters, digits, `-` or `_`. A change replaces the instance. */
  instanceId: pulumi.Input<string>;
  /**
   * AI Search namespace: its name (1 to 28 lowercase letters, digits or `-`, starting and ending
   * with a letter or digit), or an `AiSearchNamespace` (then Pulumi creates the namespace first
   * and deletes it last). Default "default". A change moves the instance in place (the API's
   * `PATCH … {new_namespace}`): it keeps its index, items, jobs and public endpoint id. Only when a
   * replace-only field (accountId, instanceId, type, source, embeddingModel) changes too is the
   * instance replaced instead.
   */
  namespace?: pulumi.Input<string> | AiSearchNamespaceRef;
  /**
   * "r2" (an R2 bucket) or "web-crawler" (a website); leave both `type` and `source` out for an
   * instance with built-in storage (items uploaded through the API). May be left out when `source`
   * is given: the API infers it (an http(s) URL is a web crawler, a bucket name is r2), the state
   * keeps the type the API answers, and that is no diff. A change replaces the instance.
   */
  type?: pulumi.Input<"r2" | "web-crawler">;
  /**
   * The R2 bucket name, or the website (e.g. "example.com"). A change replaces the instance. A
   * website is compared as the API stores it: "example.com", "https://example.com" and
   * "https://EXAMPLE.com/" are the same (no diff); another scheme, host or path is not.
   */
  source?: pulumi.Input<string>;
  /** What to index from the source, and how to crawl a website. An update in place. */
  sourceParams?: pulumi.Input<SourceParams>;
  /**
   * Id of the account's AI Search service API token: `ServiceApiToken.id`. Required for "r2", and
   * accepted for every type: pass it to every instance, so that Pulumi creates the token first and
   * deletes it last. Left out, the account must already have a registered token (create checks).
   * Write-only in the API: what a read returns is never compared; a change re-points the instance
   * in place. Removing it changes nothing in the account: the instance keeps the token it has.
   */
  tokenId?: pulumi.Input<string>;
  /**
   * Embedding model, set only at creation (the API's own rule): a change replaces the instance.
   * Default: the API's; the model it fills in is shown here and is no diff. Removing it: kept.
   */
  embeddingModel?: pulumi.Input<string>;
  /** Model that writes answers. Default: the account's configured or default model. An update in place. */
  aiSearchModel?: pulumi.Input<string>;
  /** Model that rewrites queries (with `rewriteQuery`). Default: the API's. An update in place. */
  rewriteModel?: pulumi.Input<string>;
  /** Model that reranks results (with `reranking`). Default: the API's. An update in place. */
  rerankingModel?: pulumi.Input<string>;
  /** Model that summarises items (with `summarization`). Default: the API's. An update in place. */
  summarizationModel?: pulumi.Input<string>;
  /** AI Gateway the instance's model calls go through. Default: none. An update in place. */
  aiGatewayId?: pulumi.Input<string>;
  /** Split items into chunks before embedding. Default true. An update in place. */
  chunk?: pulumi.Input<boolean>;
  /** Tokens per chunk, at least 64. Default 256. An update in place. */
  chunkSize?: pulumi.Input<number>;
  /** Overlap between chunks, 0 to 30 (percent). Default 10. An update in place. */
  chunkOverlap?: pulumi.Input<number>;
  /**
   * Which indexes to build. Default vector **and** keyword (each key left out is true; the
   * deprecated `hybrid_search_enabled` defaults to true). An update in place that re-indexes the
   * whole instance; removing it sends the default (both).
   */
  indexMethod?: pulumi.Input<{ keyword?: boolean; vector?: boolean }>;
  /**
   * `keywordTokenizer` (default "porter") and `useOcr` (OCR of PDFs and images, default false).
   * An update in place; a change of either re-indexes the whole instance; removing one sends its
   * default.
   */
  indexingOptions?: pulumi.Input<{ keywordTokenizer?: "porter" | "trigram"; useOcr?: boolean }>;
  /**
   * Metadata fields to index and filter on: at most 20; `timestamp`, `folder` and `filename` are
   * reserved (every instance has them). Default: none. An update in place; removing it sends an
   * empty list.
   */
  customMetadata?: pulumi.Input<
    { fieldName: string; dataType: "text" | "number" | "boolean" | "datetime" }[]
  >;
  /** Results per search, 1 to 50. Default 10. An update in place. */
  maxNumResults?: pulumi.Input<number>;
  /** Lowest score of a result, 0 to 1. Default 0.4. An update in place. */
  scoreThreshold?: pulumi.Input<number>;
  /** Rerank results. Default false. An update in place. */
  reranking?: pulumi.Input<boolean>;
  /** Rewrite queries before searching. Default false. An update in place. */
  rewriteQuery?: pulumi.Input<boolean>;
  /** How vector and keyword results are combined. Default "rrf". An update in place. */
  fusionMethod?: pulumi.Input<"max" | "rrf">;
  /**
   * Boosts by metadata field (default none) and keyword match mode (default "and"). An update in
   * place; a removed key goes back to its default.
   */
  retrievalOptions?: pulumi.Input<{
    /**
     * `field` is "timestamp" or a field of `customMetadata`. `direction`: "asc" or "desc" (number,
     * datetime and timestamp fields only), "exists" or "not_exists" (any field). The API's default
     * is "asc" for numbers and datetimes, "exists" for text and booleans.
     */
    boostBy?: { field: string; direction?: "asc" | "desc" | "exists" | "not_exists" }[];
    keywordMatchMode?: "and" | "or";
  }>;
  /** Cache answers to similar queries. Default true. An update in place. */
  cache?: pulumi.Input<boolean>;
  /** How similar a query must be to use the cache. Default "close_enough". An update in place. */
  cacheThreshold?: pulumi.Input<"super_strict_match" | "close_enough" | "flexible_friend" | "anything_goes">;
  /**
   * Seconds: one of 600, 1800, 3600, 7200, 14400, 21600, 43200, 86400, 172800, 259200, 518400.
   * Default 172800. An update in place.
   */
  cacheTtl?: pulumi.Input<number>;
  /** Seconds between scheduled syncs: one of 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400. Default 21600. An update in place. */
  syncInterval?: pulumi.Input<number>;
  /** Stops scheduled syncs. Default false. An update in place. */
  paused?: pulumi.Input<boolean>;
  /** Summarise items while indexing. Default false. An update in place. */
  summarization?: pulumi.Input<boolean>;
  /** System prompt for answers. Default: the API's. An update in place. */
  systemPromptAiSearch?: pulumi.Input<string>;
  /** System prompt for item summaries. Default: the API's. An update in place. */
  systemPromptIndexSummarization?: pulumi.Input<string>;
  /** System prompt for query rewriting. Default: the API's. An update in place. */
  systemPromptRewriteQuery?: pulumi.Input<string>;
  /**
   * The instance's public endpoint. Default: the API's (off). An update in place; the API
   * replaces it whole, so a key left out goes back to its default. Removing the whole object turns
   * the endpoint off (`enabled: false`) and unbinds its custom domain (an explicit empty list: a
   * PUT without `custom_domains` keeps them).
   */
  publicEndpointParams?: pulumi.Input<PublicEndpointParams>;
  /**
   * Sync jobs started by `pulumi up` (r2 and web-crawler only: built-in storage indexes on upload).
   * `onCreate` starts one right after the instance is created; a change of `onChangeOf` (a build
   * id, a content hash, a release tag) starts one, and is an update that changes nothing else.
   * `waitSeconds` waits that long for the job to end (a job that ends in error fails the update,
   * with its log summarised); without it the job is started and left to run. A manual sync within
   * 30 s of the last (7020, cooldown) is waited out. `pulumi preview` never starts one.
   * Default: none (the instance indexes on its schedule). Declaring `sync` (with `onCreate` or
   * `onChangeOf`) on an instance that had none starts a job; so does the next `up` after a create
   * whose sync failed. `waitSeconds` is at most 3600.
   */
  sync?: pulumi.Input<{
    onCreate?: pulumi.Input<boolean>;
    onChangeOf?: pulumi.Input<string | number>;
    waitSeconds?: pulumi.Input<number>;
  }>;
  /**
   * Adopt an instance that already exists with this id (its configuration is then updated to the
   * one declared here) instead of failing with 7022; if none exists it is created as usual. An
   * adopted instance is left in place on destroy unless `{ deleteOnDestroy: true }`. Its type,
   * source and embedding model must match the declared ones. Default: not adopted.
   */
  adopt?: pulumi.Input<boolean | { deleteOnDestroy?: pulumi.Input<boolean> }>;
  /**
   * Where this resource's Cloudflare credentials are, when the program manages several accounts:
   * the NAMES of stack config keys (`"production:apiToken"`) or environment variables, never the
   * values (see {@link CloudflareCredentials}). Default: the stack's (`cloudflare:apiToken`, then
   * `CLOUDFLARE_API_TOKEN`). The value is read at run time and is never an input or output; a change
   * of the names updates state only (no API call). A name set nowhere fails the preview.
   */
  credentials?: CloudflareCredentials;
}

/** The longest a `pulumi up` waits for one sync job (an hour): longer belongs in a pipeline step. */
export const MAX_SYNC_WAIT_SECONDS = 3600;

export const ACCOUNT_ID_PATTERN = /^[0-9a-f]{32}$/;
/** At most this many custom metadata fields (wrangler 4.164's check; reference, "Corrections"). */
export const MAX_CUSTOM_METADATA_FIELDS = 20;
/** Metadata fields every instance has: a custom field may not take their names. */
export const RESERVED_METADATA_FIELDS = ["timestamp", "folder", "filename"] as const;

const nonEmpty = (what: string) => z.string().trim().min(1, `must not be empty; ${what}`);
const model = () => nonEmpty("leave it out for the default model").optional();
const prompt = () => nonEmpty("leave it out for the default prompt").optional();
const oneOf = <T extends readonly number[]>(values: T, unit: string) =>
  z
    .number({ error: `must be a number of ${unit}` })
    .int()
    .refine((v) => values.includes(v), { message: `must be one of ${values.join(", ")} (${unit})` });

const SourceParamsSchema = z.strictObject({
  prefix: z.string().optional(),
  includeItems: z.array(nonEmpty("remove the empty glob")).optional(),
  excludeItems: z.array(nonEmpty("remove the empty glob")).optional(),
  r2Jurisdiction: nonEmpty('leave it out for "default"').optional(),
  webCrawler: z
    .strictObject({
      parseType: z.enum(["sitemap", "discover"], { error: 'must be "sitemap" or "discover"' }).optional(),
      parseOptions: z
        .strictObject({
          contentSelector: z
            .array(
              z.strictObject({ path: nonEmpty("a URL path glob"), selector: nonEmpty("a CSS selector") }),
            )
            .min(1, "must not be empty (the API refuses an empty list); leave contentSelector out instead")
            .optional(),
          includeHeaders: z
            .record(z.string().min(1), z.string())
            .refine((h) => Object.keys(h).length <= 5, "may hold at most 5 headers")
            .optional(),
          includeImages: z.boolean().optional(),
          specificSitemaps: z.array(nonEmpty("a sitemap URL")).optional(),
          useBrowserRendering: z.boolean().optional(),
        })
        .optional(),
      discoverOptions: z
        .strictObject({
          depth: z.number().int().min(0).optional(),
          includeExternalLinks: z.boolean().optional(),
          includeSubdomains: z.boolean().optional(),
          limit: z.number().int().min(1).max(100000, "must be at most 100000 pages").optional(),
          maxAge: z.number().int().min(0).max(604800, "must be at most 604800 seconds (7 days)").optional(),
          source: z.enum(["all", "sitemaps", "links"]).optional(),
        })
        .optional(),
    })
    .optional(),
});

export const PublicEndpointParamsSchema = z.strictObject({
  enabled: z.boolean().optional(),
  authorizedHosts: z.array(nonEmpty("a host name")).optional(),
  customDomains: z.array(nonEmpty("a domain")).optional(),
  defaultDomainEnabled: z.boolean().optional(),
  mcp: z.strictObject({ description: z.string().optional(), disabled: z.boolean().optional() }).optional(),
  rateLimit: z
    .strictObject({
      periodMs: z.number().int().positive().optional(),
      requests: z.number().int().positive().optional(),
      technique: z.enum(["fixed", "sliding"], { error: 'must be "fixed" or "sliding"' }).optional(),
    })
    .optional(),
  searchEndpoint: z.strictObject({ disabled: z.boolean().optional() }).optional(),
  chatCompletionsEndpoint: z.strictObject({ disabled: z.boolean().optional() }).optional(),
});

export const AiSearchInstanceInputsSchema = z.strictObject({
  accountId: z
    .string({ error: "accountId is required: the 32-character hexadecimal Cloudflare account id" })
    .regex(
      ACCOUNT_ID_PATTERN,
      "must be the 32-character hexadecimal Cloudflare account id (dashboard: Account home, Account ID)",
    ),
  instanceId: z
    .string({ error: 'instanceId is required: the id you choose for the instance, e.g. "docs-search"' })
    .regex(
      INSTANCE_ID_PATTERN,
      "must be 1 to 64 lowercase letters, digits, '-' or '_', e.g. \"docs-search\"",
    ),
  namespace: z
    .string()
    .regex(NAMESPACE_NAME_PATTERN, `must be ${NAMESPACE_NAME_RULE}; leave it out for "default"`)
    .default(DEFAULT_NAMESPACE),
  type: z
    .enum(["r2", "web-crawler"], {
      error:
        'must be "r2" (an R2 bucket) or "web-crawler" (a website); leave type and source out for built-in storage',
    })
    .optional(),
  source: nonEmpty("it is the R2 bucket name or the website").optional(),
  sourceParams: SourceParamsSchema.optional(),
  tokenId: nonEmpty("pass the ServiceApiToken's id").optional(),
  embeddingModel: model(),
  aiSearchModel: model(),
  rewriteModel: model(),
  rerankingModel: model(),
  summarizationModel: model(),
  aiGatewayId: nonEmpty("leave it out to use no AI Gateway").optional(),
  chunk: z.boolean().optional(),
  chunkSize: z.number().int().min(64, "must be at least 64 (tokens)").optional(),
  chunkOverlap: z.number().int().min(0).max(30, "must be 0 to 30 (percent)").optional(),
  indexMethod: z.strictObject({ keyword: z.boolean().optional(), vector: z.boolean().optional() }).optional(),
  indexingOptions: z
    .strictObject({
      keywordTokenizer: z.enum(["porter", "trigram"], { error: 'must be "porter" or "trigram"' }).optional(),
      useOcr: z.boolean().optional(),
    })
    .optional(),
  customMetadata: z
    .array(
      z.strictObject({
        fieldName: nonEmpty("name the metadata field").refine(
          (name) => !(RESERVED_METADATA_FIELDS as readonly string[]).includes(name),
          {
            error: (issue) =>
              `"${String(issue.input)}" is reserved (every instance has ${RESERVED_METADATA_FIELDS.join(", ")}); choose another name`,
          },
        ),
        dataType: z.enum(["text", "number", "boolean", "datetime"], {
          error: 'must be "text", "number", "boolean" or "datetime"',
        }),
      }),
    )
    .max(
      MAX_CUSTOM_METADATA_FIELDS,
      `may hold at most ${MAX_CUSTOM_METADATA_FIELDS} fields (the API's limit); remove some`,
    )
    .optional(),
  maxNumResults: z.number().int().min(1).max(50, "must be 1 to 50").optional(),
  scoreThreshold: z.number().min(0).max(1, "must be 0 to 1").optional(),
  reranking: z.boolean().optional(),
  rewriteQuery: z.boolean().optional(),
  fusionMethod: z.enum(["max", "rrf"], { error: 'must be "max" or "rrf"' }).optional(),
  retrievalOptions: z
    .strictObject({
      boostBy: z
        .array(
          z.strictObject({
            field: nonEmpty('"timestamp" or a customMetadata field'),
            direction: z
              .enum(["asc", "desc", "exists", "not_exists"], {
                error: 'must be "asc", "desc", "exists" or "not_exists"',
              })
              .optional(),
          }),
        )
        .optional(),
      keywordMatchMode: z.enum(["and", "or"], { error: 'must be "and" or "or"' }).optional(),
    })
    .optional(),
  cache: z.boolean().optional(),
  cacheThreshold: z
    .enum(["super_strict_match", "close_enough", "flexible_friend", "anything_goes"], {
      error: 'must be "super_strict_match", "close_enough", "flexible_friend" or "anything_goes"',
    })
    .optional(),
  cacheTtl: oneOf(CACHE_TTLS, "seconds").optional(),
  syncInterval: oneOf(SYNC_INTERVALS, "seconds").optional(),
  paused: z.boolean().optional(),
  summarization: z.boolean().optional(),
  systemPromptAiSearch: prompt(),
  systemPromptIndexSummarization: prompt(),
  systemPromptRewriteQuery: prompt(),
  publicEndpointParams: PublicEndpointParamsSchema.optional(),
  sync: z
    .strictObject({
      onCreate: z.boolean().optional(),
      onChangeOf: z.union([z.string(), z.number()], { error: "must be a string or a number" }).optional(),
      waitSeconds: z
        .number({ error: "must be a number of seconds" })
        .int()
        .min(0)
        .max(MAX_SYNC_WAIT_SECONDS, `must be at most ${MAX_SYNC_WAIT_SECONDS} (seconds)`)
        .optional(),
    })
    .optional(),
  // `true` is short for `{ deleteOnDestroy: false }`; `false` is the same as leaving it out.
  adopt: z
    .union([z.boolean(), z.strictObject({ deleteOnDestroy: z.boolean().optional() })], {
      error: "must be true, or { deleteOnDestroy: true } to also delete the adopted instance on destroy",
    })
    .transform((a) =>
      a === false ? undefined : { deleteOnDestroy: a === true ? false : !!a.deleteOnDestroy },
    )
    .optional(),
});

/** The plain inputs the provider works with, after defaults (`adopt` normalised to an object or absent). */
export type AiSearchInstanceInputs = z.infer<typeof AiSearchInstanceInputsSchema>;

/** Every input key, in schema order. */
export const INPUT_KEYS = Object.keys(AiSearchInstanceInputsSchema.shape) as (keyof AiSearchInstanceInputs)[];

/** Where the instance is: none of these is sent as a setting. */
export const IDENTITY_KEYS = ["accountId", "instanceId", "namespace"] as const;
/**
 * Changes of these replace the instance (delete first: the id is user-chosen). A `namespace`
 * change is not among them: it moves the instance (provider.ts `update`).
 */
export const REPLACE_KEYS = ["accountId", "instanceId", "type", "source", "embeddingModel"] as const;

const SERVICE_TOKEN_HINT =
  'an "r2" instance needs the id of the account\'s AI Search service API token, the Cloudflare API token ' +
  "that AI Search itself uses to read the bucket (one per account, shared by every instance). Create it " +
  "with this package and pass its id:\n" +
  '    const serviceToken = new ServiceApiToken("ai-search-token", { accountId });\n' +
  "    ... tokenId: serviceToken.id,\n" +
  "  or, if the account already has one, adopt it: new ServiceApiToken(..., { accountId, adopt: { name } }).";

/** Rules across fields, run after the schema (and skipped for fields unknown during preview). */
export function crossCheckAiSearchInstance(
  inputs: AiSearchInstanceInputs,
  unknownKeys: readonly string[],
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const known = (key: keyof AiSearchInstanceInputs) => !unknownKeys.includes(key);
  const fail = (property: string, reason: string) =>
    failures.push({ property, reason: `${property}: ${reason}` });
  const { source, sourceParams } = inputs;
  // A `type` left out is the one the API infers from `source`; every rule below uses that.
  const type = effectiveType(inputs);

  if (known("type") && known("source")) {
    if (inputs.type !== undefined && source === undefined) {
      fail(
        "source",
        `is required when type is "${inputs.type}": ` +
          (inputs.type === "r2" ? "the R2 bucket name" : 'the website to crawl, e.g. "example.com"'),
      );
    }
    if (inputs.type === undefined && source !== undefined && inferredType(source) === undefined) {
      fail(
        "type",
        `is required with source "${source}": the API infers it only from an http(s) URL (a web crawler) ` +
          'or an R2 bucket name; set "r2" for an R2 bucket or "web-crawler" for a website (leave both out ' +
          "for built-in storage)",
      );
    }
  }
  if (known("type") && known("source") && known("sync") && type === undefined && inputs.sync !== undefined) {
    fail(
      "sync",
      "built-in storage instances have no sync jobs (items are indexed as they are uploaded); remove sync, " +
        'or give the instance a type and source ("r2" or "web-crawler")',
    );
  }
  if (known("type") && known("source") && known("tokenId") && type === "r2" && inputs.tokenId === undefined) {
    fail("tokenId", SERVICE_TOKEN_HINT);
  }
  if (known("type") && known("source") && source !== undefined) {
    if (type === "r2" && !R2_BUCKET_PATTERN.test(source)) {
      fail(
        "source",
        "must be an R2 bucket name: 3 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit",
      );
    }
    if (type === "web-crawler" && !looksLikeWebsite(source)) {
      fail(
        "source",
        'must be a domain or URL of the website to crawl, e.g. "example.com" or "https://example.com/docs"',
      );
    }
  }
  if (known("type") && known("source") && known("sourceParams") && sourceParams !== undefined) {
    if (type === undefined && source === undefined) {
      fail("sourceParams", "only applies to r2 and web-crawler instances; remove it for built-in storage");
    }
    if (type === "r2" && sourceParams.webCrawler !== undefined) {
      fail("sourceParams.webCrawler", 'only applies to type "web-crawler"; remove it for an r2 instance');
    }
    if (type === "web-crawler" && sourceParams.r2Jurisdiction !== undefined) {
      fail("sourceParams.r2Jurisdiction", 'only applies to type "r2"; remove it for a web crawler');
    }
  }
  const crawler = known("sourceParams") ? sourceParams?.webCrawler : undefined;
  if (crawler?.parseOptions?.specificSitemaps !== undefined && crawler.parseType === "discover") {
    fail(
      "sourceParams.webCrawler.parseOptions.specificSitemaps",
      'only works with parseType "sitemap" (Cloudflare error 7045); remove it or set parseType: "sitemap"',
    );
  }
  if (known("retrievalOptions") && known("customMetadata")) {
    failures.push(...boostByFailures(inputs));
  }
  if (known("publicEndpointParams")) failures.push(...publicEndpointFailures(inputs.publicEndpointParams));
  return failures;
}

/**
 * `retrievalOptions.boostBy`: each field is "timestamp" or a declared custom-metadata field (when
 * the program declares its metadata; an undeclared list may be the instance's own), and "asc" /
 * "desc" only work on numbers, datetimes and the timestamp (SDK 7.3 field docs).
 */
function boostByFailures(inputs: AiSearchInstanceInputs): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const declared = inputs.customMetadata;
  const typeOf = new Map<string, string>([["timestamp", "datetime"]]);
  for (const f of declared ?? []) typeOf.set(f.fieldName, f.dataType);
  (inputs.retrievalOptions?.boostBy ?? []).forEach((boost, i) => {
    const at = `retrievalOptions.boostBy[${i}]`;
    const dataType = typeOf.get(boost.field);
    if (declared !== undefined && dataType === undefined) {
      const names = ["timestamp", ...declared.map((f) => f.fieldName)].map((n) => `"${n}"`).join(", ");
      failures.push({
        property: `${at}.field`,
        reason: `${at}.field: "${boost.field}" is neither "timestamp" nor a customMetadata field (${names}); declare it in customMetadata or boost by one of those`,
      });
    }
    const ordered = boost.direction === "asc" || boost.direction === "desc";
    if (ordered && (dataType === "text" || dataType === "boolean")) {
      failures.push({
        property: `${at}.direction`,
        reason: `${at}.direction: "${boost.direction}" needs a number or datetime field, and "${boost.field}" is ${dataType}; use "exists" or "not_exists"`,
      });
    }
  });
  return failures;
}

function looksLikeWebsite(source: string): boolean {
  if (/\s/.test(source)) return false;
  try {
    const url = new URL(source.includes("://") ? source : `https://${source}`);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".");
  } catch {
    return false;
  }
}

/** What the provider keeps in state: the inputs as declared (refreshed from the API) plus what the API computes. */
export type AiSearchInstanceOutputs = AiSearchInstanceInputs & {
  /** True when an existing instance was adopted rather than created (then it is kept on destroy unless asked). */
  adopted: boolean;
  /** As the API reports it, e.g. "waiting"; undocumented values. */
  status?: string;
  createdAt?: string;
  modifiedAt?: string;
  createdBy?: string;
  modifiedBy?: string;
  enable?: boolean;
  engineVersion?: string;
  publicEndpointId?: string;
  vectorizeName?: string;
  lastActivity?: string;
  /** The sync job the last `pulumi up` started (`sync`). */
  lastSyncJobId?: string;
  /** How that job ended (`end_reason`), if `pulumi up` waited for it to end. */
  lastSyncEndReason?: string;
  /** The instance's indexing counts, read after that sync (`GET …/stats`). */
  stats?: SyncStats;
};

/** The instance's counts as `GET …/stats` gives them, in camelCase. */
export interface SyncStats {
  completed?: number;
  queued?: number;
  running?: number;
  error?: number;
  skipped?: number;
  outdated?: number;
  lastActivity?: string;
}

/** What the API computes, as output names. */
export const COMPUTED_KEYS = [
  "adopted",
  "status",
  "createdAt",
  "modifiedAt",
  "createdBy",
  "modifiedBy",
  "enable",
  "engineVersion",
  "publicEndpointId",
  "vectorizeName",
  "lastActivity",
  "lastSyncJobId",
  "lastSyncEndReason",
  "stats",
] as const;

/** The output keys, seeded as `undefined` in props so that every one becomes an Output property. */
export const AI_SEARCH_INSTANCE_OUTPUT_KEYS: readonly string[] = [...INPUT_KEYS, ...COMPUTED_KEYS];
