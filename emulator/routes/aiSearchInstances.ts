// AI Search instances, under `/accounts/{account_id}/ai-search/instances` (the `default`
// namespace) and `/accounts/{account_id}/ai-search/namespaces/{name}/instances`. Only the
// `default` namespace exists; any other answers 7063.
//
// - create: 7022 duplicate id, 7052 exactly one of type/source, 7012 unknown `token_id`;
// - update (PUT): no `id`/`type` in the body; given fields replace stored ones, nested objects
//   (`public_endpoint_params` included) are replaced whole, except `retrieval_options`, whose
//   omitted keys keep their stored values (reference 3.3);
// - `token_id` is write-only unless `echoTokenIdOnRead` is on (conflict C2);
// - with `normaliseWebCrawlerSource`, a web-crawler `source` is stored in URL form;
// - delete answers the deleted instance and starts the token's teardown window.
import { CreateInstanceRequest, UpdateInstanceRequest } from "../../provider/cloudflare/schemas";
import { errors, success, type ApiReply } from "../envelope";
import { hexId } from "../ids";
import type { InstanceRecord } from "../model";
import { PERMISSION_GROUP_IDS } from "../permissionGroups";
import type { RequestContext, RouteDef } from "../router";
import { DEFAULT_NAMESPACE } from "../store";
import { aiSearchTime, direction, objectBody, paginate, parseWith } from "./common";

const WRITE = [PERMISSION_GROUP_IDS.autoRagWrite] as const;
const READ = [PERMISSION_GROUP_IDS.autoRagWrite, PERMISSION_GROUP_IDS.autoRagRead] as const;

export function instanceView(
  i: InstanceRecord,
  opts: { echoTokenId: boolean; style: "rfc3339" | "space" },
): Record<string, unknown> {
  const { token_id, ...settings } = i.settings;
  const view: Record<string, unknown> = {
    id: i.id,
    ...structuredClone(settings),
    type: settings.type ?? null,
    source: settings.source ?? null,
    namespace: i.namespace,
    status: i.status,
    enable: true,
    paused: settings.paused ?? false,
    public_endpoint_id: i.public_endpoint_id,
    created_at: aiSearchTime(i.createdAtMs, opts.style),
    modified_at: aiSearchTime(i.modifiedAtMs, opts.style),
    created_by: i.created_by,
    modified_by: i.modified_by,
    last_activity: null,
  };
  const pep = view.public_endpoint_params as Record<string, unknown> | undefined;
  if (pep && pep.default_domain_enabled === undefined) pep.default_domain_enabled = true;
  if (opts.echoTokenId) view.token_id = token_id ?? null;
  return view;
}

/** Drops keys whose value is undefined, so stored settings hold only what was sent. */
function defined(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

function namespaceOf(ctx: RequestContext): string {
  const ns = ctx.params.namespace ?? DEFAULT_NAMESPACE;
  if (ns !== DEFAULT_NAMESPACE) throw errors.namespaceNotFound();
  // Every instance route passes here: deleted instances whose teardown is over are gone now.
  if (ctx.core.store.sweepDeletedInstances(ctx.core.now())) ctx.core.store.commit();
  return ns;
}

function find(ctx: RequestContext): InstanceRecord {
  const ns = namespaceOf(ctx);
  const i = ctx.core.store.getInstance(ns, ctx.params.id!);
  if (!i) throw errors.instanceNotFound();
  return i;
}

function checkTokenId(ctx: RequestContext, tokenId: unknown): void {
  if (typeof tokenId === "string" && !ctx.core.store.aiSearchTokens.has(tokenId)) {
    ctx.core.log.info("instance refers to an unknown ai-search token");
    throw errors.invalidServiceToken();
  }
}

/**
 * A web-crawler source as a normalising API would store it: the serialised URL, scheme https
 * when none was given (`example.com` -> `https://example.com/`). Anything else is left as sent.
 */
function normalisedSource(ctx: RequestContext, settings: Record<string, unknown>): void {
  const source = settings.source;
  if (!ctx.core.behaviour.normaliseWebCrawlerSource || typeof source !== "string") return;
  if (settings.type !== "web-crawler") return;
  try {
    settings.source = new URL(source.includes("://") ? source : `https://${source}`).href;
  } catch {
    // Not a URL: left for the API's own validation, which this emulator does not model.
  }
}

function checkTypeAndSource(settings: Record<string, unknown>): void {
  const hasType = settings.type !== undefined && settings.type !== null;
  const hasSource = settings.source !== undefined && settings.source !== null;
  if (hasType !== hasSource) throw errors.typeAndSource();
}

export function aiSearchInstanceRoutes(): RouteDef[] {
  const prefixes = [
    "/accounts/:account_id/ai-search/instances",
    "/accounts/:account_id/ai-search/namespaces/:namespace/instances",
  ];
  const view = (ctx: RequestContext, i: InstanceRecord) =>
    instanceView(i, {
      echoTokenId: ctx.core.behaviour.echoTokenIdOnRead,
      style: ctx.core.behaviour.aiSearchTimestampStyle,
    });

  const handlers: [string, string, readonly string[], (ctx: RequestContext) => ApiReply][] = [
    [
      "POST",
      "",
      WRITE,
      (ctx) => {
        const ns = namespaceOf(ctx);
        const body = parseWith(CreateInstanceRequest, objectBody(ctx.body));
        const { id, ...rest } = body;
        const settings = defined(rest);
        const store = ctx.core.store;
        if (store.getInstance(ns, id)) throw errors.instanceExists();
        checkTypeAndSource(settings);
        checkTokenId(ctx, settings.token_id);
        normalisedSource(ctx, settings);
        if (
          settings.type === "r2" &&
          (settings.token_id === undefined || settings.token_id === null) &&
          ctx.core.behaviour.requireTokenIdForFirstR2 &&
          store.aiSearchTokens.size === 0
        ) {
          ctx.core.log.info("r2 instance without token_id on an account with no ai-search token");
          throw errors.invalidServiceToken();
        }
        const now = ctx.core.now();
        const instance: InstanceRecord = {
          id,
          namespace: ns,
          settings,
          createdAtMs: now,
          modifiedAtMs: now,
          status: "waiting",
          public_endpoint_id: hexId(),
          created_by: null,
          modified_by: null,
        };
        store.putInstance(instance);
        store.commit();
        return success(view(ctx, instance));
      },
    ],
    [
      "GET",
      "",
      READ,
      (ctx) => {
        const ns = namespaceOf(ctx);
        const search = ctx.query.get("search")?.toLowerCase();
        const nsFilter = ctx.query.get("namespace");
        const orderBy = ctx.query.get("order_by");
        if (orderBy && orderBy !== "created_at") {
          throw errors.validation([{ message: "must be created_at", path: ["order_by"] }]);
        }
        let list = [...ctx.core.store.instances.values()].filter((i) => i.namespace === ns);
        if (nsFilter) list = list.filter((i) => i.namespace === nsFilter);
        if (search) list = list.filter((i) => i.id.toLowerCase().includes(search));
        if (direction(ctx.query, "order_by_direction") === "desc") list.reverse();
        const { page, info } = paginate(list, ctx.query);
        return success(
          page.map((i) => view(ctx, i)),
          { resultInfo: info },
        );
      },
    ],
    ["GET", "/:id", READ, (ctx) => success(view(ctx, find(ctx)))],
    [
      "PUT",
      "/:id",
      WRITE,
      (ctx) => {
        const instance = find(ctx);
        if (instance.goneAtMs !== undefined) throw errors.instanceNotFound(); // being deleted
        const raw = objectBody(ctx.body);
        const immutable = ["id", "type"].filter((k) => k in raw);
        if (immutable.length) {
          throw errors.validation(immutable.map((k) => ({ message: "cannot be changed", path: [k] })));
        }
        const body = parseWith(UpdateInstanceRequest, raw) as Record<string, unknown>;
        const next: Record<string, unknown> = { ...instance.settings };
        for (const [key, value] of Object.entries(body)) {
          if (value === undefined) continue;
          const stored = next[key];
          if (key === "retrieval_options" && isObject(value) && isObject(stored)) {
            next[key] = { ...stored, ...value };
          } else {
            next[key] = value;
          }
        }
        checkTypeAndSource(next);
        checkTokenId(ctx, body.token_id);
        normalisedSource(ctx, next);
        instance.settings = defined(next);
        instance.modifiedAtMs = ctx.core.now();
        ctx.core.store.commit();
        return success(view(ctx, instance));
      },
    ],
    [
      "DELETE",
      "/:id",
      WRITE,
      (ctx) => {
        const instance = find(ctx);
        const store = ctx.core.store;
        if (instance.goneAtMs !== undefined) return success(view(ctx, instance)); // already being deleted
        const deleteMs = ctx.core.behaviour.instanceDeleteMs;
        if (deleteMs > 0) {
          // Background teardown: still readable (and still using its token) for a while.
          instance.status = "deleting";
          instance.goneAtMs = ctx.core.now() + deleteMs;
        } else {
          store.deleteInstance(instance.namespace, instance.id);
        }
        const tokenId = instance.settings.token_id;
        const teardown = ctx.core.behaviour.instanceTeardownMs;
        if (typeof tokenId === "string" && teardown > 0) {
          const until = ctx.core.now() + teardown;
          store.teardowns.set(tokenId, Math.max(store.teardowns.get(tokenId) ?? 0, until));
        }
        store.commit();
        return success(view(ctx, instance));
      },
    ],
    [
      "GET",
      "/:id/stats",
      READ,
      (ctx) => {
        find(ctx);
        return success({
          completed: 0,
          queued: 0,
          running: 0,
          error: 0,
          skipped: 0,
          outdated: 0,
          last_activity: null,
          file_embed_errors: {},
          index_source_errors: {},
        });
      },
    ],
  ];

  return prefixes.flatMap((prefix) =>
    handlers.map(([method, suffix, groups, handler]): RouteDef => ({
      method,
      template: prefix + suffix,
      aiSearch: true,
      auth: { kind: "permission", groups, resource: "account" },
      handler,
    })),
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
