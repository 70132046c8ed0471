// Adoption: take over a registration that already exists, found by AI Search token id or by exact
// name, instead of creating a duplicate. Given `existingApiToken`, its credential is stored in the
// registration so that later updates (which AI Search takes only as full bodies) can be made.
import { isNotFound } from "../cloudflare";
import type { AiSearchToken } from "../cloudflare/schemas";
import { withCredential, type ProviderContext } from "../context";
import { AI_SEARCH_EDIT } from "../lifecycle";
import type { ServiceApiTokenInputs, ServiceApiTokenOutputs } from "./args";
import { result } from "./outputs";
import { readRegistration, register, registrationBody } from "./registration";

export async function adopt(
  ctx: ProviderContext,
  inputs: ServiceApiTokenInputs,
): Promise<{ id: string; outs: ServiceApiTokenOutputs }> {
  const { accountId } = inputs;
  let registration = await findRegistration(ctx, accountId, inputs.adopt!);

  // The registration keeps its own name unless the program names one.
  const name = inputs.name ?? registration.name;
  const legacyId = registration.legacy ? registration.id : undefined;
  let value: string | undefined;
  if (inputs.existingApiToken) {
    // The caller gave us the credential: store it in the registration so updates can be made.
    // The body says legacy: false, which also takes a legacy registration off legacy.
    value = inputs.existingApiToken.value;
    registration = await register(
      ctx,
      accountId,
      registrationBody(inputs.existingApiToken.id, value, name),
      registration.id,
    );
    if (registration.legacy)
      throw new Error(legacyRefusal(registration, "still legacy after a re-registration"));
  } else if (legacyId) {
    throw new Error(legacyRefusal(registration, "legacy"));
  } else if (name !== registration.name) {
    throw new Error(
      `name: the adopted AI Search token ${registration.id} is named "${registration.name}", and renaming it to ` +
        `"${name}" needs its API token's secret (AI Search only takes full updates). Remove name to keep ` +
        `"${registration.name}", or pass existingApiToken: { id, value } of the token behind it.`,
    );
  }
  return result(inputs, registration, {
    ...(value !== undefined ? { value } : {}),
    permissionGroupIds: [],
    minted: false,
    adopted: true,
    underlyingTokenStatus: "unknown",
  });
}

/**
 * Legacy registrations (made by the dashboard, or by tools that omit `legacy: false`) answer 401
 * to per-token GET and DELETE, so refresh and destroy could never manage one. Adoption refuses
 * them, unless it is given the API token's secret and can re-register them off legacy.
 */
function legacyRefusal(registration: AiSearchToken, what: string): string {
  return (
    `adopt: AI Search token ${registration.id} ("${registration.name}") is ${what}: AI Search answers 401 to ` +
    "reading or deleting a legacy registration by id, so refresh and destroy could not manage it. Pass " +
    `existingApiToken: { id: "${registration.cf_api_id}", value: <that API token's secret> } with adopt, which ` +
    "re-registers it with legacy: false under the same id; or remove adopt and pass existingApiToken to register " +
    "the token anew, point instances at the new id, and delete the legacy one in the dashboard (AI Search > Tokens)."
  );
}

/** The one registration `adopt` names, or an error that says what exists instead. */
async function findRegistration(
  ctx: ProviderContext,
  accountId: string,
  wanted: NonNullable<ServiceApiTokenInputs["adopt"]>,
): Promise<AiSearchToken> {
  if (wanted.id) {
    try {
      return await readRegistration(ctx, accountId, wanted.id);
    } catch (err) {
      // A legacy registration answers 401 by id; the list still shows it (and says it is legacy).
      const listed = isNotFound(err) ? undefined : await listedLegacy(ctx, accountId, wanted.id);
      if (listed) return listed;
      if (isNotFound(err)) {
        throw new Error(
          `adopt.id: no AI Search token ${wanted.id} in account ${accountId}. Check the id ` +
            "(GET /accounts/{account_id}/ai-search/tokens lists them), or remove adopt to create one.",
        );
      }
      throw err;
    }
  }
  const all = await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
    ctx.management().aiSearchTokens.list(accountId),
  );
  // The `search` filter is reported to fail on long names, so filter on our side.
  const matches = all.filter((t) => t.name === wanted.name);
  if (matches.length === 0) {
    throw new Error(
      `adopt.name: no AI Search token named "${wanted.name}" in account ${accountId}` +
        (all.length ? ` (found: ${all.map((t) => `"${t.name}"`).join(", ")})` : "") +
        ". Fix the name, or remove adopt to create one.",
    );
  }
  if (matches.length > 1) {
    throw new Error(
      `adopt.name: ${matches.length} AI Search tokens are named "${wanted.name}" (ids ${matches
        .map((t) => t.id)
        .join(", ")}). Adopt one by id instead: adopt: { id: "<one of them>" }.`,
    );
  }
  return matches[0]!;
}

/** The registration `id` as the list shows it, if the list says it is legacy. */
async function listedLegacy(
  ctx: ProviderContext,
  accountId: string,
  id: string,
): Promise<AiSearchToken | undefined> {
  try {
    const all = await ctx.management().aiSearchTokens.list(accountId);
    return all.find((t) => t.id === id && t.legacy === true);
  } catch {
    return undefined;
  }
}
