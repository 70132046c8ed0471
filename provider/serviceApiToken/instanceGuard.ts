// The delete guard of ServiceApiToken: before the registration is deleted, the AI Search instances
// still in the account that may rely on it. Cloudflare's docs say the account's token "remains
// active for as long as you have AI Search instances that depend on it", and an instance created
// without `token_id` (as `wrangler ai-search create` makes them) relies on the account's token
// implicitly: AI Search lets that registration go (no 7076) and the instance loses access to its
// data. So a destroy must not delete it while instances outside the delete remain (docs/resources.md,
// "Two readings of the docs").
//
// An instance may rely on this token when it names it (`token_id`, when the API returns it), or
// names no token while this is the account's only enabled registration. One that names another
// token does not; nor does one that names none while another enabled registration exists: the
// account keeps a token, and counting those would stop every token replacement (the new token is
// registered and the stack's instances re-pointed before the old one is deleted, and the API does
// not echo their new `token_id`). Which of several registrations AI Search gives an instance that
// names none is undocumented (the emulator takes the newest at its create), so such an instance
// can still lose its token that way: docs/resources.md says so. An instance the API does not echo
// `token_id` for, but which was created with this one, is still protected by AI Search itself: the
// delete answers 7076.
import { DEFAULT_NAMESPACE, NamespaceNotFoundError } from "../cloudflare";
import type { AiSearchInstance } from "../cloudflare/schemas";
import { withCredential, type ProviderContext } from "../context";
import { AI_SEARCH_EDIT } from "../lifecycle";

/** An instance that may rely on the token, and why. */
export interface ReliantInstance {
  namespace: string;
  id: string;
  type?: string;
  why: "names it" | "names no token, and this is the account's only registered token";
}

/**
 * Every instance of the account: `default`'s list (through `namespaces/default/instances`, as
 * every instance call goes), and, if the namespaces list answers,
 * each other namespace's list. That is 2 requests (more with extra namespaces or pages), sent
 * side by side: the guard runs on the critical path of a destroy (the token is deleted last), so
 * it takes one round trip, not one per list.
 */
async function allInstances(ctx: ProviderContext, accountId: string): Promise<AiSearchInstance[]> {
  const api = ctx.management().aiSearchInstances;
  const found = new Map<string, AiSearchInstance>();
  const keep = (namespace: string, list: AiSearchInstance[]) => {
    for (const i of list)
      found.set(`${i.namespace ?? namespace}/${i.id}`, { ...i, namespace: i.namespace ?? namespace });
  };
  const namespacesListed = ctx
    .management()
    .aiSearchNamespaces.list(accountId)
    .then(
      (list) => list.map((n) => n.name),
      (err: unknown) => {
        // Namespaces may not be offered to this account or credential: `default`'s list stands.
        ctx.log(
          `Could not list AI Search namespaces (${err instanceof Error ? err.message : String(err)}); ` +
            "checked the default namespace's instance list only.",
        );
        return [];
      },
    );
  const [defaultList, namespaces] = await Promise.all([
    api.list(accountId, DEFAULT_NAMESPACE),
    namespacesListed,
  ]);
  keep(DEFAULT_NAMESPACE, defaultList);
  const others = namespaces.filter((ns) => ns !== DEFAULT_NAMESPACE);
  const lists = await Promise.all(
    others.map((ns) =>
      api.list(accountId, ns).catch((err: unknown) => {
        // Deleted since the namespaces list (a destroy deletes namespaces and the token in parallel,
        // neither depending on the other): a namespace that is gone holds no instances.
        if (err instanceof NamespaceNotFoundError) return [];
        throw err;
      }),
    ),
  );
  others.forEach((ns, i) => keep(ns, lists[i]!));
  return [...found.values()];
}

/** The instances in the account that may still rely on registration `tokenId`. */
export async function instancesRelyingOn(
  ctx: ProviderContext,
  accountId: string,
  tokenId: string,
): Promise<ReliantInstance[]> {
  return withCredential(ctx.sources.management, AI_SEARCH_EDIT, async () => {
    // An instance in `deleting` is on its way out: `pulumi destroy` deletes the stack's own
    // instances before the token (they depend on it), and AI Search tears them down in the
    // background. Counting them would fail every destroy; the 7076 wait covers their teardown.
    const live = (await allInstances(ctx, accountId)).filter((i) => i.status !== "deleting");
    if (live.length === 0) return [];
    const registrations = await ctx.management().aiSearchTokens.list(accountId);
    // Already gone: the delete is a no-op, and nothing relies on it any more.
    if (!registrations.some((t) => t.id === tokenId)) return [];
    const onlyToken = !registrations.some((t) => t.id !== tokenId && t.enabled !== false);
    const reliant: ReliantInstance[] = [];
    for (const i of live) {
      const base = {
        namespace: i.namespace ?? DEFAULT_NAMESPACE,
        id: i.id,
        ...(i.type ? { type: i.type } : {}),
      };
      if (i.token_id === tokenId) reliant.push({ ...base, why: "names it" });
      else if (!i.token_id && onlyToken) {
        reliant.push({ ...base, why: "names no token, and this is the account's only registered token" });
      }
    }
    return reliant;
  });
}

/**
 * The delete's refusal: which instances, and the ways on. For a token this resource adopted (with
 * `deleteOnDestroy`), the first way is to stop deleting it: the token is then someone else's too
 * (typically another stack's, which adopted or minted it), and leaving it in place is the fix.
 */
export function remainingInstancesMessage(
  tokenId: string,
  reliant: readonly ReliantInstance[],
  adopted = false,
): string {
  const listed = reliant
    .map((i) => `${i.namespace}/${i.id}${i.type ? ` (${i.type})` : ""}: ${i.why}`)
    .join("; ");
  const leaveIt = adopted
    ? "This resource was adopted with adopt.deleteOnDestroy: true. If the token is shared with them (another " +
      "stack's, say), set adopt.deleteOnDestroy to false, run `pulumi up` (it calls nothing), and delete again: " +
      "the token is then left in place for them. Otherwise, "
    : "To proceed, ";
  return (
    `Not deleting AI Search token ${tokenId}: ${reliant.length} AI Search instance(s) that this delete does not ` +
    `remove may rely on it, and would lose access to their data: ${listed}. ${leaveIt}either delete those ` +
    "instances or point them at another token (token_id); or adopt this token into the stack that owns them " +
    `(ServiceApiToken with adopt: { id: "${tokenId}" }), then drop it from this stack without deleting it ` +
    "(`pulumi state delete <urn>`); or, to delete it anyway, set deleteWhileInstancesRemain: true on this " +
    "ServiceApiToken, run `pulumi up`, and delete again."
  );
}
