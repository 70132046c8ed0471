// The AI Search registration of an API token (`/accounts/{id}/ai-search/tokens`): register it
// (POST, or a full-body PUT of an existing one), retrying 7012 while a new token propagates;
// read it; delete it, waiting while instances still hold it (7076); and remove a registration
// whose answer was lost.
import {
  AiSearchTokenNotFoundError,
  AuthenticationError,
  InvalidServiceTokenError,
  isNotFound,
  TokenInUseError,
} from "../cloudflare";
import type { AiSearchToken, AiSearchTokenWrite } from "../cloudflare/schemas";
import { withCredential, type ProviderContext } from "../context";
import { AI_SEARCH_EDIT } from "../lifecycle";
import { madeByThisRequest } from "../madeByThisRequest";

/** The full body AI Search takes on POST and PUT: always `legacy: false`, so it can be read by id. */
export function registrationBody(cfApiId: string, value: string, name: string): AiSearchTokenWrite {
  return { cf_api_id: cfApiId, cf_api_key: value, name, legacy: false };
}

/**
 * Registers (POST) or re-registers (PUT, when `existingId` is given) a credential with AI Search,
 * retrying 7012 while a freshly minted or rolled token propagates.
 */
export async function register(
  ctx: ProviderContext,
  accountId: string,
  payload: AiSearchTokenWrite,
  existingId?: string,
): Promise<AiSearchToken> {
  const attempts = 1 + ctx.wait.propagationRetries;
  let delay = ctx.wait.propagationRetryDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
        existingId
          ? ctx.management().aiSearchTokens.update(accountId, existingId, payload)
          : ctx.management().aiSearchTokens.create(accountId, payload),
      );
    } catch (err) {
      if (!(err instanceof InvalidServiceTokenError)) throw err;
      if (attempt >= attempts) {
        throw new Error(
          `AI Search rejected API token ${payload.cf_api_id} with 7012 (invalid token) ${attempts} times. ` +
            'The token must be active and carry the "AI Search Index Engine" permission group on account ' +
            `${accountId}; a new token can also take a while to propagate (raise ` +
            "cloudflare-ai-search:propagationRetries if so).",
        );
      }
      ctx.log(
        `AI Search does not accept API token ${payload.cf_api_id} yet (7012); retry ${attempt}/${attempts - 1} in ${delay} ms`,
      );
      await ctx.sleep(delay);
      delay = Math.min(delay * 2, 30_000);
    }
  }
}

export async function readRegistration(
  ctx: ProviderContext,
  accountId: string,
  id: string,
): Promise<AiSearchToken> {
  try {
    return await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
      ctx.management().aiSearchTokens.read(accountId, id),
    );
  } catch (err) {
    if (err instanceof AuthenticationError && !(err instanceof AiSearchTokenNotFoundError)) {
      throw new Error(
        `${err.message}. If the credential is valid, AI Search token ${id} may be a legacy registration ` +
          "(created without legacy: false), which cannot be read or deleted by id.",
      );
    }
    throw err;
  }
}

/**
 * Deletes the registration (not-found counts as done), waiting within a bound while AI Search
 * still holds it for instances (7076).
 */
export async function deleteRegistration(ctx: ProviderContext, accountId: string, id: string): Promise<void> {
  const deadline = ctx.now() + ctx.wait.deleteTimeoutMs;
  for (;;) {
    try {
      await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
        ctx.management().aiSearchTokens.delete(accountId, id),
      );
      return;
    } catch (err) {
      if (isNotFound(err)) return;
      if (!(err instanceof TokenInUseError)) throw err;
      if (ctx.now() + ctx.wait.pollIntervalMs > deadline) {
        throw new Error(
          `AI Search token ${id} is still in use by AI Search instances (7076) after waiting ` +
            `${Math.round(ctx.wait.deleteTimeoutMs / 1000)}s. Delete the instances that use it, or point them at ` +
            "another token, then run the delete again. (Instance teardown finishes in the background; raise " +
            "cloudflare-ai-search:deleteTimeoutSeconds if it is merely slow.)",
        );
      }
      await ctx.sleep(ctx.wait.pollIntervalMs);
    }
  }
}

/**
 * The registration's answer was lost, so AI Search may hold a registration we never saw. Ours is
 * the one holding the API token we just minted (its id is unique): delete it before the token.
 */
export async function removeLostRegistration(
  ctx: ProviderContext,
  accountId: string,
  cfApiId: string,
): Promise<void> {
  try {
    const ours = (await ctx.management().aiSearchTokens.list(accountId)).filter(
      (t) => t.cf_api_id === cfApiId,
    );
    for (const t of ours) await ctx.management().aiSearchTokens.delete(accountId, t.id);
  } catch (err) {
    ctx.log(
      `Could not check for a registration of API token ${cfApiId} after a lost answer: ` +
        `${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/**
 * The registration of a provided API token (`existingApiToken`) got no usable answer, so AI Search
 * may hold it anyway. Sending it again would register the same credential twice. This create's
 * registration is the one that holds that API token under this name and that AI Search created
 * after the request was sent (madeByThisRequest.ts): it is taken over. None: nothing was made and
 * the lost answer's error stands, so a rerun registers it. Any doubt fails the create, naming what
 * to check.
 */
export async function takeOverLostRegistration(
  ctx: ProviderContext,
  accountId: string,
  sent: { cfApiId: string; name: string; sentAt: number },
  lost: Error,
): Promise<AiSearchToken> {
  const what = `Registering API token ${sent.cfApiId} with AI Search as "${sent.name}" got no usable answer (${lost.message})`;
  let holding: AiSearchToken[];
  try {
    holding = (
      await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
        ctx.management().aiSearchTokens.list(accountId),
      )
    ).filter((t) => t.cf_api_id === sent.cfApiId && t.name === sent.name);
  } catch (err) {
    throw new Error(
      `${what}, and listing the AI Search tokens to see whether it was made anyway failed ` +
        `(${err instanceof Error ? err.message : String(err)}). Before running \`pulumi up\` again, look for an ` +
        `AI Search token named "${sent.name}" created just now (dashboard: AI Search > Tokens, or GET ` +
        `/accounts/${accountId}/ai-search/tokens): if one holds API token ${sent.cfApiId}, set adopt: { id } ` +
        "to its id for that run, or delete it; otherwise the next run would register the token twice.",
    );
  }
  const skew = ctx.management().client.serverClockSkewMs();
  const made = holding.filter((t) => madeByThisRequest(t.created_at, sent.sentAt, skew).made);
  if (made.length === 0) {
    throw new Error(
      `${what}; no AI Search token holding it was created by this request, so nothing was registered. ` +
        "Run `pulumi up` again.",
    );
  }
  if (made.length > 1) {
    throw new Error(
      `${what}, and ${made.length} AI Search tokens holding it were created just now (${made.map((t) => t.id).join(", ")}); ` +
        "this create cannot tell which is its own, so it takes none. Keep one (adopt: { id }) and delete the others " +
        `(DELETE /accounts/${accountId}/ai-search/tokens/<id>).`,
    );
  }
  ctx.log(
    `${what}, but AI Search registered it after the request was sent; taking AI Search token ${made[0]!.id} over.`,
  );
  return made[0]!;
}
