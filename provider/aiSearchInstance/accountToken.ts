// An instance created without `tokenId` relies on the account's registered service token. The
// founding "Service API token" page says that token must be registered before any instance is
// created through the API, and every instance uses it; Cloudflare's CLI refuses `ai-search create`
// for every type when the account has none. So does this package, before the create is sent,
// with the fix spelled out, instead of letting the API fail or a race with the token decide.
import { withCredential, type ProviderContext } from "../context";
import { AI_SEARCH_EDIT } from "../lifecycle";
import type { AiSearchInstanceInputs } from "./args";

const DECLARE_SERVICE_TOKEN =
  "Declare the account's service token in the program and pass it to every instance, so that " +
  "Pulumi creates it first and deletes it last:\n" +
  '    const serviceToken = new ServiceApiToken("ai-search-token", { accountId });\n' +
  '    new AiSearchInstance("...", { accountId, ..., tokenId: serviceToken.id });\n' +
  "  or, if the account already has one made elsewhere, adopt it: " +
  "new ServiceApiToken(..., { accountId, adopt: { name } }).";

/** Fails, naming the fix, when the instance names no token and the account has none registered. */
export async function requireAccountToken(
  ctx: ProviderContext,
  inputs: AiSearchInstanceInputs,
): Promise<void> {
  if (inputs.tokenId !== undefined) return;
  const registered = await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
    ctx.management().aiSearchTokens.list(inputs.accountId),
  );
  if (registered.length > 0) return;
  throw new Error(
    `AI Search instance "${inputs.instanceId}" declares no tokenId, and account ${inputs.accountId} ` +
      "has no registered AI Search service token (GET /accounts/{account_id}/ai-search/tokens is empty), " +
      "so nothing was created. AI Search uses that token for every instance, and Cloudflare's docs ask for " +
      `it to be registered before any instance is created through the API. ${DECLARE_SERVICE_TOKEN}`,
  );
}
