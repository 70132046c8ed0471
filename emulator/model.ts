// The records the emulator keeps. Secrets are stored only as SHA-256 digests, so neither the
// state snapshot nor the data file can leak a token value or a `cf_api_key`.

export type TokenOwnerType = "user" | "account";
export type ApiTokenStatus = "active" | "disabled" | "expired" | "revoked (exposed)";

export interface StoredPermissionGroupRef {
  id: string;
  name: string;
  meta?: { key?: string | undefined; value?: string | undefined } | undefined;
}

export interface StoredPolicy {
  id: string;
  effect: "allow" | "deny";
  resources: Record<string, string | Record<string, string>>;
  permission_groups: StoredPermissionGroupRef[];
}

/** A Cloudflare API token, user-owned (`/user/tokens`) or account-owned (`/accounts/{id}/tokens`). */
export interface ApiTokenRecord {
  id: string;
  name: string;
  owner: { type: TokenOwnerType; id: string };
  status: ApiTokenStatus;
  policies: StoredPolicy[];
  condition?: Record<string, unknown> | undefined;
  expires_on?: string | null | undefined;
  not_before?: string | null | undefined;
  issuedAtMs: number;
  modifiedAtMs: number;
  lastUsedAtMs: number | null;
  /** SHA-256 of the current secret. */
  secretDigest: string;
  /** When the current secret was minted or rolled. */
  secretIssuedAtMs: number;
  /** Registrations refused so far because the current secret had "not propagated". */
  propagationAttempts: number;
  /** True once a registration with the current secret succeeded: no more propagation failures. */
  propagated: boolean;
  /** The token the emulator was started with. */
  bootstrap: boolean;
}

/** A credential registered with AI Search (`/accounts/{id}/ai-search/tokens`). */
export interface AiSearchTokenRecord {
  id: string;
  name: string;
  cf_api_id: string;
  /** SHA-256 of `cf_api_key`. */
  keyDigest: string;
  legacy: boolean;
  enabled: boolean;
  createdAtMs: number;
  modifiedAtMs: number;
  created_by: string | null;
  modified_by: string | null;
}

/** An AI Search instance. `settings` holds the validated configuration, `token_id` included. */
export interface InstanceRecord {
  id: string;
  namespace: string;
  settings: Record<string, unknown>;
  createdAtMs: number;
  modifiedAtMs: number;
  status: string;
  public_endpoint_id: string;
  created_by: string | null;
  modified_by: string | null;
  /** Set while a deleted instance is still being torn down: when it will be gone (epoch ms). */
  goneAtMs?: number;
}

/** An AI Search namespace (reference 3.1). `default` always exists; it has no creation time. */
export interface NamespaceRecord {
  name: string;
  description: string | null;
  /** Replaced whole on PUT, like an instance's. */
  public_endpoint_params: Record<string, unknown> | null;
  public_endpoint_id: string;
  /** Null for `default`, which the account always had. */
  createdAtMs: number | null;
  modifiedAtMs: number | null;
}

/**
 * A sync job of one instance (reference 3.6). What it has indexed, and whether it has ended, is
 * derived from the clock (jobs.ts): the duration, outcome and item count are fixed when it starts.
 */
export interface JobRecord {
  id: string;
  namespace: string;
  instanceId: string;
  source: "user" | "schedule";
  description: string | null;
  startedAtMs: number;
  durationMs: number;
  outcome: "success" | "error";
  /** The `end_reason` when `outcome` is `error`. */
  errorReason: string;
  itemCount: number;
  /** Set by a cancel: the job ended then. */
  cancelledAtMs?: number;
}

/** Everything that persists. */
export interface PersistedState {
  version: 1;
  accountId: string;
  userId: string;
  apiTokens: ApiTokenRecord[];
  aiSearchTokens: AiSearchTokenRecord[];
  instances: InstanceRecord[];
  /** AI Search token id -> epoch ms until which its deletion still answers 7076. */
  teardowns: Record<string, number>;
  /** Absent in data files written before namespaces existed: then only `default`. */
  namespaces?: NamespaceRecord[];
  /** Absent in data files written before jobs existed. */
  jobs?: JobRecord[];
}
