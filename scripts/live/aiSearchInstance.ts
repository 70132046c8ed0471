// The AiSearchInstance steps of a live run, through the provider's own functions and every one of
// them through the namespaced routes (`default` included): create in `default`, read, move to a
// namespace and back (the API reference's PATCH {new_namespace}, which SDK 7.3 and wrangler 4.164
// do not have), a refused move, delete. Plus two probes of what the provider assumes: whether the
// deprecated account-level route still answers, and what an unserved path answers.
import { z } from "zod";
import type { AiSearchInstanceInputs, AiSearchInstanceOutputs } from "../../provider/aiSearchInstance/args";
import * as instance from "../../provider/aiSearchInstance/provider";
import type {
  AiSearchNamespaceInputs,
  AiSearchNamespaceOutputs,
} from "../../provider/aiSearchNamespace/args";
import * as namespace from "../../provider/aiSearchNamespace/provider";
import { isNotFound } from "../../provider/cloudflare";
import type { ProviderContext } from "../../provider/context";
import { describeError, type Observations } from "./observations";

/**
 * Namespaces of live runs start with this (a namespace name has at most 28 characters, so it
 * cannot carry the whole run name): `plive-<marker>`.
 */
export const LIVE_NAMESPACE_PREFIX = "plive-";

/** Removes live runs' instances (ids that `matches`) in every namespace, then their namespaces (names that `matches`). */
export async function sweepInstances(
  ctx: ProviderContext,
  accountId: string,
  matches: (name: string) => boolean,
  minAgeMs: number,
): Promise<{ removed: string[]; failed: string[] }> {
  const removed: string[] = [];
  const failed: string[] = [];
  const old = (made: string | null | undefined) => !(made && Date.now() - Date.parse(made) < minAgeMs);
  const attempt = async (what: string, remove: () => Promise<void>) => {
    try {
      await remove();
      removed.push(what);
    } catch (err) {
      if (isNotFound(err)) return;
      failed.push(`${what}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    }
  };
  const api = ctx.management();
  const namespaces = await api.aiSearchNamespaces.list(accountId);
  for (const ns of namespaces) {
    for (const i of await api.aiSearchInstances.list(accountId, ns.name)) {
      if (!matches(i.id) || !old(i.created_at)) continue;
      await attempt(`instance ${ns.name}/${i.id}`, () =>
        api.aiSearchInstances.delete(accountId, ns.name, i.id),
      );
    }
  }
  for (const ns of namespaces) {
    if (!matches(ns.name) || !old(ns.created_at)) continue;
    await attempt(`namespace ${ns.name}`, () => api.aiSearchNamespaces.delete(accountId, ns.name));
  }
  return { removed, failed };
}

/** The instance steps; always tries to delete what they made, whatever failed on the way. */
export async function instanceLifecycle(
  ctx: ProviderContext,
  accountId: string,
  runName: string,
  marker: string,
  tokenId: string,
  obs: Observations,
): Promise<void> {
  const nsName = `${LIVE_NAMESPACE_PREFIX}${marker}`;
  const declared = (extra: Record<string, unknown> = {}): AiSearchInstanceInputs =>
    instance.check({ accountId, instanceId: runName, tokenId, ...extra }).inputs as AiSearchInstanceInputs;
  const client = ctx.management().client;
  const account = `/accounts/${encodeURIComponent(accountId)}/ai-search`;

  const created = await obs.step(
    "instance create in default (namespaces/default/instances)",
    () => instance.create(ctx, declared()),
    ({ outs }) => ({
      namespace: outs.namespace,
      hasPublicEndpointId: typeof outs.publicEndpointId === "string",
    }),
  );
  if (!created) return;
  let state: AiSearchInstanceOutputs = created.outs;
  let ns: { id: string; outs: AiSearchNamespaceOutputs } | undefined;
  let blocker = false;
  try {
    await obs.step(
      "instance read (refresh) through namespaces/default",
      () => instance.read(ctx, created.id, state),
      (r) => ({
        found: r.id === created.id,
        changes: r.props ? instance.diff(r.props, declared()).changes : "none",
      }),
    );
    await obs.step(
      "the deprecated account-level route still answers",
      () =>
        client.call("GET", `${account}/instances/${encodeURIComponent(runName)}`, { result: z.unknown() }),
      () => ({ served: true }),
    );
    await obs.step(
      "an unserved path is an error, not gone",
      () => client.call("GET", `${account}/no-such-route-${marker}`, { result: z.unknown() }),
      () => ({ answered: "success" }),
    );
    ns = await obs.step(
      "namespace create",
      () =>
        namespace.create(ctx, namespace.check({ accountId, name: nsName }).inputs as AiSearchNamespaceInputs),
      () => ({ created: true }),
    );
    if (!ns) return;
    const moved = await obs.step(
      "move to the namespace (PATCH {new_namespace})",
      () => instance.update(ctx, created.id, state, declared({ namespace: nsName })),
      (outs) => ({
        namespace: outs.namespace === nsName ? "target" : outs.namespace,
        samePublicEndpointId: outs.publicEndpointId === created.outs.publicEndpointId,
      }),
    );
    if (moved) state = moved;
    // A refused move: `default` holds an instance with this id now.
    blocker = !!(await obs.step(
      "an instance with the same id in default",
      () =>
        ctx.management().aiSearchInstances.create(accountId, "default", { id: runName, token_id: tokenId }),
      () => ({ created: true }),
    ));
    await obs.step(
      "move to a namespace holding that id is refused",
      async () => {
        try {
          await ctx.management().aiSearchInstances.move(accountId, nsName, runName, "default");
          return { refused: false };
        } catch (err) {
          return { refused: true, answer: describeError(err) };
        }
      },
      (r) => r,
    );
    if (blocker) {
      await obs.step(
        "delete the same-id instance",
        () => ctx.management().aiSearchInstances.delete(accountId, "default", runName),
        () => ({ deleted: true }),
      );
      blocker = false;
    }
    const back = await obs.step(
      "move back to default",
      () => instance.update(ctx, created.id, state, declared({ namespace: "default" })),
      (outs) => ({ namespace: outs.namespace }),
    );
    if (back) state = back;
  } finally {
    if (blocker)
      await ctx
        .management()
        .aiSearchInstances.delete(accountId, "default", runName)
        .catch(() => undefined);
    await obs.step(
      "instance delete",
      async () => {
        await instance.remove(ctx, created.id, state);
        return instance.read(ctx, created.id, state);
      },
      (r) => ({ gone: r.id === undefined }),
    );
    if (ns) {
      const made = ns;
      await obs.step(
        "namespace delete",
        () => namespace.remove(ctx, made.id, made.outs),
        () => ({ deleted: true }),
      );
    }
  }
}
