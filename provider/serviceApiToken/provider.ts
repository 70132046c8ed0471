// The lifecycle of the AI Search service API token: check, diff, create, read, update, delete.
//
// Creating one is three calls that succeed or are undone together: mint a Cloudflare API token
// with the AI Search permission groups, register it with AI Search (`legacy: false`, retrying
// 7012 while the new token propagates), and, if registration fails for good, revoke the token
// that was minted. Nothing here logs or throws a secret.
import {
  AiSearchTokenNotFoundError,
  CloudflareNetworkError,
  PermissionDeniedError,
  AuthenticationError,
  InvalidServiceTokenError,
  isNotFound,
  TokenInUseError,
  type TokenOwner,
} from "../cloudflare";
import type { AiSearchToken, AiSearchTokenWrite, ApiToken } from "../cloudflare/schemas";
import { withCredential, type ProviderContext } from "../context";
import { AI_SEARCH_EDIT, type CheckResult, type DiffResult } from "../lifecycle";
import { containsUnknown, validateInputs } from "../validation";
import {
  crossCheckServiceApiToken,
  ServiceApiTokenInputsSchema,
  type ServiceApiTokenInputs,
  type ServiceApiTokenOutputs,
} from "./args";
import { resolvePermissionGroupIds } from "./permissionGroups";

/** Validates every input at once; unknown (preview) values pass through. */
export function check(news: Record<string, unknown>): CheckResult {
  const result = validateInputs(ServiceApiTokenInputsSchema, news, crossCheckServiceApiToken);
  if (!result.ok) return { inputs: news, failures: [...result.failures] };
  return { inputs: result.value, failures: [] };
}

const REPLACE_KEYS = ["accountId", "owner", "permissionGroups", "adopt"] as const;

/** Which registration `adopt` names; `deleteOnDestroy` is only a flag for later. */
function adoptTarget(adopt: ServiceApiTokenInputs["adopt"]): unknown {
  return adopt ? { id: adopt.id, name: adopt.name } : undefined;
}

/** What changed between the state (`olds`, the outputs) and the program (`news`, checked inputs). */
export function diff(olds: ServiceApiTokenOutputs, news: ServiceApiTokenInputs): DiffResult {
  const changed = (a: unknown, b: unknown) => containsUnknown(b) || !sameValue(a, b);
  const replaces: string[] = [];
  for (const key of REPLACE_KEYS) {
    if (key === "permissionGroups") {
      if (changed(sortedCopy(olds.permissionGroups), sortedCopy(news.permissionGroups))) replaces.push(key);
    } else if (key === "owner" && (news.existingApiToken || !olds.minted)) {
      // owner only describes a token this resource minted.
      continue;
    } else if (key === "adopt") {
      if (changed(adoptTarget(olds.adopt), adoptTarget(news.adopt))) replaces.push(key);
    } else if (changed(olds[key], news[key])) {
      replaces.push(key);
    }
  }
  // Switching between a minted and a provided token swaps the credential the registration holds.
  if (!olds.adopted && olds.minted === Boolean(news.existingApiToken)) replaces.push("existingApiToken");

  let update =
    changed(olds.name, news.name) ||
    changed(olds.rotationTrigger, news.rotationTrigger) ||
    changed(olds.adopt?.deleteOnDestroy, news.adopt?.deleteOnDestroy);
  if (
    news.existingApiToken &&
    (changed(olds.cfApiId, news.existingApiToken.id) || changed(olds.value, news.existingApiToken.value))
  ) {
    update = true;
  }
  // Drift found by a refresh: a revoked, disabled, expired or missing underlying token, or a
  // rotation whose secret is not registered yet. The update repairs it in place.
  if (olds.minted && !isUsable(olds.underlyingTokenStatus)) update = true;
  if (olds.registrationStale) update = true;

  return { changes: replaces.length > 0 || update, replaces, deleteBeforeReplace: false };
}

function isUsable(status: string | undefined): boolean {
  return status === undefined || status === "active" || status === "unknown";
}

/** Creates (or adopts) the registration. Throws with nothing left behind if it cannot. */
export async function create(
  ctx: ProviderContext,
  inputs: ServiceApiTokenInputs,
): Promise<{ id: string; outs: ServiceApiTokenOutputs }> {
  if (inputs.adopt) return adopt(ctx, inputs);

  if (inputs.existingApiToken) {
    const registration = await register(ctx, inputs.accountId, {
      cf_api_id: inputs.existingApiToken.id,
      cf_api_key: inputs.existingApiToken.value,
      name: inputs.name,
      legacy: false,
    });
    return result(inputs, registration, {
      value: inputs.existingApiToken.value,
      permissionGroupIds: [],
      minted: false,
      adopted: false,
      underlyingTokenStatus: "unknown",
    });
  }

  const owner = ownerOf(inputs);
  const groupIds = await resolvePermissionGroupIds(ctx, owner, inputs.permissionGroups);
  const minted = await mint(ctx, inputs, owner, groupIds);
  let registration: AiSearchToken;
  try {
    registration = await register(ctx, inputs.accountId, {
      cf_api_id: minted.id,
      cf_api_key: minted.value,
      name: inputs.name,
      legacy: false,
    });
  } catch (err) {
    if (err instanceof CloudflareNetworkError) await removeLostRegistration(ctx, inputs.accountId, minted.id);
    throw await revokeAfterFailure(ctx, owner, minted.id, err);
  }
  return result(inputs, registration, {
    value: minted.value,
    permissionGroupIds: groupIds,
    minted: true,
    adopted: false,
    underlyingTokenStatus: "active",
  });
}

/**
 * Refresh: a registration that is gone removes the resource from state (no id) and revokes the
 * token minted for it; the underlying token's status is read so that a revoked, disabled or
 * expired token shows as drift.
 */
export async function read(
  ctx: ProviderContext,
  id: string,
  olds: ServiceApiTokenOutputs,
): Promise<{ id?: string; props?: ServiceApiTokenOutputs; inputs?: ServiceApiTokenInputs }> {
  let registration: AiSearchToken;
  try {
    registration = await readRegistration(ctx, olds.accountId, id);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    // The registration is gone. A token we minted for it is now of use to nobody and would be
    // orphaned once this resource leaves state, so it goes too.
    if (olds.minted && olds.cfApiId) {
      ctx.log(
        `AI Search token ${id} no longer exists; revoking the API token ${olds.cfApiId} minted for it.`,
      );
      await revokeQuietly(ctx, ownerOf(olds), olds.cfApiId);
    }
    return {};
  }
  let underlyingTokenStatus = olds.underlyingTokenStatus ?? "unknown";
  if (olds.minted) underlyingTokenStatus = await underlyingStatus(ctx, ownerOf(olds), registration.cf_api_id);

  const props: ServiceApiTokenOutputs = {
    ...withoutProvider(olds),
    name: registration.name,
    cfApiId: registration.cf_api_id,
    enabled: registration.enabled ?? true,
    ...timestamps(registration),
    underlyingTokenStatus,
  };
  return { id, props, inputs: inputsOf(props) };
}

/**
 * Rename, rotation, a new provided token, or repair of a broken underlying token: the
 * registration keeps its id (so instances are untouched) and gets a full-body PUT.
 */
export async function update(
  ctx: ProviderContext,
  id: string,
  olds: ServiceApiTokenOutputs,
  news: ServiceApiTokenInputs,
): Promise<ServiceApiTokenOutputs> {
  const owner = ownerOf(olds);
  const next: CredentialState = {
    cfApiId: olds.cfApiId,
    value: olds.value,
    minted: olds.minted,
    permissionGroupIds: olds.permissionGroupIds ?? [],
    underlyingTokenStatus: olds.underlyingTokenStatus,
  };
  // What a failed PUT means depends on what was done to the credential before it.
  let onFailure = async (err: unknown): Promise<unknown> => err;
  let onSuccess = async (): Promise<void> => undefined;

  if (news.existingApiToken) {
    Object.assign(next, {
      cfApiId: news.existingApiToken.id,
      value: news.existingApiToken.value,
      minted: false,
      underlyingTokenStatus: "unknown",
    });
  } else if (olds.minted && !isUsable(olds.underlyingTokenStatus)) {
    // The token we minted was revoked, disabled or expired: mint a fresh one with the same groups,
    // and revoke whichever of the two the registration does not end up holding.
    next.permissionGroupIds = await resolvePermissionGroupIds(ctx, owner, news.permissionGroups);
    const fresh = await mint(ctx, news, owner, next.permissionGroupIds);
    Object.assign(next, { cfApiId: fresh.id, value: fresh.value, underlyingTokenStatus: "active" });
    onFailure = (err) => revokeAfterFailure(ctx, owner, fresh.id, err);
    onSuccess = () => revokeQuietly(ctx, owner, olds.cfApiId);
  } else if (!sameValue(olds.rotationTrigger, news.rotationTrigger)) {
    // Rolling invalidates the old secret at once, so from here on the new one must not be lost:
    // if the PUT fails, the new value is still written to state and the next update retries it.
    // The new trigger is recorded as done: the next update only re-registers, it does not roll again.
    const rolled = await withCredential(ctx.sources.minting, "API Tokens Write", () =>
      ctx.minting().apiTokens.roll(owner, next.cfApiId),
    );
    next.value = rolled;
    onFailure = async (err) =>
      new PartialUpdateError(
        id,
        { ...withoutProvider(olds), ...inputsOf(news), value: rolled, registrationStale: true },
        err,
      );
  }

  if (!next.value) {
    throw new Error(
      `Cannot update AI Search token ${id}: it was adopted and its API token's secret is unknown, and AI Search ` +
        "only accepts a full update that includes it. Pass existingApiToken: { id, value } with the token's id and " +
        "secret, or set rotationTrigger to roll the secret (needs API Tokens Write on that token).",
    );
  }
  let registration: AiSearchToken;
  try {
    registration = await register(ctx, news.accountId, body(next.cfApiId, next.value, news.name), id);
  } catch (err) {
    throw await onFailure(err);
  }
  await onSuccess();
  return merge(olds, news, registration, next);
}

/** The credential a registration holds, as the outputs describe it. */
type CredentialState = Pick<
  ServiceApiTokenOutputs,
  "cfApiId" | "minted" | "permissionGroupIds" | "underlyingTokenStatus"
> & { value: string | undefined };

/**
 * Deletes the registration (not-found counts as done), waiting within a bound while AI Search
 * still holds it for instances (7076), then revokes the underlying token if we minted it. An
 * adopted registration is left in place unless `adopt.deleteOnDestroy`.
 */
export async function remove(ctx: ProviderContext, id: string, olds: ServiceApiTokenOutputs): Promise<void> {
  if (olds.adopted && !olds.adopt?.deleteOnDestroy) {
    ctx.log(
      `AI Search token ${id} was adopted; leaving it in place (set adopt.deleteOnDestroy to delete it).`,
    );
    return;
  }
  const deadline = ctx.now() + ctx.wait.deleteTimeoutMs;
  for (;;) {
    try {
      await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
        ctx.management().aiSearchTokens.delete(olds.accountId, id),
      );
      break;
    } catch (err) {
      if (isNotFound(err)) break;
      if (!(err instanceof TokenInUseError)) throw err;
      if (ctx.now() + ctx.wait.pollIntervalMs > deadline) {
        throw new Error(
          `AI Search token ${id} is still in use by AI Search instances (7076) after waiting ` +
            `${Math.round(ctx.wait.deleteTimeoutMs / 1000)}s. Delete the instances that use it, or point them at ` +
            "another token, then run the delete again. (Instance teardown finishes in the background; raise " +
            "cloudflare-ai-search:deleteTimeoutSeconds if it is merely slow.)",
        );
      }
      await ctx.sleep(ctx.wait.pollIntervalMs);
    }
  }
  if (olds.minted) {
    try {
      await withCredential(ctx.sources.minting, "API Tokens Write", () =>
        ctx.minting().apiTokens.delete(ownerOf(olds), olds.cfApiId),
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

// --- Steps ------------------------------------------------------------------------------------

async function adopt(
  ctx: ProviderContext,
  inputs: ServiceApiTokenInputs,
): Promise<{ id: string; outs: ServiceApiTokenOutputs }> {
  const { accountId } = inputs;
  const wanted = inputs.adopt!;
  let registration: AiSearchToken;
  if (wanted.id) {
    try {
      registration = await readRegistration(ctx, accountId, wanted.id);
    } catch (err) {
      if (isNotFound(err)) {
        throw new Error(
          `adopt.id: no AI Search token ${wanted.id} in account ${accountId}. Check the id ` +
            "(GET /accounts/{account_id}/ai-search/tokens lists them), or remove adopt to create one.",
        );
      }
      throw err;
    }
  } else {
    const all = await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
      ctx.management().aiSearchTokens.list(accountId),
    );
    // The `search` filter is reported to fail on long names, so filter on our side.
    const matches = all.filter((t) => t.name === wanted.name);
    if (matches.length === 0) {
      throw new Error(
        `adopt.name: no AI Search token named "${wanted.name}" in account ${accountId}` +
          (all.length ? ` (found: ${all.map((t) => `"${t.name}"`).join(", ")})` : "") +
          ". Fix the name, or remove adopt to create one.",
      );
    }
    if (matches.length > 1) {
      throw new Error(
        `adopt.name: ${matches.length} AI Search tokens are named "${wanted.name}" (ids ${matches
          .map((t) => t.id)
          .join(", ")}). Adopt one by id instead: adopt: { id: "<one of them>" }.`,
      );
    }
    registration = matches[0]!;
  }

  let value: string | undefined;
  if (inputs.existingApiToken) {
    // The caller gave us the credential: store it in the registration so updates can be made.
    value = inputs.existingApiToken.value;
    registration = await register(
      ctx,
      accountId,
      body(inputs.existingApiToken.id, value, registration.name),
      registration.id,
    );
  }
  return result({ ...inputs, name: registration.name }, registration, {
    ...(value !== undefined ? { value } : {}),
    permissionGroupIds: [],
    minted: false,
    adopted: true,
    underlyingTokenStatus: "unknown",
  });
}

async function mint(
  ctx: ProviderContext,
  inputs: ServiceApiTokenInputs,
  owner: TokenOwner,
  groupIds: string[],
): Promise<{ id: string; value: string }> {
  const permission =
    owner.kind === "user" ? "API Tokens Write (User > API Tokens > Edit)" : "Account API Tokens Write";
  const resource = `com.cloudflare.api.account.${inputs.accountId}`;
  const startedAt = ctx.now();
  try {
    const created = await withCredential(ctx.sources.minting, permission, () =>
      ctx.minting().apiTokens.create(owner, {
        name: inputs.name,
        policies: [
          {
            effect: "allow",
            resources: { [resource]: "*" },
            permission_groups: groupIds.map((id) => ({ id })),
          },
        ],
      }),
    );
    return { id: created.id, value: created.value };
  } catch (err) {
    if (!(err instanceof CloudflareNetworkError)) throw err;
    // The answer was lost: Cloudflare may have minted the token anyway, and only its answer
    // carried the secret. Find such a token (same name and grant, issued just now) and revoke it.
    throw await revokeLostMint(ctx, owner, { name: inputs.name, resource, groupIds, startedAt }, err);
  }
}

/** Clock skew allowed between this machine and Cloudflare when matching a lost mint. */
const LOST_MINT_WINDOW_MS = 120_000;

async function revokeLostMint(
  ctx: ProviderContext,
  owner: TokenOwner,
  mint: { name: string; resource: string; groupIds: string[]; startedAt: number },
  cause: Error,
): Promise<Error> {
  const wanted = [...mint.groupIds].sort().join(",");
  const isOurs = (t: ApiToken): boolean => {
    const issued = t.issued_on ? Date.parse(t.issued_on) : NaN;
    const policies = t.policies ?? [];
    return (
      t.name === mint.name &&
      Math.abs(issued - mint.startedAt) <= LOST_MINT_WINDOW_MS &&
      policies.length === 1 &&
      Object.keys(policies[0]!.resources).join() === mint.resource &&
      policies[0]!.permission_groups
        .map((g) => g.id)
        .sort()
        .join(",") === wanted
    );
  };
  try {
    const lost = (await ctx.minting().apiTokens.list(owner)).filter(isOurs);
    for (const t of lost) await ctx.minting().apiTokens.delete(owner, t.id);
    return new Error(
      `${cause.message}\nMinting the API token got no answer` +
        (lost.length
          ? `; the token it minted anyway (${lost.map((t) => t.id).join(", ")}) was revoked.`
          : ", and no token was minted."),
    );
  } catch (lookupErr) {
    const why = lookupErr instanceof Error ? lookupErr.message : String(lookupErr);
    return new Error(
      `${cause.message}\nMinting the API token got no answer, and checking whether it was minted anyway failed ` +
        `(${why}). Look for an API token named "${mint.name}" in the Cloudflare dashboard and delete it if it exists.`,
    );
  }
}

/**
 * Registers (POST) or re-registers (PUT, when `existingId` is given) a credential with AI Search,
 * retrying 7012 while a freshly minted or rolled token propagates.
 */
async function register(
  ctx: ProviderContext,
  accountId: string,
  payload: AiSearchTokenWrite,
  existingId?: string,
): Promise<AiSearchToken> {
  const attempts = 1 + ctx.wait.propagationRetries;
  let delay = ctx.wait.propagationRetryDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
        existingId
          ? ctx.management().aiSearchTokens.update(accountId, existingId, payload)
          : ctx.management().aiSearchTokens.create(accountId, payload),
      );
    } catch (err) {
      if (!(err instanceof InvalidServiceTokenError)) throw err;
      if (attempt >= attempts) {
        throw new Error(
          `AI Search rejected API token ${payload.cf_api_id} with 7012 (invalid token) ${attempts} times. ` +
            'The token must be active and carry the "AI Search Index Engine" permission group on account ' +
            `${accountId}; a new token can also take a while to propagate (raise ` +
            "cloudflare-ai-search:propagationRetries if so).",
        );
      }
      ctx.log(
        `AI Search does not accept API token ${payload.cf_api_id} yet (7012); retry ${attempt}/${attempts - 1} in ${delay} ms`,
      );
      await ctx.sleep(delay);
      delay = Math.min(delay * 2, 30_000);
    }
  }
}

async function readRegistration(ctx: ProviderContext, accountId: string, id: string): Promise<AiSearchToken> {
  try {
    return await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
      ctx.management().aiSearchTokens.read(accountId, id),
    );
  } catch (err) {
    if (err instanceof AuthenticationError && !(err instanceof AiSearchTokenNotFoundError)) {
      throw new Error(
        `${err.message}. If the credential is valid, AI Search token ${id} may be a legacy registration ` +
          "(created without legacy: false), which cannot be read or deleted by id.",
      );
    }
    throw err;
  }
}

async function underlyingStatus(ctx: ProviderContext, owner: TokenOwner, cfApiId: string): Promise<string> {
  try {
    const token = await withCredential(ctx.sources.minting, "API Tokens Read", () =>
      ctx.minting().apiTokens.get(owner, cfApiId),
    );
    if (token.status === "active" && token.expires_on && Date.parse(token.expires_on) <= ctx.now())
      return "expired";
    return token.status;
  } catch (err) {
    if (isNotFound(err)) return "missing";
    // Reading the token is only a drift check: a credential that may not read tokens should not
    // make every refresh fail. Say so, and report the status as unknown.
    if (err instanceof PermissionDeniedError) {
      ctx.log(`Cannot check the status of API token ${cfApiId} (${err.message}); it shows as unknown.`);
      return "unknown";
    }
    throw err;
  }
}

/**
 * The registration's answer was lost, so AI Search may hold a registration we never saw. Ours is
 * the one holding the API token we just minted (its id is unique): delete it before the token.
 */
async function removeLostRegistration(
  ctx: ProviderContext,
  accountId: string,
  cfApiId: string,
): Promise<void> {
  try {
    const ours = (await ctx.management().aiSearchTokens.list(accountId)).filter(
      (t) => t.cf_api_id === cfApiId,
    );
    for (const t of ours) await ctx.management().aiSearchTokens.delete(accountId, t.id);
  } catch (err) {
    ctx.log(
      `Could not check for a registration of API token ${cfApiId} after a lost answer: ` +
        `${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** After a failed registration: revoke what was minted, and say so in the error. */
async function revokeAfterFailure(
  ctx: ProviderContext,
  owner: TokenOwner,
  mintedId: string,
  cause: unknown,
): Promise<Error> {
  const reason = cause instanceof Error ? cause.message : String(cause);
  try {
    await ctx.minting().apiTokens.delete(owner, mintedId);
    return new Error(
      `${reason}\nThe API token minted for the registration (${mintedId}) was revoked, so nothing is left behind.`,
    );
  } catch (revokeErr) {
    if (isNotFound(revokeErr)) {
      return new Error(
        `${reason}\nThe API token minted for the registration (${mintedId}) no longer exists.`,
      );
    }
    const why = revokeErr instanceof Error ? revokeErr.message : String(revokeErr);
    return new Error(
      `${reason}\nThe API token minted for the registration (${mintedId}) could not be revoked (${why}); ` +
        "delete it in the Cloudflare dashboard (API Tokens).",
    );
  }
}

async function revokeQuietly(ctx: ProviderContext, owner: TokenOwner, tokenId: string): Promise<void> {
  try {
    await ctx.minting().apiTokens.delete(owner, tokenId);
  } catch (err) {
    if (!isNotFound(err)) {
      ctx.log(
        `Could not revoke the replaced API token ${tokenId}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}

/** The rotated secret is in `properties`: the host writes it to state although the update failed. */
export class PartialUpdateError extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(id: string, properties: ServiceApiTokenOutputs, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `${reason}\nThe API token's secret was rolled but AI Search did not accept the new one yet; the new ` +
        "secret is kept (as a secret) in state and the next `pulumi up` registers it.",
    );
    this.name = "PartialUpdateError";
    this.id = id;
    this.properties = properties;
    this.reasons = [reason];
  }
}

// --- Helpers ----------------------------------------------------------------------------------

function ownerOf(x: { owner: "account" | "user"; accountId: string }): TokenOwner {
  return x.owner === "user" ? { kind: "user" } : { kind: "account", accountId: x.accountId };
}

function body(cfApiId: string, value: string, name: string): AiSearchTokenWrite {
  return { cf_api_id: cfApiId, cf_api_key: value, name, legacy: false };
}

function timestamps(r: AiSearchToken): Pick<ServiceApiTokenOutputs, "createdAt" | "modifiedAt"> {
  return {
    ...(r.created_at ? { createdAt: r.created_at } : {}),
    ...(r.modified_at ? { modifiedAt: r.modified_at } : {}),
  };
}

function result(
  inputs: ServiceApiTokenInputs,
  registration: AiSearchToken,
  extra: Pick<
    ServiceApiTokenOutputs,
    "permissionGroupIds" | "minted" | "adopted" | "underlyingTokenStatus"
  > & {
    value?: string;
  },
): { id: string; outs: ServiceApiTokenOutputs } {
  const outs: ServiceApiTokenOutputs = {
    ...inputsOf(inputs),
    tokenId: registration.id,
    cfApiId: registration.cf_api_id,
    enabled: registration.enabled ?? true,
    ...timestamps(registration),
    ...extra,
  };
  return { id: registration.id, outs };
}

function merge(
  olds: ServiceApiTokenOutputs,
  news: ServiceApiTokenInputs,
  registration: AiSearchToken,
  fields: CredentialState,
): ServiceApiTokenOutputs {
  const { value, ...rest } = fields;
  const outs: ServiceApiTokenOutputs = {
    ...inputsOf(news),
    tokenId: registration.id,
    enabled: registration.enabled ?? true,
    ...timestamps(registration),
    adopted: olds.adopted,
    ...rest,
    cfApiId: registration.cf_api_id || rest.cfApiId,
  };
  if (value !== undefined) outs.value = value;
  return outs;
}

/** The input fields as they are kept in outputs; `existingApiToken` is not (its value is `value`). */
function inputsOf(x: ServiceApiTokenInputs | ServiceApiTokenOutputs): ServiceApiTokenInputs {
  const inputs: ServiceApiTokenInputs = {
    accountId: x.accountId,
    name: x.name,
    owner: x.owner,
    permissionGroups: [...x.permissionGroups],
  };
  if (x.adopt !== undefined) inputs.adopt = x.adopt;
  if (x.rotationTrigger !== undefined) inputs.rotationTrigger = x.rotationTrigger;
  return inputs;
}

function withoutProvider<T extends object>(x: T): T {
  const copy = { ...x } as T & { __provider?: unknown };
  delete copy.__provider;
  return copy;
}

function sortedCopy(values: readonly string[] | undefined): string[] | undefined {
  return values ? [...values].sort() : values;
}

/** Structural equality of JSON values. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
