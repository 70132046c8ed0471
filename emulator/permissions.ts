// Permission evaluation over an API token's policies: explicit deny, then explicit allow, then
// an implicit deny-all (reference section 4). Resources are `com.cloudflare.api.account.<id>` for
// account-scoped groups and `com.cloudflare.api.user.<id>` for user-scoped ones; a key ending in
// `*` matches by prefix. A nested value (`{"com.cloudflare.api.account.zone.*": "*"}`) grants
// zone-level access only, never the account itself.
import type { ApiTokenRecord, StoredPolicy } from "./model";

export const accountResource = (accountId: string) => `com.cloudflare.api.account.${accountId}`;
export const userResource = (userId: string) => `com.cloudflare.api.user.${userId}`;

function policyCovers(policy: StoredPolicy, groupId: string, resource: string): boolean {
  if (!policy.permission_groups.some((g) => g.id === groupId)) return false;
  for (const [key, value] of Object.entries(policy.resources)) {
    if (typeof value !== "string") continue;
    if (key === resource || (key.endsWith("*") && resource.startsWith(key.slice(0, -1)))) return true;
  }
  return false;
}

/** True when the token's policies grant `groupId` on `resource` (and no deny policy takes it away). */
export function grants(token: ApiTokenRecord, groupId: string, resource: string): boolean {
  if (token.policies.some((p) => p.effect === "deny" && policyCovers(p, groupId, resource))) return false;
  return token.policies.some((p) => p.effect === "allow" && policyCovers(p, groupId, resource));
}

/** True when the token holds any of `groupIds` on `resource`. */
export function grantsAny(token: ApiTokenRecord, groupIds: readonly string[], resource: string): boolean {
  return groupIds.some((g) => grants(token, g, resource));
}

/** Why a token cannot be used right now, or undefined when it can. */
export function unusableReason(token: ApiTokenRecord, nowMs: number): string | undefined {
  if (token.status !== "active") return `token is ${token.status}`;
  if (token.expires_on && Date.parse(token.expires_on) <= nowMs) return "token expired";
  if (token.not_before && Date.parse(token.not_before) > nowMs) return "token not valid yet";
  return undefined;
}

/** The status the API reports: a token past `expires_on` reads as expired. */
export function effectiveStatus(token: ApiTokenRecord, nowMs: number): string {
  if (token.status === "active" && token.expires_on && Date.parse(token.expires_on) <= nowMs) {
    return "expired";
  }
  return token.status;
}
