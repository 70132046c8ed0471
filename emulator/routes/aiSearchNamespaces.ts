// AI Search namespaces, under `/accounts/{account_id}/ai-search/namespaces` (reference 3.1):
//
// - `default` always exists, first in the list; it cannot be deleted and its description cannot be
//   changed (7065), though its public endpoint can (SDK `namespaces.update` doc comment);
// - create: 7064 when the name is taken (`default` included), 7062 past `maxNamespaces`
//   (`default` counts);
// - update (PUT): a given field replaces the stored one, `public_endpoint_params` whole except its
//   custom domains, which stay when left out (publicEndpoint.ts, shared with instances);
// - delete: 7066 while the namespace holds instances (those being deleted count); answers the
//   deleted namespace (the SDK types the answer `unknown`; inferred);
// - unknown name: 7063.
import { errors, success } from "../envelope";
import { hexId } from "../ids";
import type { NamespaceRecord } from "../model";
import { PERMISSION_GROUP_IDS } from "../permissionGroups";
import { NamespaceCreateBody, NamespaceUpdateBody } from "../requests";
import type { NamespaceResponse } from "../responses";
import type { RequestContext, RouteDef } from "../router";
import { DEFAULT_NAMESPACE } from "../store";
import {
  checkEndpoint,
  checkInstancesAllowed,
  checkSeparatePut,
  echoedOnPut,
  endpointAfterPut,
} from "../publicEndpoint";
import { aiSearchTime, objectBody, paginateAiSearch, parseWith } from "./common";

const WRITE = [PERMISSION_GROUP_IDS.autoRagWrite] as const;
const READ = [PERMISSION_GROUP_IDS.autoRagWrite, PERMISSION_GROUP_IDS.autoRagRead] as const;

function namespaceView(ctx: RequestContext, n: NamespaceRecord): NamespaceResponse {
  const style = ctx.core.behaviour.aiSearchTimestampStyle;
  return {
    name: n.name,
    description: n.description,
    created_at: n.createdAtMs === null ? null : aiSearchTime(n.createdAtMs, style),
    public_endpoint_id: n.public_endpoint_id,
    public_endpoint_params: n.public_endpoint_params ? structuredClone(n.public_endpoint_params) : null,
  };
}

/** The namespace named in the path, or 7063. */
function find(ctx: RequestContext): NamespaceRecord {
  const n = ctx.core.store.namespaces.get(ctx.params.name!);
  if (!n) throw errors.namespaceNotFound();
  return n;
}

export function aiSearchNamespaceRoutes(): RouteDef[] {
  const base = "/accounts/:account_id/ai-search/namespaces";
  const route = (
    method: string,
    suffix: string,
    groups: readonly string[],
    handler: RouteDef["handler"],
  ): RouteDef => ({
    method,
    template: base + suffix,
    aiSearch: true,
    auth: { kind: "permission", groups, resource: "account" },
    handler,
  });

  return [
    route("POST", "", WRITE, (ctx) => {
      const body = parseWith(NamespaceCreateBody, objectBody(ctx.body));
      const store = ctx.core.store;
      if (store.namespaces.has(body.name)) throw errors.namespaceExists();
      if (store.namespaces.size >= ctx.core.behaviour.maxNamespaces) throw errors.maxNamespaces();
      checkEndpoint(ctx, body.public_endpoint_params, { kind: "namespace", name: body.name });
      checkInstancesAllowed(ctx, body.name, body.public_endpoint_params);
      const now = ctx.core.now();
      const ns: NamespaceRecord = {
        name: body.name,
        description: body.description ?? null,
        public_endpoint_params: body.public_endpoint_params ?? null,
        public_endpoint_id: hexId(),
        createdAtMs: now,
        modifiedAtMs: now,
      };
      store.namespaces.set(ns.name, ns);
      store.commit();
      return success(namespaceView(ctx, ns));
    }),
    route("GET", "", READ, (ctx) => {
      const search = ctx.query.get("search")?.toLowerCase();
      let list = [...ctx.core.store.namespaces.values()];
      if (search) {
        list = list.filter(
          (n) =>
            n.name.toLowerCase().includes(search) || (n.description ?? "").toLowerCase().includes(search),
        );
      }
      const { page, info } = paginateAiSearch(ctx, list);
      return success(
        page.map((n) => namespaceView(ctx, n)),
        { resultInfo: info },
      );
    }),
    route("GET", "/:name", READ, (ctx) => success(namespaceView(ctx, find(ctx)))),
    route("PUT", "/:name", WRITE, (ctx) => {
      const ns = find(ctx);
      const raw = objectBody(ctx.body);
      if ("name" in raw) {
        throw errors.validation([
          { message: "cannot be changed: a namespace is renamed by creating a new one", path: ["name"] },
        ]);
      }
      const body = parseWith(NamespaceUpdateBody, raw);
      if (
        ns.name === DEFAULT_NAMESPACE &&
        body.description !== undefined &&
        body.description !== ns.description
      ) {
        throw errors.defaultNamespaceImmutable();
      }
      checkSeparatePut(ctx, body, ns.public_endpoint_params);
      const endpoint =
        body.public_endpoint_params === undefined
          ? ns.public_endpoint_params
          : body.public_endpoint_params === null
            ? null
            : endpointAfterPut(ns.public_endpoint_params, body.public_endpoint_params);
      checkEndpoint(ctx, endpoint, { kind: "namespace", name: ns.name });
      checkInstancesAllowed(ctx, ns.name, endpoint);
      if (body.description !== undefined) ns.description = body.description;
      ns.public_endpoint_params = endpoint;
      ns.modifiedAtMs = ctx.core.now();
      ctx.core.store.commit();
      const answer = namespaceView(ctx, ns);
      echoedOnPut(answer.public_endpoint_params, body.public_endpoint_params);
      return success(answer);
    }),
    route("DELETE", "/:name", WRITE, (ctx) => {
      const ns = find(ctx);
      const store = ctx.core.store;
      if (ns.name === DEFAULT_NAMESPACE) throw errors.defaultNamespaceImmutable();
      // Instances whose teardown is over are gone now; the others still hold the namespace.
      store.sweepDeletedInstances(ctx.core.now());
      if (store.instanceCountIn(ns.name) > 0) throw errors.namespaceNotEmpty();
      store.namespaces.delete(ns.name);
      store.commit();
      return success(namespaceView(ctx, ns));
    }),
  ];
}
