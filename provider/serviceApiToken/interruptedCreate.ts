// What an interrupted re-mint of this resource left behind, found and removed before it mints
// again. An update that repairs a revoked, disabled or expired underlying token mints a fresh one
// and then re-registers it; a `pulumi up` killed (SIGKILL, a CI runner that died) between the two
// leaves a token that the engine never recorded, and the next attempt would mint a second one.
//
// This resource's own API tokens are known by the mint marker their names end with: random, drawn
// by `check` and kept in this stack's state only (args.ts, MINT_MARKER_KEY), so no other stack's
// token carries it. Such a token that no registration holds is in use by nothing in AI Search, so
// it is revoked. One that a registration other than this resource's holds is left in place with a
// warning: it is not this resource's to delete. A killed first create is different: its marker was
// in the pending create that the README's recovery clears, so the next create draws a new one and
// finds nothing; the recovery removes what the killed create left by that marker (README,
// "Interrupted runs").
import { isNotFound, type TokenOwner } from "../cloudflare";
import type { ApiToken } from "../cloudflare/schemas";
import { withCredential, type ProviderContext } from "../context";
import { AI_SEARCH_EDIT } from "../lifecycle";

/** Whether `token` is an API token minted for the resource with `marker`, granting `accountId`. */
export function isMintedFor(token: ApiToken, marker: string, accountId: string): boolean {
  if (!token.name.endsWith(` (pulumi ${marker})`)) return false;
  const account = `com.cloudflare.api.account.${accountId}`;
  return (token.policies ?? []).some((p) => Object.keys(p.resources ?? {}).includes(account));
}

/**
 * Revokes the API tokens with this resource's `marker` that no registration holds (see above),
 * before registration `registrationId` gets a freshly minted one. Never fails the update: what it
 * cannot check or remove is logged with the fix.
 */
export async function clearInterruptedMint(
  ctx: ProviderContext,
  owner: TokenOwner,
  at: { accountId: string; marker: string | undefined; registrationId: string },
): Promise<void> {
  const { accountId, marker, registrationId } = at;
  if (!marker) return;
  try {
    const ours = (
      await withCredential(ctx.sources.minting, "API Tokens Read", () => ctx.minting().apiTokens.list(owner))
    ).filter((t) => isMintedFor(t, marker, accountId));
    if (ours.length === 0) return;
    const registrations = await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
      ctx.management().aiSearchTokens.list(accountId),
    );
    for (const token of ours) {
      const holders = registrations.filter((r) => r.cf_api_id === token.id && r.id !== registrationId);
      if (holders.length > 0) {
        ctx.log(
          `warning: API token ${token.id} ("${token.name}") carries this resource's mint marker but is held by ` +
            `AI Search token ${holders.map((r) => r.id).join(", ")}, which is not this resource's; left in place.`,
        );
        continue;
      }
      if (registrations.some((r) => r.cf_api_id === token.id)) continue; // the one this resource holds
      try {
        await ctx.minting().apiTokens.delete(owner, token.id);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      ctx.log(
        `Revoked API token ${token.id} ("${token.name}"): an interrupted run of this resource minted it, and no ` +
          "AI Search token holds it.",
      );
    }
  } catch (err) {
    ctx.log(
      `warning: could not check for API tokens left by an interrupted run of this resource ` +
        `(${err instanceof Error ? err.message : String(err)}). If an earlier \`pulumi up\` was killed, look for ` +
        `API tokens named "... (pulumi ${marker})" in the dashboard (API Tokens) that no AI Search token holds, ` +
        "and delete them.",
    );
  }
}
