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
  let value: string | undefined;
  if (inputs.existingApiToken) {
    // The caller gave us the credential: store it in the registration so updates can be made.
    value = inputs.existingApiToken.value;
    registration = await register(
      ctx,
      accountId,
      registrationBody(inputs.existingApiToken.id, value, name),
      registration.id,
    );
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
