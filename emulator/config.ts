// Behaviour switches: what the tests can turn to cover both readings of third-party or
// conflicting facts in the reference. Settable at start-up and at runtime (PUT /__emulator/config).
import { z } from "zod";

export interface RateLimitConfig {
  /** When false no request is ever refused, but the headers are still sent. */
  enabled: boolean;
  /** Requests allowed per window, per bearer token. */
  quota: number;
  /** Window length in seconds; going over blocks the token for this long. */
  windowSeconds: number;
}

export type AccountTokenRequirement = "every-instance" | "r2" | "none";

export interface EmulatorBehaviour {
  /** How many registration attempts (AI Search token create or update) with a freshly minted or rolled API token fail with 7012. */
  propagationFailures: number;
  /** For how long after an API token is minted or rolled its registration fails with 7012. */
  propagationMs: number;
  /** For how long after the last instance using an AI Search token is deleted, deleting the token still answers 409 / 7076. */
  instanceTeardownMs: number;
  /** For how long a deleted instance stays readable (status "deleting") before it is gone, as real teardown runs in the background. */
  instanceDeleteMs: number;
  /** Return `token_id` in instance responses (conflict C2). Off: it is write-only. */
  echoTokenIdOnRead: boolean;
  /** The value of `legacy` when an AI Search token create or update omits it (conflict C3). */
  legacyDefault: boolean;
  /** HTTP status of a successful AI Search token create (conflict C11). */
  aiSearchTokenCreateStatus: 200 | 201;
  /** Timestamps of AI Search tokens and instances: `2026-01-02T03:04:05Z` or `2026-01-02 03:04:05` (conflict C12). */
  aiSearchTimestampStyle: "rfc3339" | "space";
  /**
   * Which instance creates without `token_id` need a registered AI Search token on the account
   * (they then rely on it implicitly); without one they are refused with 7012 (conflict C1).
   * `every-instance`: the founding "Service API token" page and wrangler (reference 1.1, "What
   * matters most"); `r2`: the newer page, only R2 sources; `none`: never refused.
   */
  accountTokenRequiredFor: AccountTokenRequirement;
  /**
   * Deleting an AI Search token that instances rely on implicitly (created without `token_id`):
   * `allow` (the docs warn that such instances "lose access to their data source and stop
   * indexing", so it is possible) or `refuse` with 409 / 7076 like an explicit `token_id` user.
   */
  implicitTokenDeletion: "allow" | "refuse";
  /**
   * The most items one page of a list holds, whatever `per_page` (1-100) asked for; `result_info`
   * reports the size used. The reference documents the accepted range, not that a page is that
   * large, so the emulator serves less by default: a client must follow `result_info`, not its own
   * `per_page` (issue 9, defect 7). 100 honours every accepted `per_page`.
   */
  pageSizeCap: number;
  /** Add `total_pages` to the `result_info` of AI Search lists (the real ones have none: reference 2.1, 5.2). */
  aiSearchTotalPages: boolean;
  /** Per-token GET and DELETE on a legacy AI Search token answer 401 (reference 2.4, conflict C3). */
  refuseLegacyTokenRoutes: boolean;
  /** Fill in the server's defaults for instance settings a create leaves out (reference 3.2-3.4, 7.1). */
  fillInstanceDefaults: boolean;
  /** Store instance values in the server's normal form (a web-crawler domain becomes `https://<domain>`, `""` models become null). */
  normaliseInstanceValues: boolean;
  /** Return the write-only instance settings (system prompts, summarization, `chunk`) in responses (TF `no_refresh`, reference 7.1). */
  echoWriteOnlyInstanceFields: boolean;
  /** Added before every API answer (not the admin API), as a round trip to the real API takes: benchmarks of the critical path. */
  latencyMs: number;
  rateLimit: RateLimitConfig;
  /** How many namespaces an account may hold, `default` included; one more is 7062 (reference 3.1: 100). */
  maxNamespaces: number;
  /** How long a sync job runs before it ends (jobs.ts). Its items are indexed evenly over this time. */
  jobDurationMs: number;
  /** How a sync job that is not cancelled ends: `success` indexes every item, `error` fails them. */
  jobOutcome: "success" | "error";
  /** The `end_reason` (and last log line) of a job that ends in error. */
  jobErrorReason: string;
  /** How many items a sync job finds in the data source and indexes. */
  jobItemCount: number;
  /** Minimum time between two manual syncs of one instance; sooner is 7020 / 429 (reference 3.6: 30 s). */
  syncCooldownMs: number;
  /**
   * Answer the deprecated account-level instance routes (`/accounts/{id}/ai-search/instances…`,
   * jobs included) as a path Cloudflare does not serve: 404 with 7003 + 7000. SDK 7.3 marks them
   * deprecated; Cloudflare still serves them, so off by default.
   */
  retireAccountLevelInstanceRoutes: boolean;
  /**
   * SDK 7.3 on instance PUT: "Submit Search for Agents metadata and restrictive or unknown public
   * endpoint changes or custom domains in separate PUT requests." `enforce` (the harder reading,
   * also for namespaces): a PUT that mixes two of these is refused with 400 naming them; `lax`:
   * accepted, as the API reference (which does not state the rule) may be read.
   */
  separatePublicEndpointPuts: "enforce" | "lax";
  /** Hostnames whose zone belongs to another account: binding one as a custom domain is 7090. */
  foreignCustomDomains: string[];
}

export const DEFAULT_BEHAVIOUR: EmulatorBehaviour = {
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
  retireAccountLevelInstanceRoutes: false,
  separatePublicEndpointPuts: "enforce",
  foreignCustomDomains: [],
};

/** A partial behaviour, as start-up options and the config endpoint take it. */
export type BehaviourPatch = Partial<Omit<EmulatorBehaviour, "rateLimit">> & {
  rateLimit?: Partial<RateLimitConfig>;
  /**
   * Deprecated spelling kept so older tests still configure: `true` is `accountTokenRequiredFor:
   * "r2"`, `false` is `"none"`. `accountTokenRequiredFor` wins when both are given.
   */
  requireTokenIdForFirstR2?: boolean;
};

const nonNegativeInt = z.number().int().min(0);

export const BehaviourPatchSchema = z.strictObject({
  propagationFailures: nonNegativeInt.optional(),
  propagationMs: nonNegativeInt.optional(),
  instanceTeardownMs: nonNegativeInt.optional(),
  instanceDeleteMs: nonNegativeInt.optional(),
  echoTokenIdOnRead: z.boolean().optional(),
  legacyDefault: z.boolean().optional(),
  aiSearchTokenCreateStatus: z.union([z.literal(200), z.literal(201)]).optional(),
  aiSearchTimestampStyle: z.enum(["rfc3339", "space"]).optional(),
  accountTokenRequiredFor: z.enum(["every-instance", "r2", "none"]).optional(),
  implicitTokenDeletion: z.enum(["allow", "refuse"]).optional(),
  requireTokenIdForFirstR2: z.boolean().optional(),
  pageSizeCap: z.number().int().min(1).max(100).optional(),
  aiSearchTotalPages: z.boolean().optional(),
  refuseLegacyTokenRoutes: z.boolean().optional(),
  fillInstanceDefaults: z.boolean().optional(),
  normaliseInstanceValues: z.boolean().optional(),
  echoWriteOnlyInstanceFields: z.boolean().optional(),
  maxNamespaces: z.number().int().min(1).optional(),
  jobDurationMs: nonNegativeInt.optional(),
  jobOutcome: z.enum(["success", "error"]).optional(),
  jobErrorReason: z.string().min(1).optional(),
  jobItemCount: nonNegativeInt.optional(),
  syncCooldownMs: nonNegativeInt.optional(),
  retireAccountLevelInstanceRoutes: z.boolean().optional(),
  separatePublicEndpointPuts: z.enum(["enforce", "lax"]).optional(),
  foreignCustomDomains: z.array(z.string().min(1)).optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  rateLimit: z
    .strictObject({
      enabled: z.boolean().optional(),
      quota: z.number().int().min(1).optional(),
      windowSeconds: z.number().int().min(1).optional(),
    })
    .optional(),
});

export function applyBehaviour(
  base: EmulatorBehaviour,
  patch: BehaviourPatch | undefined,
): EmulatorBehaviour {
  const p = BehaviourPatchSchema.parse(patch ?? {});
  const { rateLimit, requireTokenIdForFirstR2, ...rest } = p;
  if (requireTokenIdForFirstR2 !== undefined && rest.accountTokenRequiredFor === undefined) {
    rest.accountTokenRequiredFor = requireTokenIdForFirstR2 ? "r2" : "none";
  }
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  const rl = Object.fromEntries(Object.entries(rateLimit ?? {}).filter(([, v]) => v !== undefined));
  return { ...base, ...defined, rateLimit: { ...base.rateLimit, ...rl } };
}

export function cloneBehaviour(b: EmulatorBehaviour): EmulatorBehaviour {
  return { ...b, rateLimit: { ...b.rateLimit }, foreignCustomDomains: [...b.foreignCustomDomains] };
}
