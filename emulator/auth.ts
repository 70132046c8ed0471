// Authentication and permission checks of /client/v4 requests.
//
// Status codes and error codes (reference 5.1, 5.3, 6):
// - no credential at all: 400 / 9106;
// - an Authorization header that is not `Bearer <token>`: 400 / 6003 (with 6111 in error_chain);
// - X-Auth-Email / X-Auth-Key (Global API Key): the emulator knows none, 403 / 9103;
// - unknown, disabled, expired, revoked or not-yet-valid bearer token: 401 / 10000 on AI Search
//   routes (documented); 403 / 10000 on the token routes (what Cloudflare typically answers
//   elsewhere, reference 5.3);
// - a usable token without the permission group the route needs, or acting on another account:
//   403 / 9109;
// - verify endpoints: 401 / 1000 "Invalid API Token" for any token they do not accept, including
//   an account-owned token at /user/tokens/verify (and, symmetrically, a user token at
//   /accounts/{id}/tokens/verify).
import type { IncomingHttpHeaders } from "node:http";
import { errors } from "./envelope";
import type { ApiTokenRecord } from "./model";
import { accountResource, grantsAny, unusableReason, userResource } from "./permissions";
import type { AuthRule, EmulatorCore } from "./router";

export type Credential =
  { kind: "missing" } | { kind: "malformed" } | { kind: "globalKey" } | { kind: "bearer"; token: string };

/** Reads the credential of a request. Never logs or echoes it. */
export function credentialOf(headers: IncomingHttpHeaders): Credential {
  const auth = headers.authorization;
  if (auth === undefined) {
    if (headers["x-auth-key"] !== undefined || headers["x-auth-email"] !== undefined) {
      return { kind: "globalKey" };
    }
    return { kind: "missing" };
  }
  const m = /^Bearer +([^\s]+) *$/i.exec(auth);
  if (!m) return { kind: "malformed" };
  return { kind: "bearer", token: m[1]! };
}

/**
 * Authenticates the request for a route and checks its permission. Returns the token, or throws
 * the ApiError to answer with.
 */
export function authorize(
  core: EmulatorCore,
  credential: Credential,
  rule: AuthRule,
  aiSearch: boolean,
  params: Readonly<Record<string, string>>,
): ApiTokenRecord {
  if (credential.kind === "missing") throw errors.missingAuth();
  if (credential.kind === "malformed") throw errors.badAuthorizationHeader();
  if (credential.kind === "globalKey") throw errors.unknownAuthKey();

  const now = core.now();
  const token = core.store.tokenBySecret(credential.token);
  const usable = token !== undefined && unusableReason(token, now) === undefined;

  if (rule.kind === "verify") {
    if (!token || !usable || token.owner.type !== rule.owner) throw errors.invalidApiToken();
    if (rule.owner === "account" && token.owner.id !== params.account_id) throw errors.invalidApiToken();
    token.lastUsedAtMs = now;
    return token;
  }

  if (!token || !usable) throw errors.authentication(aiSearch);
  const store = core.store;
  if (rule.resource === "account") {
    const accountId = params.account_id ?? "";
    if (accountId !== store.accountId) throw errors.unauthorized();
    if (token.owner.type === "account" && token.owner.id !== accountId) throw errors.unauthorized();
    if (!grantsAny(token, rule.groups, accountResource(accountId))) throw errors.unauthorized();
  } else {
    if (token.owner.type !== "user") throw errors.unauthorized();
    if (!grantsAny(token, rule.groups, userResource(store.userId))) throw errors.unauthorized();
  }
  token.lastUsedAtMs = now;
  return token;
}
