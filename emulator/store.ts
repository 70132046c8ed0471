// The emulator's state: API tokens, AI Search tokens, instances and pending instance teardowns,
// with the indexes the routes need, a snapshot for tests, and persistence to the data file.
import { DEFAULT_USER_ID, digest, hexId } from "./ids";
import type {
  AiSearchTokenRecord,
  ApiTokenRecord,
  InstanceRecord,
  JobRecord,
  NamespaceRecord,
  PersistedState,
  StoredPolicy,
} from "./model";
import { ACCOUNT_SCOPE, PERMISSION_GROUPS, USER_SCOPE } from "./permissionGroups";
import { accountResource, effectiveStatus, userResource } from "./permissions";
import { jobPhase } from "./jobs";
import { loadDataFile, saveDataFile } from "./persistence";
import { credentialProblem } from "./registration";

export const DEFAULT_NAMESPACE = "default";

export interface StoreOptions {
  accountId: string | undefined;
  defaultAccountId: string;
  dataFile: string | undefined;
  /** The user the bootstrap token belongs to; each account of a multi-account emulator has its own. */
  userId?: string | undefined;
}

export class Store {
  accountId: string;
  userId: string;
  readonly dataFile: string | undefined;
  readonly apiTokens = new Map<string, ApiTokenRecord>();
  readonly aiSearchTokens = new Map<string, AiSearchTokenRecord>();
  /** Keyed by `${namespace}/${id}`; insertion order is creation order. */
  readonly instances = new Map<string, InstanceRecord>();
  readonly teardowns = new Map<string, number>();
  /** Keyed by name; `default` first, then in creation order. */
  readonly namespaces = new Map<string, NamespaceRecord>();
  /** Keyed by job id; insertion order is start order. */
  readonly jobs = new Map<string, JobRecord>();
  private readonly bySecret = new Map<string, string>();

  constructor(opts: StoreOptions) {
    this.dataFile = opts.dataFile;
    const loaded = opts.dataFile ? loadDataFile(opts.dataFile) : undefined;
    if (loaded && opts.accountId && loaded.accountId !== opts.accountId) {
      throw new Error(
        `Emulator data file ${opts.dataFile} belongs to account ${loaded.accountId}, not ${opts.accountId}; start without --account-id or use another --data-file.`,
      );
    }
    this.accountId = loaded?.accountId ?? opts.accountId ?? opts.defaultAccountId;
    this.userId = loaded?.userId ?? opts.userId ?? DEFAULT_USER_ID;
    if (loaded) this.load(loaded);
    this.ensureDefaultNamespace();
  }

  /** Every account has `default`; it cannot be created, deleted or renamed (reference 3.1). */
  private ensureDefaultNamespace(): void {
    if (this.namespaces.has(DEFAULT_NAMESPACE)) return;
    const rest = [...this.namespaces.values()];
    this.namespaces.clear();
    this.namespaces.set(DEFAULT_NAMESPACE, {
      name: DEFAULT_NAMESPACE,
      description: null,
      public_endpoint_params: null,
      public_endpoint_id: hexId(),
      createdAtMs: null,
      modifiedAtMs: null,
    });
    for (const n of rest) this.namespaces.set(n.name, n);
  }

  private load(state: PersistedState): void {
    for (const t of state.apiTokens) this.putApiToken(t);
    for (const t of state.aiSearchTokens) this.aiSearchTokens.set(t.id, t);
    for (const i of state.instances) this.instances.set(instanceKey(i.namespace, i.id), i);
    for (const [id, until] of Object.entries(state.teardowns)) this.teardowns.set(id, until);
    for (const n of state.namespaces ?? []) this.namespaces.set(n.name, n);
    for (const j of state.jobs ?? []) this.jobs.set(j.id, j);
  }

  // --- API tokens ---------------------------------------------------------------------------

  putApiToken(token: ApiTokenRecord): void {
    const previous = this.apiTokens.get(token.id);
    if (previous) this.bySecret.delete(previous.secretDigest);
    this.apiTokens.set(token.id, token);
    this.bySecret.set(token.secretDigest, token.id);
  }

  /** The token whose secret this is, if any. */
  tokenBySecret(secret: string): ApiTokenRecord | undefined {
    const id = this.bySecret.get(digest(secret));
    return id === undefined ? undefined : this.apiTokens.get(id);
  }

  /** Gives the token a new secret (mint or roll): the old one stops working at once. */
  setSecret(token: ApiTokenRecord, secret: string, nowMs: number): void {
    this.bySecret.delete(token.secretDigest);
    token.secretDigest = digest(secret);
    token.secretIssuedAtMs = nowMs;
    token.propagationAttempts = 0;
    token.propagated = false;
    this.bySecret.set(token.secretDigest, token.id);
  }

  deleteApiToken(id: string): boolean {
    const token = this.apiTokens.get(id);
    if (!token) return false;
    this.bySecret.delete(token.secretDigest);
    this.apiTokens.delete(id);
    return true;
  }

  bootstrapToken(): ApiTokenRecord | undefined {
    for (const t of this.apiTokens.values()) if (t.bootstrap) return t;
    return undefined;
  }

  /**
   * Makes sure the bootstrap user token exists with this secret. It holds every permission
   * group the package needs: the account-scoped ones on this account, API Tokens Write on the user.
   */
  ensureBootstrap(secret: string, nowMs: number): ApiTokenRecord {
    const existing = this.bootstrapToken();
    if (existing) {
      if (existing.secretDigest !== digest(secret)) {
        this.setSecret(existing, secret, nowMs);
      }
      existing.propagated = true;
      return existing;
    }
    const groupsFor = (scope: string) =>
      PERMISSION_GROUPS.filter((g) => g.scopes.includes(scope)).map((g) => ({ id: g.id, name: g.name }));
    const policies: StoredPolicy[] = [
      {
        id: hexId(),
        effect: "allow",
        resources: { [accountResource(this.accountId)]: "*" },
        permission_groups: groupsFor(ACCOUNT_SCOPE),
      },
      {
        id: hexId(),
        effect: "allow",
        resources: { [userResource(this.userId)]: "*" },
        permission_groups: groupsFor(USER_SCOPE),
      },
    ];
    const token: ApiTokenRecord = {
      id: hexId(),
      name: "Emulator bootstrap token",
      owner: { type: "user", id: this.userId },
      status: "active",
      policies,
      issuedAtMs: nowMs,
      modifiedAtMs: nowMs,
      lastUsedAtMs: null,
      secretDigest: digest(secret),
      secretIssuedAtMs: nowMs,
      propagationAttempts: 0,
      propagated: true,
      bootstrap: true,
    };
    this.putApiToken(token);
    return token;
  }

  // --- Instances ----------------------------------------------------------------------------

  getInstance(namespace: string, id: string): InstanceRecord | undefined {
    return this.instances.get(instanceKey(namespace, id));
  }

  putInstance(instance: InstanceRecord): void {
    this.instances.set(instanceKey(instance.namespace, instance.id), instance);
  }

  deleteInstance(namespace: string, id: string): boolean {
    this.dropJobsOf(namespace, id);
    return this.instances.delete(instanceKey(namespace, id));
  }

  /**
   * Moves an instance to another namespace: the same record (settings, public endpoint id, times)
   * under the new key, and its jobs (hence its index and stats) with it.
   */
  moveInstance(instance: InstanceRecord, to: string): void {
    for (const j of this.jobsOf(instance.namespace, instance.id)) j.namespace = to;
    this.instances.delete(instanceKey(instance.namespace, instance.id));
    instance.namespace = to;
    this.putInstance(instance);
  }

  /** The jobs of one instance, in start order. */
  jobsOf(namespace: string, instanceId: string): JobRecord[] {
    return [...this.jobs.values()].filter((j) => j.namespace === namespace && j.instanceId === instanceId);
  }

  /** An instance's jobs go with it, so a new instance with the same id starts with none. */
  private dropJobsOf(namespace: string, instanceId: string): void {
    for (const j of this.jobsOf(namespace, instanceId)) this.jobs.delete(j.id);
  }

  /** How many instances (being deleted included) the namespace holds. */
  instanceCountIn(namespace: string): number {
    let n = 0;
    for (const i of this.instances.values()) if (i.namespace === namespace) n++;
    return n;
  }

  /** Removes the deleted instances whose background teardown is over. True if any went. */
  sweepDeletedInstances(now: number): boolean {
    let swept = false;
    for (const [key, i] of this.instances) {
      if (i.goneAtMs !== undefined && i.goneAtMs <= now) {
        this.dropJobsOf(i.namespace, i.id);
        swept = this.instances.delete(key) || swept;
      }
    }
    return swept;
  }

  /** Ids of instances whose `token_id` is this AI Search token. */
  instancesUsingToken(aiSearchTokenId: string): string[] {
    const out: string[] = [];
    for (const i of this.instances.values()) if (i.settings.token_id === aiSearchTokenId) out.push(i.id);
    return out;
  }

  /** Ids of instances created without `token_id` that rely on this AI Search token (and name no other). */
  instancesRelyingImplicitly(aiSearchTokenId: string): string[] {
    const out: string[] = [];
    for (const i of this.instances.values()) {
      const binding = tokenBinding(i);
      if (binding?.how === "implicit" && binding.id === aiSearchTokenId) out.push(i.id);
    }
    return out;
  }

  /**
   * Deleting an instance keeps the token it relied on "in use" (7076) for the teardown window:
   * a named one always, the account's token only when implicit users also block its deletion.
   */
  startTeardown(instance: InstanceRecord, teardownMs: number, implicitBlocks: boolean, nowMs: number): void {
    const binding = tokenBinding(instance);
    if (!binding || teardownMs <= 0) return;
    if (binding.how === "implicit" && !implicitBlocks) return;
    this.teardowns.set(binding.id, Math.max(this.teardowns.get(binding.id) ?? 0, nowMs + teardownMs));
  }

  /**
   * The account's AI Search token, which a create without `token_id` relies on: the newest
   * enabled registration. Which one the real API picks when there are several is undocumented
   * (inferred; wrangler only checks that the list is not empty).
   */
  accountToken(): AiSearchTokenRecord | undefined {
    let newest: AiSearchTokenRecord | undefined;
    for (const t of this.aiSearchTokens.values()) {
      if (t.enabled && (!newest || t.createdAtMs >= newest.createdAtMs)) newest = t;
    }
    return newest;
  }

  /**
   * Why an instance cannot reach its data source through its token, or undefined when it can
   * (or relies on none). The docs: instances whose token is deleted or revoked "lose access to
   * their data source and stop indexing" (reference 1.1).
   */
  tokenProblem(instance: InstanceRecord, nowMs: number): InstanceTokenProblem | undefined {
    const binding = tokenBinding(instance);
    if (!binding) return undefined;
    const token = this.aiSearchTokens.get(binding.id);
    if (!token) return "ai_search_token_deleted";
    return credentialProblem(this, token.cf_api_id, token.keyDigest, nowMs);
  }

  // --- Whole state --------------------------------------------------------------------------

  /** Empties the state except for the bootstrap token. */
  clear(): void {
    const bootstrap = this.bootstrapToken();
    this.apiTokens.clear();
    this.bySecret.clear();
    this.aiSearchTokens.clear();
    this.instances.clear();
    this.teardowns.clear();
    this.namespaces.clear();
    this.jobs.clear();
    this.ensureDefaultNamespace();
    if (bootstrap) this.putApiToken(bootstrap);
  }

  toPersisted(): PersistedState {
    return {
      version: 1,
      accountId: this.accountId,
      userId: this.userId,
      apiTokens: [...this.apiTokens.values()],
      aiSearchTokens: [...this.aiSearchTokens.values()],
      instances: [...this.instances.values()],
      teardowns: Object.fromEntries(this.teardowns),
      namespaces: [...this.namespaces.values()],
      jobs: [...this.jobs.values()],
    };
  }

  /** Call after every change: writes the data file when there is one. */
  commit(): void {
    if (this.dataFile) saveDataFile(this.dataFile, this.toPersisted());
  }

  snapshot(nowMs: number): EmulatorStateSnapshot {
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      accountId: this.accountId,
      userId: this.userId,
      apiTokens: [...this.apiTokens.values()].map((t) => ({
        id: t.id,
        name: t.name,
        owner: { ...t.owner },
        status: effectiveStatus(t, nowMs),
        bootstrap: t.bootstrap,
        policies: structuredClone(t.policies),
        condition: t.condition ? structuredClone(t.condition) : null,
        expires_on: t.expires_on ?? null,
        not_before: t.not_before ?? null,
        issued_on: iso(t.issuedAtMs),
        modified_on: iso(t.modifiedAtMs),
        last_used_on: t.lastUsedAtMs === null ? null : iso(t.lastUsedAtMs),
        secret_issued_on: iso(t.secretIssuedAtMs),
        propagated: t.propagated,
      })),
      aiSearchTokens: [...this.aiSearchTokens.values()].map((t) => ({
        id: t.id,
        name: t.name,
        cf_api_id: t.cf_api_id,
        legacy: t.legacy,
        enabled: t.enabled,
        created_at: iso(t.createdAtMs),
        modified_at: iso(t.modifiedAtMs),
        credential: credentialProblem(this, t.cf_api_id, t.keyDigest, nowMs) ?? "valid",
        used_by: this.instancesUsingToken(t.id),
        relied_on_implicitly_by: this.instancesRelyingImplicitly(t.id),
      })),
      instances: [...this.instances.values()].map((i) => ({
        id: i.id,
        namespace: i.namespace,
        type: (i.settings.type as string | null | undefined) ?? null,
        source: (i.settings.source as string | null | undefined) ?? null,
        token_id: (i.settings.token_id as string | null | undefined) ?? null,
        token: tokenBinding(i) ?? null,
        token_problem: this.tokenProblem(i, nowMs) ?? null,
        status: i.status,
        created_at: iso(i.createdAtMs),
        modified_at: iso(i.modifiedAtMs),
        settings: structuredClone(i.settings),
      })),
      teardowns: [...this.teardowns.entries()].map(([aiSearchTokenId, until]) => ({
        aiSearchTokenId,
        until: iso(until),
      })),
      namespaces: [...this.namespaces.values()].map((n) => ({
        name: n.name,
        description: n.description,
        public_endpoint_params: n.public_endpoint_params ? structuredClone(n.public_endpoint_params) : null,
        created_at: n.createdAtMs === null ? null : iso(n.createdAtMs),
        instances: this.instanceCountIn(n.name),
      })),
      jobs: [...this.jobs.values()].map((j) => {
        const phase = jobPhase(j, nowMs);
        return {
          id: j.id,
          namespace: j.namespace,
          instance: j.instanceId,
          source: j.source,
          description: j.description,
          started_at: iso(j.startedAtMs),
          ended_at: phase.endedAtMs === undefined ? null : iso(phase.endedAtMs),
          end_reason: phase.endReason ?? null,
          items_processed: phase.processed,
          item_count: j.itemCount,
        };
      }),
    };
  }
}

function instanceKey(namespace: string, id: string): string {
  return `${namespace}/${id}`;
}

/** Which AI Search token an instance relies on: named by `token_id`, or the account's token it was created with. */
export function tokenBinding(
  instance: InstanceRecord,
): { id: string; how: "explicit" | "implicit" } | undefined {
  const explicit = instance.settings.token_id;
  if (typeof explicit === "string") return { id: explicit, how: "explicit" };
  if (instance.implicitTokenId !== undefined) return { id: instance.implicitTokenId, how: "implicit" };
  return undefined;
}

/** Why an instance's token no longer works: its registration is gone, or its API token's credential is. */
export type InstanceTokenProblem = "ai_search_token_deleted" | CredentialProblem;

/** The whole state as `GET /__emulator/state` and `state()` report it. No secret is in it. */
export interface EmulatorStateSnapshot {
  accountId: string;
  userId: string;
  apiTokens: {
    id: string;
    name: string;
    owner: { type: "user" | "account"; id: string };
    /** As the API reports it: `active`, `disabled`, `expired` or `revoked (exposed)`. */
    status: string;
    /** The token the emulator was started with. */
    bootstrap: boolean;
    policies: StoredPolicy[];
    condition: Record<string, unknown> | null;
    expires_on: string | null;
    not_before: string | null;
    issued_on: string;
    modified_on: string;
    last_used_on: string | null;
    /** When the current secret was minted or rolled. */
    secret_issued_on: string;
    /** False until a registration with the current secret got past the propagation switches. */
    propagated: boolean;
  }[];
  aiSearchTokens: {
    id: string;
    name: string;
    cf_api_id: string;
    legacy: boolean;
    enabled: boolean;
    created_at: string;
    modified_at: string;
    /** Whether the stored credential still works: `valid`, or what is wrong with it now. */
    credential: "valid" | CredentialProblem;
    /** Ids of the instances whose `token_id` names this token. */
    used_by: string[];
    /** Ids of the instances created without `token_id` that rely on this token. */
    relied_on_implicitly_by: string[];
  }[];
  instances: {
    id: string;
    namespace: string;
    type: string | null;
    source: string | null;
    /** Kept even though the API does not return it by default. */
    token_id: string | null;
    /** The AI Search token the instance relies on, and whether it named it (`token_id`) or not. */
    token: { id: string; how: "explicit" | "implicit" } | null;
    /** Why that token no longer gives it access (then its status is `error`), or null. */
    token_problem: InstanceTokenProblem | null;
    status: string;
    created_at: string;
    modified_at: string;
    settings: Record<string, unknown>;
  }[];
  /** AI Search tokens still "in use" by instances being torn down. */
  teardowns: { aiSearchTokenId: string; until: string }[];
  /** `default` first. */
  namespaces: {
    name: string;
    description: string | null;
    public_endpoint_params: Record<string, unknown> | null;
    created_at: string | null;
    /** How many instances it holds. */
    instances: number;
  }[];
  /** Sync jobs in start order, with their state at the time of the snapshot. */
  jobs: {
    id: string;
    namespace: string;
    instance: string;
    source: "user" | "schedule";
    description: string | null;
    started_at: string;
    ended_at: string | null;
    end_reason: string | null;
    items_processed: number;
    item_count: number;
  }[];
}

export type CredentialProblem =
  "api_token_missing" | "key_mismatch" | "api_token_inactive" | "missing_index_engine_permission";
