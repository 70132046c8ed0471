// Permission groups by name -> id, looked up at run time (never a hard-coded table), among the
// groups the token's owner can grant on an account.
import { withCredential, type ProviderContext } from "../context";
import type { TokenOwner } from "../cloudflare";

const ACCOUNT_SCOPE = "com.cloudflare.api.account";

export async function resolvePermissionGroupIds(
  ctx: ProviderContext,
  owner: TokenOwner,
  names: readonly string[],
): Promise<string[]> {
  const groups = await withCredential(ctx.sources.minting, "API Tokens Read", () =>
    ctx.minting().apiTokens.listPermissionGroups(owner),
  );
  const accountGroups = groups.filter((g) => g.scopes.length === 0 || g.scopes.includes(ACCOUNT_SCOPE));
  const ids: string[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const exact = accountGroups.find((g) => g.name === name);
    const loose = exact ?? accountGroups.find((g) => g.name.toLowerCase() === name.toLowerCase());
    if (loose) ids.push(loose.id);
    else missing.push(name);
  }
  if (missing.length) {
    const near = accountGroups
      .filter((g) => missing.some((m) => g.name.toLowerCase().includes(m.toLowerCase().split(" ")[0] ?? "")))
      .map((g) => `"${g.name}"`)
      .slice(0, 8);
    throw new Error(
      `permissionGroups: no account permission group named ${missing.map((m) => `"${m}"`).join(", ")}` +
        (near.length ? `; similar names: ${near.join(", ")}` : "") +
        '. Use names as the permission-groups API lists them, e.g. "AI Search Index Engine".',
    );
  }
  return ids;
}
