// AI Search namespaces, read-only: `GET /accounts/{account_id}/ai-search/namespaces` and
// `GET …/namespaces/{name}` (reference 3.1). Only the `default` namespace exists, which every
// account has and which cannot be modified (7065); any other name answers 7063. wrangler lists
// namespaces (`wrangler ai-search namespace list`, and its interactive `create`).
import { errors, success, type ApiReply } from "../envelope";
import { PERMISSION_GROUP_IDS } from "../permissionGroups";
import type { AiSearchNamespaceResponse } from "../responses";
import type { RequestContext, RouteDef } from "../router";
import { DEFAULT_NAMESPACE } from "../store";
import { aiSearchTime, paginate } from "./common";

const PREFIX = "/accounts/:account_id/ai-search/namespaces";
const READ = [PERMISSION_GROUP_IDS.autoRagWrite, PERMISSION_GROUP_IDS.autoRagRead] as const;

function defaultNamespace(ctx: RequestContext): AiSearchNamespaceResponse {
  // The account's own namespace is as old as the emulated account: its bootstrap token.
  const since = ctx.core.store.bootstrapToken()?.issuedAtMs ?? ctx.core.now();
  return {
    name: DEFAULT_NAMESPACE,
    description: null,
    created_at: aiSearchTime(since, ctx.core.behaviour.aiSearchTimestampStyle),
  };
}

export function aiSearchNamespaceRoutes(): RouteDef[] {
  const route = (suffix: string, handler: (ctx: RequestContext) => ApiReply): RouteDef => ({
    method: "GET",
    template: PREFIX + suffix,
    aiSearch: true,
    auth: { kind: "permission", groups: READ, resource: "account" },
    handler,
  });
  return [
    route("", (ctx) => {
      const search = ctx.query.get("search")?.toLowerCase();
      let list = [defaultNamespace(ctx)];
      if (search) list = list.filter((n) => n.name.includes(search));
      const { page, info } = paginate(list, ctx.query, {
        cap: ctx.core.behaviour.pageSizeCap,
        totalPages: ctx.core.behaviour.aiSearchTotalPages,
      });
      return success(page, { resultInfo: info });
    }),
    route("/:name", (ctx) => {
      if (ctx.params.name !== DEFAULT_NAMESPACE) throw errors.namespaceNotFound();
      return success(defaultNamespace(ctx));
    }),
  ];
}
