// The lifecycle of the AI Search service API token: check, diff, create, read, update, delete.
//
// Creating one is three calls that succeed or are undone together: mint a Cloudflare API token
// with the AI Search permission groups (apiToken.ts), register it with AI Search
// (registration.ts, `legacy: false`, retrying 7012 while the new token propagates), and, if
// registration fails for good, revoke the token that was minted. Adopting an existing
// registration is adoption.ts. Nothing here logs or throws a secret.
import { isNotFound, type TokenOwner } from "../cloudflare";
import type { AiSearchToken } from "../cloudflare/schemas";
import type { ProviderContext } from "../context";
import {
  DEFAULT_SERVICE_TOKEN_NAME,
  MINT_MARKER_KEY,
  type ServiceApiTokenInputs,
  type ServiceApiTokenOutputs,
} from "./args";
import { adopt } from "./adoption";
import {
  credentialTokenId,
  isUsable,
  mint,
  mintedTokenName,
  ownerOf,
  renameApiToken,
  revoke,
  revokeAfterFailure,
  revokeQuietly,
  roll,
  underlyingStatus,
} from "./apiToken";
import { sameValue } from "./diff";
import {
  inputsOf,
  merge,
  result,
  stateOnly,
  timestamps,
  withoutProvider,
  type CredentialState,
} from "./outputs";
import { instancesRelyingOn, remainingInstancesMessage } from "./instanceGuard";
import { clearInterruptedMint } from "./interruptedCreate";
import { mayHaveCommitted } from "./lostAnswer";
import { PartialUpdateError } from "./partialUpdate";
import { resolvePermissionGroupIds } from "./permissionGroups";
import {
  deleteRegistration,
  readRegistration,
  register,
  registrationBody,
  removeLostRegistration,
  takeOverLostRegistration,
} from "./registration";

export { check, diff, sameValue } from "./diff";
export { PartialUpdateError } from "./partialUpdate";

/** Creates (or adopts) the registration. Throws with nothing left behind if it cannot. */
export async function create(
  ctx: ProviderContext,
  inputs: ServiceApiTokenInputs,
): Promise<{ id: string; outs: ServiceApiTokenOutputs }> {
  if (inputs.adopt) return adopt(ctx, inputs);
  const name = inputs.name ?? DEFAULT_SERVICE_TOKEN_NAME;

  if (inputs.existingApiToken) {
    const { id: cfApiId, value } = inputs.existingApiToken;
    const sentAt = Date.now();
    let registration: AiSearchToken;
    try {
      registration = await register(ctx, inputs.accountId, registrationBody(cfApiId, value, name));
    } catch (err) {
      if (!mayHaveCommitted(err)) throw err;
      registration = await takeOverLostRegistration(ctx, inputs.accountId, { cfApiId, name, sentAt }, err);
    }
    return result(inputs, registration, {
      value,
      permissionGroupIds: [],
      minted: false,
      adopted: false,
      underlyingTokenStatus: "unknown",
    });
  }

  const owner = ownerOf(inputs);
  // A create's marker is new (check draws it when the engine holds no state): nothing can carry it yet.
  const groupIds = await resolvePermissionGroupIds(ctx, owner, inputs.permissionGroups);
  const minted = await mint(ctx, owner, {
    accountId: inputs.accountId,
    name,
    marker: inputs[MINT_MARKER_KEY],
    groupIds,
  });
  let registration: AiSearchToken;
  try {
    registration = await register(ctx, inputs.accountId, registrationBody(minted.id, minted.value, name));
  } catch (err) {
    if (mayHaveCommitted(err)) await removeLostRegistration(ctx, inputs.accountId, minted.id);
    throw await revokeAfterFailure(ctx, owner, minted.id, err);
  }
  const mintedBy = await credentialTokenId(ctx, owner);
  return result(inputs, registration, {
    value: minted.value,
    ...(mintedBy ? { mintedByCredential: mintedBy } : {}),
    permissionGroupIds: groupIds,
    minted: true,
    adopted: false,
    underlyingTokenStatus: "active",
  });
}

/**
 * The permission-group ids for a re-mint, resolved while what an interrupted re-mint of this
 * resource left is cleared: two independent reads, sent side by side so that they cost one round
 * trip, not two. Both are done before the mint, whatever the outcome; the clearing never throws
 * (it warns).
 */
async function prepareRemint(
  ctx: ProviderContext,
  owner: TokenOwner,
  news: ServiceApiTokenInputs,
  registrationId: string,
): Promise<string[]> {
  const cleared = clearInterruptedMint(ctx, owner, {
    accountId: news.accountId,
    marker: news[MINT_MARKER_KEY],
    registrationId,
  });
  try {
    return await resolvePermissionGroupIds(ctx, owner, news.permissionGroups);
  } finally {
    await cleared;
  }
}

/**
 * Refresh (also run by `pulumi preview --refresh`): reads, and changes nothing in the account. A
 * registration that is gone leaves state, unless this resource minted its API token: then the
 * resource stays, marked `registrationMissing`, with a warning naming the token, so that the next
 * `up` replaces it and the old resource's delete revokes the token (or `destroy` does). The
 * underlying token's status is read so that a revoked, disabled or expired token shows as drift.
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
    if (!(olds.minted && olds.cfApiId)) return {};
    ctx.log(
      `warning: AI Search token ${id} no longer exists, but the API token ${olds.cfApiId} minted for it is ` +
        "still live. Nothing was revoked by this refresh: the next `pulumi up` replaces the registration and " +
        "revokes that token, and `pulumi destroy` revokes it too.",
    );
    const props: ServiceApiTokenOutputs = { ...withoutProvider(olds), registrationMissing: true };
    return { id, props, inputs: inputsOf(props) };
  }
  let underlyingTokenStatus = olds.underlyingTokenStatus ?? "unknown";
  if (olds.minted) {
    underlyingTokenStatus = await underlyingStatus(
      ctx,
      ownerOf(olds),
      registration.cf_api_id,
      olds.mintedByCredential,
    );
  }

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
  // No name in the program (an adopted registration): it keeps the one it has.
  const name = news.name ?? olds.name;
  const next: CredentialState = {
    cfApiId: olds.cfApiId,
    value: olds.value,
    minted: olds.minted,
    permissionGroupIds: olds.permissionGroupIds ?? [],
    underlyingTokenStatus: olds.underlyingTokenStatus,
    mintedByCredential: olds.mintedByCredential,
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
      mintedByCredential: undefined,
    });
  } else if (olds.minted && !isUsable(olds.underlyingTokenStatus)) {
    // The token we minted was revoked, disabled or expired: mint a fresh one with the same groups,
    // and revoke whichever of the two the registration does not end up holding.
    // A token an interrupted run of this very step minted (and never registered) goes first.
    next.permissionGroupIds = await prepareRemint(ctx, owner, news, id);
    const fresh = await mint(ctx, owner, {
      accountId: news.accountId,
      name,
      marker: news[MINT_MARKER_KEY],
      groupIds: next.permissionGroupIds,
    });
    Object.assign(next, {
      cfApiId: fresh.id,
      value: fresh.value,
      underlyingTokenStatus: "active",
      mintedByCredential: await credentialTokenId(ctx, owner),
    });
    onFailure = (err) => revokeAfterFailure(ctx, owner, fresh.id, err);
    onSuccess = () => revokeQuietly(ctx, owner, olds.cfApiId);
  } else if (!sameValue(olds.rotationTrigger, news.rotationTrigger)) {
    // Rolling invalidates the old secret at once, so from here on the new one must not be lost:
    // if the PUT fails, the new value is still written to state and the next update retries it.
    // The new trigger is recorded as done: the next update only re-registers, it does not roll again.
    const rolled = await roll(ctx, owner, next.cfApiId);
    next.value = rolled;
    onFailure = async (err) =>
      new PartialUpdateError(
        id,
        { ...withoutProvider(olds), ...inputsOf(news), value: rolled, registrationStale: true },
        err,
      );
  }

  const putNeeded =
    next.cfApiId !== olds.cfApiId ||
    next.value !== olds.value ||
    name !== olds.name ||
    olds.registrationStale;
  // Only state-only inputs changed (adopt.deleteOnDestroy, deleteWhileInstancesRemain): record them, call nothing.
  if (!putNeeded) return stateOnly(olds, news);

  if (!next.value) {
    throw new Error(
      `Cannot update AI Search token ${id}: it was adopted and its API token's secret is unknown, and AI Search ` +
        "only accepts a full update that includes it. Pass existingApiToken: { id, value } with the token's id and " +
        "secret, or set rotationTrigger to roll the secret (needs API Tokens Write on that token).",
    );
  }
  let registration: AiSearchToken;
  try {
    registration = await register(ctx, news.accountId, registrationBody(next.cfApiId, next.value, name), id);
  } catch (err) {
    throw await onFailure(err);
  }
  await onSuccess();
  // The API token minted for the registration follows its name (a fresh mint has it already).
  if (next.minted && name !== olds.name) {
    await renameApiToken(ctx, owner, next.cfApiId, mintedTokenName(name, news[MINT_MARKER_KEY]));
  }
  return merge(olds, news, registration, next);
}

/**
 * Deletes the registration (not-found counts as done), waiting within a bound while AI Search
 * still holds it for instances (7076), then revokes the underlying token if we minted it. An
 * adopted registration is left in place unless `adopt.deleteOnDestroy`. Instances that remain in
 * the account and may rely on the token stop the delete, unless `deleteWhileInstancesRemain`
 * (instanceGuard.ts).
 */
export async function remove(ctx: ProviderContext, id: string, olds: ServiceApiTokenOutputs): Promise<void> {
  if (olds.adopted && !olds.adopt?.deleteOnDestroy) {
    ctx.log(
      `AI Search token ${id} was adopted; leaving it in place (set adopt.deleteOnDestroy to delete it).`,
    );
    return;
  }
  // A refresh found the registration gone already: nothing can rely on it.
  if (!olds.registrationMissing) await guardRemainingInstances(ctx, id, olds);
  await deleteRegistration(ctx, olds.accountId, id);
  if (olds.minted) await revoke(ctx, ownerOf(olds), olds.cfApiId, olds.mintedByCredential);
}

/** Fails the delete while instances it does not remove may rely on the token, unless opted in. */
async function guardRemainingInstances(
  ctx: ProviderContext,
  id: string,
  olds: ServiceApiTokenOutputs,
): Promise<void> {
  if (!olds.deleteWhileInstancesRemain) {
    const reliant = await instancesRelyingOn(ctx, olds.accountId, id);
    if (reliant.length > 0) throw new Error(remainingInstancesMessage(id, reliant, olds.adopted));
    return;
  }
  // Opted in: the delete goes ahead whatever the check finds, so the check only informs.
  try {
    const reliant = await instancesRelyingOn(ctx, olds.accountId, id);
    if (reliant.length > 0) {
      ctx.log(
        `warning: deleting AI Search token ${id} (deleteWhileInstancesRemain) although these instances may rely ` +
          `on it and lose access to their data: ${reliant.map((i) => `${i.namespace}/${i.id}`).join(", ")}.`,
      );
    }
  } catch (err) {
    ctx.log(
      `Could not check which instances rely on AI Search token ${id}; deleting it anyway ` +
        `(deleteWhileInstancesRemain): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
