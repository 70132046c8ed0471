// The ServiceApiToken lifecycle as a live run drives it, through the provider's own functions:
// mint and register, read, rotate, adopt (by id and by name), destroy; plus the sweep of what an
// interrupted run left. Everything it makes is named with the run's unique prefix.
import { isNotFound } from "../../provider/cloudflare";
import { AiSearchToken } from "../../provider/cloudflare/schemas";
import type { ProviderContext } from "../../provider/context";
import { MINT_MARKER_KEY, type ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as token from "../../provider/serviceApiToken/provider";
import type { Observations } from "./observations";

/** Every name a live run gives starts with this, so that the sweep can find leftovers. */
export const LIVE_PREFIX = "pulumi-live-";

/**
 * Removes AI Search registrations, then account API tokens, whose names `matches` (live runs' names
 * start with LIVE_PREFIX) and that were made more than `minAgeMs` ago (so that a run in progress
 * elsewhere is left alone). Returns what it removed and what it could not.
 */
export async function sweep(
  ctx: ProviderContext,
  accountId: string,
  matches: (name: string) => boolean,
  minAgeMs: number,
): Promise<{ removed: string[]; failed: string[] }> {
  const removed: string[] = [];
  const failed: string[] = [];
  const ours = (name: string, made: string | null | undefined) =>
    matches(name) && !(made && Date.now() - Date.parse(made) < minAgeMs);
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
  for (const r of await api.aiSearchTokens.list(accountId)) {
    if (!ours(r.name, r.created_at)) continue;
    await attempt(`registration ${r.id} "${r.name}"`, () => api.aiSearchTokens.delete(accountId, r.id));
  }
  const owner = { kind: "account", accountId } as const;
  for (const t of await ctx.minting().apiTokens.list(owner)) {
    if (!ours(t.name, t.issued_on)) continue;
    await attempt(`API token ${t.id} "${t.name}"`, () => ctx.minting().apiTokens.delete(owner, t.id));
  }
  return { removed, failed };
}

/** The token lifecycle; always tries to delete what it made, whatever failed on the way. */
export async function tokenLifecycle(
  ctx: ProviderContext,
  logs: readonly string[],
  accountId: string,
  runName: string,
  marker: string,
  obs: Observations,
  /** Steps that need the registration (the instance steps), run before it is destroyed. */
  whileRegistered?: (tokenId: string) => Promise<void>,
): Promise<void> {
  const inputs = (extra: Record<string, unknown>): ServiceApiTokenInputs =>
    // The run's marker, as check keeps it from the state of a resource that has one.
    token.check({ accountId, ...extra }, { [MINT_MARKER_KEY]: marker }).inputs as ServiceApiTokenInputs;
  // 7012 retries logged since `from` (a count taken when the step started).
  const retries = () => logs.filter((l) => l.includes("(7012)")).length;
  const retriedSince = (from: number) => (retries() > from ? "some" : "none");
  const declared = inputs({ name: runName });

  const beforeCreate = retries();
  const created = await obs.step(
    "create: mint and register",
    () => token.create(ctx, declared),
    ({ outs }) => ({
      minted: outs.minted,
      nameKept: outs.name === runName,
      createdAtParses: outs.createdAt !== undefined && !Number.isNaN(Date.parse(outs.createdAt)),
      propagationRetries: retriedSince(beforeCreate),
    }),
  );
  if (!created) return;
  let state = created.outs;
  try {
    await obs.step(
      "registration as AI Search answers it",
      () => ctx.management().aiSearchTokens.read(accountId, created.id),
      (r) => ({
        legacy: r.legacy,
        enabled: r.enabled,
        cfApiIdEchoed: r.cf_api_id === state.cfApiId,
        fields: Object.keys(r).sort(),
      }),
    );
    await obs.step(
      "minted API token as the tokens list shows it",
      async () =>
        (await ctx.minting().apiTokens.list({ kind: "account", accountId })).find(
          (t) => t.id === state.cfApiId,
        ),
      (t) => ({
        listed: t !== undefined,
        issuedOnParses: t?.issued_on !== undefined && !Number.isNaN(Date.parse(t.issued_on ?? "")),
        policiesListed: (t?.policies ?? []).length,
        nameHasMarker: t?.name.endsWith(`(pulumi ${marker})`) ?? false,
      }),
    );
    await obs.step(
      "AI Search token list paging",
      () =>
        ctx.management().client.page(`/accounts/${accountId}/ai-search/tokens`, {
          query: { page: 1, per_page: 50 },
          result: AiSearchToken,
        }),
      (page) => ({ resultInfoFields: Object.keys(page.resultInfo ?? {}).sort() }),
    );
    const refreshed = await obs.step(
      "read (refresh)",
      () => token.read(ctx, created.id, state),
      (r) => ({
        found: r.id === created.id,
        underlyingTokenStatus: r.props?.underlyingTokenStatus,
        changesAfterRefresh: r.props ? token.diff(r.props, declared).changes : "no props",
      }),
    );
    if (refreshed?.props) state = refreshed.props;

    const rotatedInputs = inputs({ name: runName, rotationTrigger: "live-rotation-1" });
    const beforeRotate = retries();
    const rotated = await obs.step(
      "rotate (roll, then PUT the registration)",
      () => token.update(ctx, created.id, state, rotatedInputs),
      (outs) => ({
        sameTokenId: outs.tokenId === created.id,
        sameCfApiId: outs.cfApiId === state.cfApiId,
        secretChanged: outs.value !== state.value,
        propagationRetries: retriedSince(beforeRotate),
      }),
    );
    if (rotated) state = rotated;

    for (const [how, adopt] of [
      ["by id", { id: created.id }],
      ["by name", { name: runName }],
    ] as const) {
      const adoptInputs = inputs({ adopt });
      const adopted = await obs.step(
        `adopt ${how}`,
        () => token.create(ctx, adoptInputs),
        ({ id, outs }) => ({
          sameRegistration: id === created.id,
          keepsName: outs.name === runName,
          settles: !token.diff(outs, adoptInputs).changes,
        }),
      );
      if (adopted) {
        await obs.step(
          `destroy of the adoption ${how} leaves the registration`,
          async () => {
            await token.remove(ctx, adopted.id, adopted.outs);
            return ctx.management().aiSearchTokens.read(accountId, created.id);
          },
          (r) => ({ stillThere: r.id === created.id }),
        );
      }
    }
    await whileRegistered?.(created.id);
  } finally {
    await obs.step(
      "destroy (delete the registration, revoke the token)",
      async () => {
        await token.remove(ctx, created.id, state);
        const registration = await ctx
          .management()
          .aiSearchTokens.read(accountId, created.id)
          .then(
            () => "still there",
            (err: unknown) => (isNotFound(err) ? "gone" : "unreadable"),
          );
        const apiToken = await ctx
          .minting()
          .apiTokens.get({ kind: "account", accountId }, state.cfApiId)
          .then(
            () => "still there",
            (err: unknown) => (isNotFound(err) ? "gone" : "unreadable"),
          );
        return { registration, apiToken };
      },
      (after) => after,
    );
  }
}
