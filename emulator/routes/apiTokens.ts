// User-owned (`/user/tokens`) and account-owned (`/accounts/{account_id}/tokens`) API tokens:
// create, list, get, update, delete, verify, roll the secret, and the permission-group catalogue.
// One factory builds both sets; they differ in prefix, owner, secret prefix and permission.
import { z } from "zod";
import { errors, success, type ApiReply } from "../envelope";
import { hexId, tokenSecret } from "../ids";
import type { ApiTokenRecord, StoredPolicy, TokenOwnerType } from "../model";
import {
  ACCOUNT_SCOPE,
  PERMISSION_GROUP_IDS,
  PERMISSION_GROUPS,
  USER_SCOPE,
  ZONE_SCOPE,
  permissionGroup,
} from "../permissionGroups";
import { effectiveStatus } from "../permissions";
import { ApiTokenCreateBody, ApiTokenUpdateBody } from "../requests";
import type { ApiTokenResponse, CreatedApiTokenResponse } from "../responses";
import type { RequestContext, RouteDef } from "../router";
import type { Store } from "../store";
import { direction, objectBody, paginate, parseWith, rfc3339 } from "./common";

/** The API's view of a token: never its secret. */
export function tokenView(t: ApiTokenRecord, nowMs: number): ApiTokenResponse {
  const view: ApiTokenResponse = {
    id: t.id,
    name: t.name,
    status: effectiveStatus(t, nowMs),
    issued_on: rfc3339(t.issuedAtMs),
    modified_on: rfc3339(t.modifiedAtMs),
    last_used_on: t.lastUsedAtMs === null ? null : rfc3339(t.lastUsedAtMs),
    policies: structuredClone(t.policies),
  };
  if (t.expires_on) view.expires_on = t.expires_on;
  if (t.not_before) view.not_before = t.not_before;
  if (t.condition) view.condition = structuredClone(t.condition);
  return view;
}

type TokenBody = ApiTokenCreateBody | ApiTokenUpdateBody;

const ACCOUNT_PREFIX = "com.cloudflare.api.account.";
const ZONE_PREFIX = "com.cloudflare.api.account.zone.";
const USER_PREFIX = "com.cloudflare.api.user.";

/**
 * Checks what the schema cannot: known permission groups, resources of this account or user,
 * groups whose scope fits the resources, and parseable dates. Builds the stored policies.
 */
function buildPolicies(store: Store, owner: TokenOwnerType, body: TokenBody): StoredPolicy[] {
  const issues: { message: string; path: (string | number)[] }[] = [];
  const policies = body.policies.map((policy, pi): StoredPolicy => {
    const kinds = new Set<string>();
    for (const [key, value] of Object.entries(policy.resources)) {
      const at = ["policies", pi, "resources", key];
      if (key.startsWith(ZONE_PREFIX)) {
        kinds.add(ZONE_SCOPE);
      } else if (key.startsWith(ACCOUNT_PREFIX)) {
        const id = key.slice(ACCOUNT_PREFIX.length);
        if (id !== store.accountId && id !== "*") issues.push({ message: "unknown account", path: at });
        kinds.add(typeof value === "string" ? ACCOUNT_SCOPE : ZONE_SCOPE);
      } else if (key.startsWith(USER_PREFIX)) {
        const id = key.slice(USER_PREFIX.length);
        if (owner === "account") {
          issues.push({ message: "account-owned tokens cannot hold user resources", path: at });
        } else if (id !== store.userId && id !== "*") {
          issues.push({ message: "unknown user", path: at });
        }
        kinds.add(USER_SCOPE);
      } else {
        issues.push({ message: "unknown resource", path: at });
      }
    }
    const groups = policy.permission_groups.map((ref, gi) => {
      const group = permissionGroup(ref.id);
      const at = ["policies", pi, "permission_groups", gi, "id"];
      if (!group) {
        issues.push({ message: "unknown permission group", path: at });
        return { id: ref.id, name: "" };
      }
      if (owner === "account" && group.scopes.includes(USER_SCOPE)) {
        issues.push({ message: `${group.name} cannot be given to an account-owned token`, path: at });
      } else if (!group.scopes.some((s) => kinds.has(s))) {
        issues.push({ message: `${group.name} does not apply to the policy's resources`, path: at });
      }
      return ref.meta
        ? { id: group.id, name: group.name, meta: ref.meta }
        : { id: group.id, name: group.name };
    });
    return {
      id: hexId(),
      effect: policy.effect,
      resources: structuredClone(policy.resources),
      permission_groups: groups,
    };
  });
  for (const field of ["expires_on", "not_before"] as const) {
    const v = body[field];
    if (v !== undefined && Number.isNaN(Date.parse(v))) {
      issues.push({ message: "must be an RFC 3339 date-time", path: [field] });
    }
  }
  if (issues.length) throw errors.validation(issues);
  return policies;
}

interface Variant {
  owner: TokenOwnerType;
  prefix: string;
  groups: readonly string[];
  ownerId: (ctx: RequestContext) => string;
}

export function apiTokenRoutes(owner: TokenOwnerType): RouteDef[] {
  const v: Variant =
    owner === "user"
      ? {
          owner,
          prefix: "/user/tokens",
          groups: [PERMISSION_GROUP_IDS.apiTokensWrite],
          ownerId: (ctx) => ctx.core.store.userId,
        }
      : {
          owner,
          prefix: "/accounts/:account_id/tokens",
          groups: [PERMISSION_GROUP_IDS.accountApiTokensWrite],
          ownerId: (ctx) => ctx.params.account_id!,
        };
  const auth = { kind: "permission", groups: v.groups, resource: owner } as const;
  const route = (method: string, suffix: string, handler: (ctx: RequestContext) => ApiReply): RouteDef => ({
    method,
    template: v.prefix + suffix,
    aiSearch: false,
    auth,
    handler,
  });

  /** The token of this owner named by the path, or a 404. */
  const find = (ctx: RequestContext): ApiTokenRecord => {
    const t = ctx.core.store.apiTokens.get(ctx.params.token_id!);
    if (!t || t.owner.type !== v.owner || t.owner.id !== v.ownerId(ctx))
      throw errors.apiTokenNotFound(`/client/v4${ctx.path}`);
    return t;
  };

  return [
    {
      method: "GET",
      template: `${v.prefix}/verify`,
      aiSearch: false,
      auth: { kind: "verify", owner },
      handler: (ctx) => {
        const t = ctx.token;
        const result: Record<string, unknown> = { id: t.id, status: effectiveStatus(t, ctx.core.now()) };
        if (t.expires_on) result.expires_on = t.expires_on;
        if (t.not_before) result.not_before = t.not_before;
        return success(result, {
          messages: [{ code: 10000, message: "This API Token is valid and active" }],
        });
      },
    },
    route("GET", "/permission_groups", (ctx) => {
      const name = ctx.query.get("name");
      const scope = ctx.query.get("scope");
      const list = PERMISSION_GROUPS.filter((g) => owner === "user" || !g.scopes.includes(USER_SCOPE))
        .filter((g) => !name || g.name.toLowerCase() === name.toLowerCase())
        .filter((g) => !scope || g.scopes.includes(scope))
        .map((g) => ({ ...g, scopes: [...g.scopes], is_selectable: true }));
      return success(list);
    }),
    route("POST", "", (ctx) => {
      const body = parseWith(ApiTokenCreateBody, objectBody(ctx.body));
      const store = ctx.core.store;
      const policies = buildPolicies(store, owner, body);
      const now = ctx.core.now();
      const secret = tokenSecret(owner);
      const token: ApiTokenRecord = {
        id: hexId(),
        name: body.name,
        owner: { type: owner, id: v.ownerId(ctx) },
        status: "active",
        policies,
        condition: body.condition,
        expires_on: body.expires_on ?? null,
        not_before: body.not_before ?? null,
        issuedAtMs: now,
        modifiedAtMs: now,
        lastUsedAtMs: null,
        secretDigest: "",
        secretIssuedAtMs: now,
        propagationAttempts: 0,
        propagated: false,
        bootstrap: false,
      };
      store.setSecret(token, secret, now);
      store.putApiToken(token);
      store.commit();
      const created: CreatedApiTokenResponse = { ...tokenView(token, now), value: secret };
      return success(created);
    }),
    route("GET", "", (ctx) => {
      const now = ctx.core.now();
      const includeExpired = ctx.query.get("include_expired") === "true";
      const ownerId = v.ownerId(ctx);
      let list = [...ctx.core.store.apiTokens.values()].filter(
        (t) => t.owner.type === owner && t.owner.id === ownerId,
      );
      if (!includeExpired) list = list.filter((t) => effectiveStatus(t, now) !== "expired");
      if (direction(ctx.query, "direction") === "desc") list.reverse();
      const { page, info } = paginate(list, ctx.query, {
        cap: ctx.core.behaviour.pageSizeCap,
        totalPages: true,
      });
      return success(
        page.map((t) => tokenView(t, now)),
        { resultInfo: info },
      );
    }),
    route("GET", "/:token_id", (ctx) => success(tokenView(find(ctx), ctx.core.now()))),
    route("PUT", "/:token_id", (ctx) => {
      const token = find(ctx);
      const body = parseWith(ApiTokenUpdateBody, objectBody(ctx.body));
      const policies = buildPolicies(ctx.core.store, owner, body);
      const now = ctx.core.now();
      token.name = body.name;
      token.policies = policies;
      token.condition = body.condition;
      token.expires_on = body.expires_on ?? null;
      token.not_before = body.not_before ?? null;
      if (body.status) token.status = body.status;
      token.modifiedAtMs = now;
      ctx.core.store.commit();
      return success(tokenView(token, now));
    }),
    route("DELETE", "/:token_id", (ctx) => {
      const token = find(ctx);
      ctx.core.store.deleteApiToken(token.id);
      ctx.core.store.commit();
      return success({ id: token.id });
    }),
    route("PUT", "/:token_id/value", (ctx) => {
      const token = find(ctx);
      if (ctx.body !== undefined) parseWith(z.strictObject({}), ctx.body);
      const now = ctx.core.now();
      const secret = tokenSecret(owner);
      ctx.core.store.setSecret(token, secret, now);
      token.modifiedAtMs = now;
      ctx.core.store.commit();
      return success(secret);
    }),
  ];
}
