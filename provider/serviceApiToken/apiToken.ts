// The Cloudflare API token underneath a registration: mint it with the AI Search permission
// groups, roll its secret, read its status, and revoke it. A mint whose answer was lost is
// looked for and revoked, since only that answer carried the secret.
import { isNotFound, PermissionDeniedError, type TokenOwner } from "../cloudflare";
import { CreateApiTokenRequest, type ApiToken } from "../cloudflare/schemas";
import { withCredential, type ProviderContext } from "../context";
import { mayHaveCommitted } from "./lostAnswer";

export function ownerOf(x: { owner: "account" | "user"; accountId: string }): TokenOwner {
  return x.owner === "user" ? { kind: "user" } : { kind: "account", accountId: x.accountId };
}

/** Whether an underlying token status (as kept in state) can still authenticate. */
export function isUsable(status: string | undefined): boolean {
  return status === undefined || status === "active" || status === "unknown";
}

/** What to mint: a token named after `name` (and `marker`) granting `groupIds` on account `accountId`. */
export interface MintRequest {
  readonly accountId: string;
  readonly name: string;
  /** The resource's mint marker (see args.ts), carried into the token's name. */
  readonly marker?: string | undefined;
  readonly groupIds: readonly string[];
}

/** API token names are at most 120 characters. */
const API_TOKEN_NAME_MAX = 120;

/**
 * The name of the API token minted for a registration named `name`: the same name followed by
 * " (pulumi <marker>)", which is what the dashboard's API Tokens page shows. Without a marker
 * (resources created by an older version of the class) it is `name` alone.
 */
export function mintedTokenName(name: string, marker: string | undefined): string {
  if (!marker) return name;
  const suffix = ` (pulumi ${marker})`;
  return name.slice(0, API_TOKEN_NAME_MAX - suffix.length) + suffix;
}

export async function mint(
  ctx: ProviderContext,
  owner: TokenOwner,
  wanted: MintRequest,
): Promise<{ id: string; value: string }> {
  const permission =
    owner.kind === "user" ? "API Tokens Write (User > API Tokens > Edit)" : "Account API Tokens Write";
  const resource = `com.cloudflare.api.account.${wanted.accountId}`;
  const name = mintedTokenName(wanted.name, wanted.marker);
  const startedAt = ctx.now();
  try {
    const created = await withCredential(ctx.sources.minting, permission, () =>
      ctx.minting().apiTokens.create(owner, {
        name,
        policies: [
          {
            effect: "allow",
            resources: { [resource]: "*" },
            permission_groups: wanted.groupIds.map((id) => ({ id })),
          },
        ],
      }),
    );
    return { id: created.id, value: created.value };
  } catch (err) {
    if (!mayHaveCommitted(err)) throw err;
    // The answer was lost (or was a gateway's 502/503/504): Cloudflare may have minted the token
    // anyway, and only its answer carried the secret. Find such a token (same name and grant,
    // issued just now) and revoke it.
    throw await revokeLostMint(
      ctx,
      owner,
      { name, resource, groupIds: [...wanted.groupIds], startedAt },
      err,
    );
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
      `${cause.message}\nMinting the API token got no clear answer` +
        (lost.length
          ? `; the token it minted anyway (${lost.map((t) => t.id).join(", ")}) was revoked.`
          : ", and no token was minted."),
    );
  } catch (lookupErr) {
    const why = lookupErr instanceof Error ? lookupErr.message : String(lookupErr);
    return new Error(
      `${cause.message}\nMinting the API token got no clear answer, and checking whether it was minted anyway failed ` +
        `(${why}). Look for an API token named "${mint.name}" in the Cloudflare dashboard and delete it if it exists.`,
    );
  }
}

/**
 * Renames the token to follow a renamed registration. Cloudflare only takes a full body, so the
 * token is read first and its policies, condition and validity window are sent back unchanged
 * (its secret does not change). This is a courtesy: the registration is what matters, so a
 * failure is a warning, not a failed update.
 */
export async function renameApiToken(
  ctx: ProviderContext,
  owner: TokenOwner,
  cfApiId: string,
  name: string,
): Promise<void> {
  try {
    const current = await ctx.minting().apiTokens.get(owner, cfApiId);
    if (current.name === name) return;
    // What a read returns, in the shape an update takes (no policy ids, groups by id only): the
    // parse refuses anything the request schema does not allow, and the catch turns that into
    // the warning below rather than a PUT that could change the token's grant.
    const body: CreateApiTokenRequest = CreateApiTokenRequest.parse({
      name,
      policies: (current.policies ?? []).map((p) => ({
        effect: p.effect,
        resources: p.resources,
        permission_groups: p.permission_groups.map((g) => ({ id: g.id })),
      })),
      ...(current.condition !== null && typeof current.condition === "object"
        ? { condition: current.condition }
        : {}),
      ...(current.expires_on ? { expires_on: current.expires_on } : {}),
      ...(current.not_before ? { not_before: current.not_before } : {}),
    });
    await ctx.minting().apiTokens.update(owner, cfApiId, body);
  } catch (err) {
    ctx.log(
      `warning: the AI Search registration was renamed, but its API token ${cfApiId} keeps its old name ` +
        `(${err instanceof Error ? err.message : String(err)}). Rename it in the dashboard if you like; nothing depends on it.`,
    );
  }
}

/** Rolls the secret: the old value stops working at once; the token id and grant stay. */
export function roll(ctx: ProviderContext, owner: TokenOwner, cfApiId: string): Promise<string> {
  return withCredential(ctx.sources.minting, "API Tokens Write", () =>
    ctx.minting().apiTokens.roll(owner, cfApiId),
  );
}

/**
 * Revokes a token; one that is already gone counts as revoked. A user-owned token that this
 * credential cannot see may belong to another user (see `notFoundMeansGone`): that is an error
 * naming the fix, not a success.
 */
export async function revoke(
  ctx: ProviderContext,
  owner: TokenOwner,
  cfApiId: string,
  mintedByCredential: string | undefined,
): Promise<void> {
  try {
    await withCredential(ctx.sources.minting, "API Tokens Write", () =>
      ctx.minting().apiTokens.delete(owner, cfApiId),
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
    if (await notFoundMeansGone(ctx, owner, mintedByCredential)) return;
    throw new Error(
      `Cannot revoke API token ${cfApiId}: ${notYoursReason(ctx, cfApiId)} The AI Search registration is ` +
        `deleted already. Run the delete again with the credential that minted the token ` +
        `(${mintedByCredential ?? "not recorded"}), or revoke the token in its owner's dashboard (My Profile > API ` +
        "Tokens) and then remove this resource with `pulumi state delete <urn>`.",
    );
  }
}

/** The id of the minting credential itself (user tokens only); undefined where it cannot be told. */
export async function credentialTokenId(
  ctx: ProviderContext,
  owner: TokenOwner,
): Promise<string | undefined> {
  if (owner.kind !== "user") return undefined;
  try {
    return (await ctx.minting().apiTokens.verify(owner)).id;
  } catch {
    return undefined;
  }
}

/**
 * Whether a 404 on the token means it is gone. Account tokens: yes. User tokens are visible only
 * to their user, so yes only when asked with the very credential that minted it; under a
 * teammate's credential the 404 may just mean "not yours".
 */
export async function notFoundMeansGone(
  ctx: ProviderContext,
  owner: TokenOwner,
  mintedByCredential: string | undefined,
): Promise<boolean> {
  if (owner.kind !== "user") return true;
  if (!mintedByCredential) return false;
  return (await credentialTokenId(ctx, owner)) === mintedByCredential;
}

function notYoursReason(ctx: ProviderContext, cfApiId: string): string {
  return (
    `GET/DELETE /user/tokens/${cfApiId} answered 404 to the credential from ${ctx.sources.minting}, which is not ` +
    "the one that minted this user-owned token. A user's API tokens are visible only to that user, so the " +
    "404 may mean the token belongs to someone else, not that it was deleted."
  );
}

/** Revokes a token that was replaced; a failure is logged, not thrown (the change itself is done). */
export async function revokeQuietly(ctx: ProviderContext, owner: TokenOwner, tokenId: string): Promise<void> {
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

/** After a failed registration: revoke what was minted, and say so in the error. */
export async function revokeAfterFailure(
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

/** The token's status for drift detection: active, disabled, expired, missing or unknown. */
export async function underlyingStatus(
  ctx: ProviderContext,
  owner: TokenOwner,
  cfApiId: string,
  mintedByCredential: string | undefined,
): Promise<string> {
  try {
    const token = await withCredential(ctx.sources.minting, "API Tokens Read", () =>
      ctx.minting().apiTokens.get(owner, cfApiId),
    );
    if (token.status === "active" && token.expires_on && Date.parse(token.expires_on) <= ctx.now())
      return "expired";
    return token.status;
  } catch (err) {
    if (isNotFound(err)) {
      if (await notFoundMeansGone(ctx, owner, mintedByCredential)) return "missing";
      ctx.log(
        `warning: ${notYoursReason(ctx, cfApiId)} Its status shows as unknown, and nothing is re-minted.`,
      );
      return "unknown";
    }
    // Reading the token is only a drift check: a credential that may not read tokens should not
    // make every refresh fail. Say so, and report the status as unknown.
    if (err instanceof PermissionDeniedError) {
      ctx.log(`Cannot check the status of API token ${cfApiId} (${err.message}); it shows as unknown.`);
      return "unknown";
    }
    throw err;
  }
}
