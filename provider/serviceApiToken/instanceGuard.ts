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
import { stillListedAfterTeardown } from "../teardown";

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

/**
 * The instances in the account that may still rely on registration `tokenId`, once those that
 * were being deleted have gone. `pulumi destroy` deletes an instance that names no token in the
 * program (a web crawler, built-in storage, or one whose `tokenId` was removed) in parallel with
 * the token: nothing in the graph orders them. So the first list may show an instance of this
 * very destroy whose delete has not started, or whose teardown has not ended. Rather than trust a
 * status value (undocumented, reference C9), the guard lists again until nothing that may rely on
 * the token is listed, within the delete's bound (the bound an instance's own delete waits for it
 * to go); what is still listed then is reported (teardown.ts). With `waitForTeardown: false` (a
 * check that only informs, or a clean-up that leaves alone whatever may be relied on) it lists once.
 */
export async function instancesRelyingOn(
  ctx: ProviderContext,
  accountId: string,
  tokenId: string,
  { waitForTeardown = true }: { waitForTeardown?: boolean } = {},
): Promise<ReliantInstance[]> {
  if (!waitForTeardown) return reliantNow(ctx, accountId, tokenId);
  let latest: ReliantInstance[] = [];
  const remaining = await stillListedAfterTeardown(
    ctx,
    async () => {
      latest = await reliantNow(ctx, accountId, tokenId);
      return latest.map(keyOf);
    },
    {
      onWait: (listed) =>
        ctx.log(
          `AI Search token ${tokenId}: ${listed.join(", ")} may rely on it; waiting up to ` +
            `${Math.round(ctx.wait.deleteTimeoutMs / 1000)}s for them to go (an instance this same destroy ` +
            "deletes without a tokenId is listed until its teardown ends).",
        ),
    },
  );
  return latest.filter((i) => remaining.includes(keyOf(i)));
}

const keyOf = (i: ReliantInstance) => `${i.namespace}/${i.id}`;

/** One look: the instances listed now that may rely on registration `tokenId`. */
async function reliantNow(
  ctx: ProviderContext,
  accountId: string,
  tokenId: string,
): Promise<ReliantInstance[]> {
  return withCredential(ctx.sources.management, AI_SEARCH_EDIT, async () => {
    const listed = await allInstances(ctx, accountId);
    if (listed.length === 0) return [];
    const registrations = await ctx.management().aiSearchTokens.list(accountId);
    // Already gone: the delete is a no-op, and nothing relies on it any more.
    if (!registrations.some((t) => t.id === tokenId)) return [];
    const onlyToken = !registrations.some((t) => t.id !== tokenId && t.enabled !== false);
    const reliant: ReliantInstance[] = [];
    for (const i of listed) {
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
