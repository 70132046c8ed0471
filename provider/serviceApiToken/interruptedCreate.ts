// What an interrupted create of this resource left behind, found and removed before it mints
// again. A `pulumi up` killed (SIGKILL, a CI runner that died) after the mint or after the
// registration leaves an API token, or a registration and its token, that the engine never
// recorded: the next create would otherwise make a second one beside it.
//
// This resource's own API tokens are known by the marker their names end with (a hash of the
// project, stack and resource name: args.ts) and the account they grant. Such a token that no
// registration holds is in use by nothing in AI Search, so it is revoked (that includes the old
// token of a replacement after a refresh found its registration gone, `registrationMissing`,
// which the replacement's delete would revoke anyway). A registration that
// holds one is removed only when the engine holds no state for the resource (`notInState`: then
// nothing in the stack refers to it) and no AI Search instance may rely on it; otherwise it is
// left in place, with a warning naming it and the way to remove it. During a replacement the old
// registration (in state, used by the stack's instances) holds such a token too: it is never
// touched, since `check` saw its inputs. `pulumi up --replace <urn>` is the one case where the old
// registration is in state while `notInState` is set: the instance check and AI Search's own
// 7076 keep a registration that instances use; one that no instance uses is removed a few
// steps before the replacement's own delete would remove it.
import { isNotFound, TokenInUseError, type TokenOwner } from "../cloudflare";
import type { ApiToken } from "../cloudflare/schemas";
import { withCredential, type ProviderContext } from "../context";
import { AI_SEARCH_EDIT } from "../lifecycle";
import type { ServiceApiTokenInputs } from "./args";
import { instancesRelyingOn } from "./instanceGuard";

/** Whether `token` is an API token minted for the resource with `marker`, granting `accountId`. */
export function isMintedFor(token: ApiToken, marker: string, accountId: string): boolean {
  if (!token.name.endsWith(` (pulumi ${marker})`)) return false;
  const account = `com.cloudflare.api.account.${accountId}`;
  return (token.policies ?? []).some((p) => Object.keys(p.resources ?? {}).includes(account));
}

/**
 * Removes what an interrupted create of this resource left (see above). Costs one request (the
 * token list) when nothing was left; more only when something was. Never fails the create: what
 * it cannot check or remove is logged with the fix.
 */
export async function clearInterruptedCreate(
  ctx: ProviderContext,
  owner: TokenOwner,
  inputs: ServiceApiTokenInputs,
): Promise<void> {
  const marker = inputs.mintMarker;
  if (!marker) return;
  try {
    const ours = (
      await withCredential(ctx.sources.minting, "API Tokens Read", () => ctx.minting().apiTokens.list(owner))
    ).filter((t) => isMintedFor(t, marker, inputs.accountId));
    if (ours.length === 0) return;
    const registrations = await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
      ctx.management().aiSearchTokens.list(inputs.accountId),
    );
    const held: { token: ApiToken; registrationId: string }[] = [];
    for (const token of ours) {
      const holders = registrations.filter((r) => r.cf_api_id === token.id);
      if (holders.length === 0) await revokeLeftToken(ctx, owner, token, "and no AI Search token holds it");
      for (const r of holders) held.push({ token, registrationId: r.id });
    }
    // A replacement (state held) always finds the registration it replaces: only more is news.
    if (!inputs.notInState && held.length < 2) return;
    for (const { token, registrationId } of held) {
      await removeLeftRegistration(ctx, owner, inputs, token, registrationId);
    }
  } catch (err) {
    ctx.log(
      `warning: could not check for API tokens left by an interrupted create of this resource ` +
        `(${err instanceof Error ? err.message : String(err)}). If an earlier \`pulumi up\` was killed, look for ` +
        `API tokens named "... (pulumi ${marker})" in the dashboard (API Tokens) that no AI Search token holds, ` +
        "and delete them.",
    );
  }
}

async function revokeLeftToken(
  ctx: ProviderContext,
  owner: TokenOwner,
  token: ApiToken,
  why: string,
): Promise<void> {
  try {
    await ctx.minting().apiTokens.delete(owner, token.id);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  ctx.log(
    `Revoked API token ${token.id} ("${token.name}"): an interrupted create of this resource minted it, ${why}.`,
  );
}

async function removeLeftRegistration(
  ctx: ProviderContext,
  owner: TokenOwner,
  inputs: ServiceApiTokenInputs,
  token: ApiToken,
  registrationId: string,
): Promise<void> {
  const leave = (why: string) =>
    ctx.log(
      `warning: AI Search token ${registrationId} holds API token ${token.id} ("${token.name}"), which was minted ` +
        `for this resource; ${why}. If an interrupted run left it (it is not the registration that a replacement ` +
        `or \`pulumi up --replace\` is replacing: \`pulumi stack export\` shows which one the stack holds) and no ` +
        `instance uses it, delete it: DELETE /accounts/${inputs.accountId}/ai-search/tokens/${registrationId} ` +
        `(dashboard: AI Search > Tokens), then revoke the API token ${token.id} (API Tokens).`,
    );
  // Pulumi holds this resource's state: one of these is the registration being replaced.
  if (!inputs.notInState) {
    return leave(
      "it may be the one this replacement replaces (Pulumi holds state for it), so it is left in place",
    );
  }
  const reliant = await instancesRelyingOn(ctx, inputs.accountId, registrationId, { waitForTeardown: false });
  if (reliant.length > 0) {
    return leave(
      `AI Search instances may rely on it (${reliant.map((i) => `${i.namespace}/${i.id}`).join(", ")}), ` +
        "so it is left in place",
    );
  }
  try {
    await ctx.management().aiSearchTokens.delete(inputs.accountId, registrationId);
  } catch (err) {
    if (err instanceof TokenInUseError)
      return leave("AI Search says instances use it (7076), so it is left in place");
    if (!isNotFound(err)) throw err;
  }
  ctx.log(
    `Deleted AI Search token ${registrationId}: an interrupted create of this resource registered it, and ` +
      "nothing in the stack or the account relies on it.",
  );
  await revokeLeftToken(ctx, owner, token, "and its AI Search token was deleted just now");
}
