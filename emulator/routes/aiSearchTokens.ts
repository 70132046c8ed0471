// AI Search tokens: `/accounts/{account_id}/ai-search/tokens`. Registration (create and the
// full-body PUT) validates the credential and answers 7012 when AI Search could not use it.
// `cf_api_key` is kept only as a digest and appears in no response. Legacy tokens (the default
// when `legacy` is omitted) answer 401 on per-token GET and DELETE.
import { errors, success, type ApiReply } from "../envelope";
import { digest, uuid } from "../ids";
import type { AiSearchTokenRecord } from "../model";
import { PERMISSION_GROUP_IDS } from "../permissionGroups";
import { registrationRefusal } from "../registration";
import { AiSearchTokenBody } from "../requests";
import type { AiSearchTokenResponse } from "../responses";
import type { RequestContext, RouteDef } from "../router";
import { aiSearchTime, objectBody, paginateAiSearch, parseWith } from "./common";

const PREFIX = "/accounts/:account_id/ai-search/tokens";
const WRITE = [PERMISSION_GROUP_IDS.autoRagWrite] as const;
const READ = [PERMISSION_GROUP_IDS.autoRagWrite, PERMISSION_GROUP_IDS.autoRagRead] as const;

export function aiSearchTokenView(t: AiSearchTokenRecord, style: "rfc3339" | "space"): AiSearchTokenResponse {
  return {
    id: t.id,
    name: t.name,
    cf_api_id: t.cf_api_id,
    created_at: aiSearchTime(t.createdAtMs, style),
    modified_at: aiSearchTime(t.modifiedAtMs, style),
    created_by: t.created_by,
    modified_by: t.modified_by,
    enabled: t.enabled,
    legacy: t.legacy,
  };
}

function find(ctx: RequestContext): AiSearchTokenRecord {
  const t = ctx.core.store.aiSearchTokens.get(ctx.params.id!);
  if (!t) throw errors.aiSearchTokenNotFound();
  return t;
}

/** Validates the credential; a refusal answers 7012 (and is persisted: it may count against propagation). */
function checkRegistration(ctx: RequestContext, cfApiId: string, cfApiKey: string): void {
  const { store, behaviour } = ctx.core;
  const refusal = registrationRefusal(store, behaviour, cfApiId, cfApiKey, ctx.core.now());
  if (refusal) {
    store.commit();
    ctx.core.log.info(`ai-search token registration refused: ${refusal}`);
    throw errors.invalidServiceToken();
  }
}

export function aiSearchTokenRoutes(): RouteDef[] {
  const route = (
    method: string,
    suffix: string,
    groups: readonly string[],
    handler: (ctx: RequestContext) => ApiReply,
  ): RouteDef => ({
    method,
    template: PREFIX + suffix,
    aiSearch: true,
    auth: { kind: "permission", groups, resource: "account" },
    handler,
  });
  const style = (ctx: RequestContext) => ctx.core.behaviour.aiSearchTimestampStyle;

  return [
    route("POST", "", WRITE, (ctx) => {
      const body = parseWith(AiSearchTokenBody, objectBody(ctx.body));
      checkRegistration(ctx, body.cf_api_id, body.cf_api_key);
      const now = ctx.core.now();
      const record: AiSearchTokenRecord = {
        id: uuid(),
        name: body.name,
        cf_api_id: body.cf_api_id,
        keyDigest: digest(body.cf_api_key),
        legacy: body.legacy ?? ctx.core.behaviour.legacyDefault,
        enabled: true,
        createdAtMs: now,
        modifiedAtMs: now,
        created_by: null,
        modified_by: null,
      };
      ctx.core.store.aiSearchTokens.set(record.id, record);
      ctx.core.store.commit();
      return success(aiSearchTokenView(record, style(ctx)), {
        status: ctx.core.behaviour.aiSearchTokenCreateStatus,
      });
    }),
    route("GET", "", READ, (ctx) => {
      const search = ctx.query.get("search")?.toLowerCase();
      let list = [...ctx.core.store.aiSearchTokens.values()];
      if (search) list = list.filter((t) => t.name.toLowerCase().includes(search));
      const { page, info } = paginateAiSearch(ctx, list, 100);
      return success(
        page.map((t) => aiSearchTokenView(t, style(ctx))),
        { resultInfo: info },
      );
    }),
    route("GET", "/:id", READ, (ctx) => {
      const t = find(ctx);
      if (t.legacy && ctx.core.behaviour.refuseLegacyTokenRoutes) throw errors.legacyToken();
      return success(aiSearchTokenView(t, style(ctx)));
    }),
    route("PUT", "/:id", WRITE, (ctx) => {
      const t = find(ctx);
      const body = parseWith(AiSearchTokenBody, objectBody(ctx.body));
      checkRegistration(ctx, body.cf_api_id, body.cf_api_key);
      t.name = body.name;
      t.cf_api_id = body.cf_api_id;
      t.keyDigest = digest(body.cf_api_key);
      t.legacy = body.legacy ?? ctx.core.behaviour.legacyDefault;
      t.modifiedAtMs = ctx.core.now();
      ctx.core.store.commit();
      return success(aiSearchTokenView(t, style(ctx)));
    }),
    route("DELETE", "/:id", WRITE, (ctx) => {
      const t = find(ctx);
      if (t.legacy && ctx.core.behaviour.refuseLegacyTokenRoutes) throw errors.legacyToken();
      const store = ctx.core.store;
      // Deleted instances whose teardown is over no longer hold the token, even when no instance
      // route was called since (a delete that polls 7076 calls only this one).
      if (store.sweepDeletedInstances(ctx.core.now())) store.commit();
      if (store.instancesUsingToken(t.id).length > 0) throw errors.tokenInUse();
      // Instances created without token_id rely on the account's token too. Whether that blocks
      // its deletion is undocumented (7076 names instances that use it); by default it does not,
      // and those instances then show the loss (status "error", /stats), as the docs warn.
      const implicit = store.instancesRelyingImplicitly(t.id);
      if (implicit.length > 0) {
        if (ctx.core.behaviour.implicitTokenDeletion === "refuse") throw errors.tokenInUse();
        ctx.core.log.info(`ai-search token deleted while relied on implicitly by: ${implicit.join(", ")}`);
      }
      const until = store.teardowns.get(t.id);
      if (until !== undefined) {
        if (ctx.core.now() < until) throw errors.tokenInUse();
        store.teardowns.delete(t.id);
      }
      store.aiSearchTokens.delete(t.id);
      store.commit();
      return success(aiSearchTokenView(t, style(ctx)));
    }),
  ];
}
