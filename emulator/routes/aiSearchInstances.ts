// AI Search instances, under `/accounts/{account_id}/ai-search/instances` (the `default`
// namespace: inferred, conflict C10) and `/accounts/{account_id}/ai-search/namespaces/{name}/instances`
// (any namespace that exists; an unknown one answers 7063). Ids are unique per namespace.
//
// - create: 7022 duplicate id, 7052 a type without source or a source the type cannot be inferred
//   from (instanceRules.ts), 400 for settings rules (custom metadata, boost_by, the public endpoint:
//   publicEndpoint.ts), 7012 unknown `token_id` or, without
//   one, no account token to rely on (`accountTokenRequiredFor`); an instance whose token is gone
//   reads `status: "error"` and degraded `/stats`;
// - update (PUT): no `id`/`type` in the body; given fields replace stored ones, nested objects
//   (`public_endpoint_params` included, but for its `custom_domains`, kept when left out) are
//   replaced whole, except `retrieval_options`, whose omitted keys keep their stored values
//   (reference 3.3); SDK 7.3's separate-PUT rule is enforced (publicEndpoint.ts);
// - `token_id` is write-only unless `echoTokenIdOnRead` is on (conflict C2), and so are the
//   settings TF marks `no_refresh` unless `echoWriteOnlyInstanceFields` is on;
// - every write stores the server's normal form and defaults (instanceSettings.ts), unless
//   `normaliseInstanceValues` / `fillInstanceDefaults` are off;
// - move (PATCH `{new_namespace}`, API reference only): the same instance (settings, public endpoint
//   id, jobs, hence index and stats) in another namespace; 7063 for an unknown target, 400 / 7022
//   when the target holds an instance with this id (the reference gives the status only);
// - delete answers the deleted instance and starts the token's teardown window.
// - `retireAccountLevelInstanceRoutes` answers the account-level routes as an unserved path
//   (404, 7003 + 7000): the day Cloudflare retires them (SDK 7.3 marks them deprecated).
import { errors, success, type ApiReply } from "../envelope";
import { hexId } from "../ids";
import { instanceStats } from "../jobs";
import { WRITE_ONLY_INSTANCE_FIELDS, normalised, withServerDefaults } from "../instanceSettings";
import { checkBoostBy, withInferredType } from "../instanceRules";
import { checkEndpoint, checkSeparatePut, echoedOnPut, endpointAfterPut } from "../publicEndpoint";
import type { InstanceRecord } from "../model";
import { PERMISSION_GROUP_IDS } from "../permissionGroups";
import { InstanceCreateBody, InstanceMoveBody, InstanceUpdateBody } from "../requests";
import type { InstanceResponse } from "../responses";
import type { RequestContext, RouteDef } from "../router";
import { DEFAULT_NAMESPACE } from "../store";
import { aiSearchTime, direction, objectBody, paginateAiSearch, parseWith } from "./common";

/** The account-level routes act on the `default` namespace (C10); the namespaced ones name it. */
export const ACCOUNT_LEVEL_INSTANCE_PREFIX = "/accounts/:account_id/ai-search/instances";
export const INSTANCE_PREFIXES = [
  ACCOUNT_LEVEL_INSTANCE_PREFIX,
  "/accounts/:account_id/ai-search/namespaces/:namespace/instances",
] as const;

/** Whether a route template is one of the deprecated account-level instance routes (jobs included). */
export function isAccountLevelInstanceRoute(template: string): boolean {
  return (
    template === ACCOUNT_LEVEL_INSTANCE_PREFIX || template.startsWith(ACCOUNT_LEVEL_INSTANCE_PREFIX + "/")
  );
}

const WRITE = [PERMISSION_GROUP_IDS.autoRagWrite] as const;
const READ = [PERMISSION_GROUP_IDS.autoRagWrite, PERMISSION_GROUP_IDS.autoRagRead] as const;

export function instanceView(
  i: InstanceRecord,
  opts: {
    echoTokenId: boolean;
    echoWriteOnly: boolean;
    style: "rfc3339" | "space";
    /** Why its token no longer gives it access: it then reads `status: "error"`. */
    tokenProblem?: string | undefined;
  },
): InstanceResponse {
  const { token_id, ...settings } = i.settings;
  if (!opts.echoWriteOnly) for (const key of WRITE_ONLY_INSTANCE_FIELDS) delete settings[key];
  const view: InstanceResponse = {
    id: i.id,
    ...structuredClone(settings),
    type: typeof settings.type === "string" ? settings.type : null,
    source: typeof settings.source === "string" ? settings.source : null,
    namespace: i.namespace,
    // "error" is an inferred value: the docs say only that such instances lose access to their
    // data source and stop indexing (reference 1.1); status values are undocumented (C9).
    status: i.goneAtMs === undefined && opts.tokenProblem ? "error" : i.status,
    enable: true,
    paused: settings.paused === true,
    public_endpoint_id: i.public_endpoint_id,
    created_at: aiSearchTime(i.createdAtMs, opts.style),
    modified_at: aiSearchTime(i.modifiedAtMs, opts.style),
    created_by: i.created_by,
    modified_by: i.modified_by,
    last_activity: null,
  };
  const pep = view.public_endpoint_params as Record<string, unknown> | undefined;
  // Replaced whole on PUT: what was left out reads back as its default (reference 3.3).
  if (pep && pep.default_domain_enabled === undefined) pep.default_domain_enabled = true;
  if (pep && pep.custom_domains === undefined) pep.custom_domains = null;
  if (opts.echoTokenId) view.token_id = typeof token_id === "string" ? token_id : null;
  return view;
}

/** Drops keys whose value is undefined, so stored settings hold only what was sent. */
function defined(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

/** What the server stores of a write: its normal form, with its defaults filled in (each switchable). */
function stored(ctx: RequestContext, settings: Record<string, unknown>): Record<string, unknown> {
  const b = ctx.core.behaviour;
  let out = defined(settings);
  if (b.normaliseInstanceValues) out = normalised(out);
  if (b.fillInstanceDefaults) out = withServerDefaults(out);
  return out;
}

export function namespaceOf(ctx: RequestContext): string {
  const ns = ctx.params.namespace ?? DEFAULT_NAMESPACE;
  if (!ctx.core.store.namespaces.has(ns)) throw errors.namespaceNotFound();
  // Every instance route passes here: deleted instances whose teardown is over are gone now.
  if (ctx.core.store.sweepDeletedInstances(ctx.core.now())) ctx.core.store.commit();
  return ns;
}

/** The instance the route's `:id` (and namespace) name; 7002 when there is none. */
export function findInstance(ctx: RequestContext): InstanceRecord {
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
 * A create without `token_id` relies on the account's AI Search token (reference 1.2 step 5,
 * "What matters most"); with none registered, the instance types `accountTokenRequiredFor` names
 * are refused. The real error is undocumented: 7012 (invalid token, 400) is the closest
 * documented code (conflict C1, inferred).
 */
function implicitToken(ctx: RequestContext, settings: Record<string, unknown>): string | undefined {
  if (typeof settings.token_id === "string") return undefined;
  const account = ctx.core.store.accountToken();
  if (account) return account.id;
  const required = ctx.core.behaviour.accountTokenRequiredFor;
  if (required === "every-instance" || (required === "r2" && settings.type === "r2")) {
    ctx.core.log.info("instance without token_id on an account with no ai-search token");
    throw errors.invalidServiceToken();
  }
  return undefined;
}

function checkTypeAndSource(settings: Record<string, unknown>): void {
  const hasType = settings.type !== undefined && settings.type !== null;
  const hasSource = settings.source !== undefined && settings.source !== null;
  if (hasType !== hasSource) throw errors.typeAndSource();
}

export function aiSearchInstanceRoutes(): RouteDef[] {
  const prefixes = INSTANCE_PREFIXES;
  const view = (ctx: RequestContext, i: InstanceRecord) =>
    instanceView(i, {
      echoTokenId: ctx.core.behaviour.echoTokenIdOnRead,
      echoWriteOnly: ctx.core.behaviour.echoWriteOnlyInstanceFields,
      style: ctx.core.behaviour.aiSearchTimestampStyle,
      tokenProblem: ctx.core.store.tokenProblem(i, ctx.core.now()),
    });

  const handlers: [string, string, readonly string[], (ctx: RequestContext) => ApiReply][] = [
    [
      "POST",
      "",
      WRITE,
      (ctx) => {
        const ns = namespaceOf(ctx);
        const body = parseWith(InstanceCreateBody, objectBody(ctx.body));
        const { id, ...rest } = body;
        const store = ctx.core.store;
        if (store.getInstance(ns, id)) throw errors.instanceExists();
        const settings = withInferredType(defined(rest));
        checkBoostBy(settings);
        checkEndpoint(ctx, settings.public_endpoint_params, { kind: "instance", namespace: ns, id });
        checkTokenId(ctx, settings.token_id);
        const implicitTokenId = implicitToken(ctx, settings);
        const now = ctx.core.now();
        const instance: InstanceRecord = {
          id,
          namespace: ns,
          settings: stored(ctx, settings),
          createdAtMs: now,
          modifiedAtMs: now,
          status: "waiting",
          public_endpoint_id: hexId(),
          created_by: null,
          modified_by: null,
          ...(implicitTokenId === undefined ? {} : { implicitTokenId }),
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
        const search = ctx.query.get("search")?.toLowerCase();
        const nsFilter = ctx.query.get("namespace");
        // The account-level list takes its namespace from the `namespace` filter (inferred, C10).
        const ns =
          ctx.params.namespace === undefined && nsFilter
            ? namespaceOf({ ...ctx, params: { ...ctx.params, namespace: nsFilter } })
            : namespaceOf(ctx);
        const orderBy = ctx.query.get("order_by");
        if (orderBy && orderBy !== "created_at") {
          throw errors.validation([{ message: "must be created_at", path: ["order_by"] }]);
        }
        let list = [...ctx.core.store.instances.values()].filter((i) => i.namespace === ns);
        if (nsFilter) list = list.filter((i) => i.namespace === nsFilter);
        if (search) list = list.filter((i) => i.id.toLowerCase().includes(search));
        if (direction(ctx.query, "order_by_direction") === "desc") list.reverse();
        const { page, info } = paginateAiSearch(ctx, list);
        return success(
          page.map((i) => view(ctx, i)),
          { resultInfo: info },
        );
      },
    ],
    ["GET", "/:id", READ, (ctx) => success(view(ctx, findInstance(ctx)))],
    [
      "PUT",
      "/:id",
      WRITE,
      (ctx) => {
        const instance = findInstance(ctx);
        if (instance.goneAtMs !== undefined) throw errors.instanceNotFound(); // being deleted
        const raw = objectBody(ctx.body);
        const immutable = ["id", "type"].filter((k) => k in raw);
        if (immutable.length) {
          throw errors.validation(immutable.map((k) => ({ message: "cannot be changed", path: [k] })));
        }
        const body = parseWith(InstanceUpdateBody, raw) as Record<string, unknown>;
        checkSeparatePut(ctx, body, instance.settings.public_endpoint_params);
        const next: Record<string, unknown> = { ...instance.settings };
        for (const [key, value] of Object.entries(body)) {
          if (value === undefined) continue;
          const stored = next[key];
          if (key === "retrieval_options" && isObject(value) && isObject(stored)) {
            next[key] = { ...stored, ...value };
          } else if (key === "public_endpoint_params" && isObject(value)) {
            next[key] = endpointAfterPut(stored, value); // omitted custom domains stay bound
          } else {
            next[key] = value;
          }
        }
        checkTypeAndSource(next);
        checkTokenId(ctx, body.token_id);
        checkBoostBy(next);
        const owner = { kind: "instance", namespace: instance.namespace, id: instance.id } as const;
        checkEndpoint(ctx, next.public_endpoint_params, owner);
        instance.settings = stored(ctx, next);
        instance.modifiedAtMs = ctx.core.now();
        ctx.core.store.commit();
        const answer = view(ctx, instance);
        echoedOnPut(answer.public_endpoint_params, body.public_endpoint_params);
        return success(answer);
      },
    ],
    [
      "PATCH",
      "/:id",
      WRITE,
      (ctx) => {
        const instance = findInstance(ctx);
        if (instance.goneAtMs !== undefined) throw errors.instanceNotFound(); // being deleted
        const { new_namespace: to } = parseWith(InstanceMoveBody, objectBody(ctx.body));
        const store = ctx.core.store;
        if (!store.namespaces.has(to)) throw errors.namespaceNotFound();
        if (to !== instance.namespace) {
          if (store.getInstance(to, instance.id)) throw errors.instanceExists();
          store.moveInstance(instance, to);
          instance.modifiedAtMs = ctx.core.now();
          store.commit();
        }
        return success(view(ctx, instance));
      },
    ],
    [
      "DELETE",
      "/:id",
      WRITE,
      (ctx) => {
        const instance = findInstance(ctx);
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
        const b = ctx.core.behaviour;
        store.startTeardown(
          instance,
          b.instanceTeardownMs,
          b.implicitTokenDeletion === "refuse",
          ctx.core.now(),
        );
        store.commit();
        return success(view(ctx, instance));
      },
    ],
    [
      "GET",
      "/:id/stats",
      READ,
      (ctx) => {
        const instance = findInstance(ctx);
        const now = ctx.core.now();
        const problem = ctx.core.store.tokenProblem(instance, now);
        const latest = ctx.core.store.jobsOf(instance.namespace, instance.id).at(-1);
        const style = ctx.core.behaviour.aiSearchTimestampStyle;
        // The source's error is keyed by the source (the instance id for built-in storage).
        const source = typeof instance.settings.source === "string" ? instance.settings.source : instance.id;
        const lostAccess = problem ? { source, tokenProblem: problem } : undefined;
        return success(instanceStats(latest, now, (ms) => aiSearchTime(ms, style), lostAccess));
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
