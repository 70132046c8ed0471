// The lifecycle of an AI Search namespace: check and diff are pure; create, read, update and
// delete call the API through a ProviderContext. The `default` namespace is only ever adopted: it
// is read, never created, changed or deleted (7065).
import {
  DefaultNamespaceImmutableError,
  isNotFound,
  MaxNamespacesReachedError,
  NamespaceAlreadyExistsError,
  NamespaceNotEmptyError,
  type AiSearchNamespaces,
} from "../cloudflare";
import { alreadyExistsAdvice } from "../alreadyExistsAdvice";
import type { AiSearchNamespace, NamespaceRequest } from "../cloudflare/schemas";
import { withCredential, type ProviderContext } from "../context";
import { AI_SEARCH_EDIT, type CheckResult, type DiffResult } from "../lifecycle";
import { containsUnknown, validateInputs } from "../validation";
import { DEFAULT_NAMESPACE } from "../aiSearchInstance/args";
import { mayHaveHappened } from "../aiSearchInstance/lostAnswer";
import { madeByThisRequest } from "../madeByThisRequest";
import { overlay, prune, toApi, fromApi, withResets } from "../aiSearchInstance/mapping";
import { resetsOfRemoved } from "../aiSearchInstance/removedSettings";
import { explainCustomDomainError } from "../publicEndpoint/customDomainErrors";
import { separatePuts } from "../publicEndpoint/separatePuts";
import {
  AiSearchNamespaceInputsSchema,
  crossCheckAiSearchNamespace,
  NAMESPACE_INPUT_KEYS,
  NAMESPACE_REPLACE_KEYS,
  type AiSearchNamespaceInputs,
  type AiSearchNamespaceOutputs,
} from "./args";

/** Validates every input at once; unknown (preview) values pass through. */
export function check(news: Record<string, unknown>): CheckResult {
  const result = validateInputs(AiSearchNamespaceInputsSchema, news, crossCheckAiSearchNamespace);
  if (!result.ok) return { inputs: news, failures: [...result.failures] };
  return { inputs: inputsOf(result.value), failures: [] };
}

/**
 * A rename (or another account) replaces the namespace; the new one is created first, so that the
 * instances moving to it (themselves replaced) have somewhere to go before the old one is deleted.
 * Description and public endpoint are an update; `adopt` only changes state.
 */
export function diff(olds: AiSearchNamespaceOutputs, news: AiSearchNamespaceInputs): DiffResult {
  const changed = (a: unknown, b: unknown) =>
    containsUnknown(b) || JSON.stringify(prune(a) ?? null) !== JSON.stringify(prune(b) ?? null);
  const replaces = NAMESPACE_REPLACE_KEYS.filter((key) => changed(olds[key], news[key]));
  const update = NAMESPACE_INPUT_KEYS.some((key) => changed(olds[key], news[key]));
  return { changes: replaces.length > 0 || update, replaces: [...replaces], deleteBeforeReplace: false };
}

/** Creates the namespace, or with `adopt` takes over the one that already has this name. */
export async function create(
  ctx: ProviderContext,
  inputs: AiSearchNamespaceInputs,
): Promise<{ id: string; outs: AiSearchNamespaceOutputs }> {
  if (inputs.adopt) {
    const existing = await find(ctx, inputs.accountId, inputs.name);
    if (existing) return adoptExisting(ctx, inputs, existing);
    if (inputs.name === DEFAULT_NAMESPACE) {
      throw new Error(
        `Account ${inputs.accountId} has no "default" AI Search namespace to adopt; check accountId.`,
      );
    }
  }
  let created: AiSearchNamespace;
  const sentAt = Date.now();
  try {
    created = await call(ctx, (api) =>
      api.create(inputs.accountId, { name: inputs.name, ...bodyOf(inputs) }),
    );
  } catch (err) {
    if (err instanceof NamespaceAlreadyExistsError) {
      throw new Error(
        `An AI Search namespace "${inputs.name}" already exists in account ${inputs.accountId} (7064). ` +
          alreadyExistsAdvice(
            "namespace",
            `DELETE /accounts/${inputs.accountId}/ai-search/namespaces/${inputs.name}`,
            "name",
          ),
      );
    }
    if (err instanceof MaxNamespacesReachedError) {
      throw new Error(
        `Account ${inputs.accountId} already has the most AI Search namespaces it may have (7062, 100). ` +
          `Delete namespaces it no longer uses, or put this stack's instances in an existing namespace (adopt it), ` +
          `before creating "${inputs.name}".`,
      );
    }
    if (!mayHaveHappened(err)) throw explainDomainError(err, inputs);
    created = await takeOverLostCreate(ctx, inputs, err, sentAt);
  }
  return { id: inputs.name, outs: outputsOf(inputs, created, false) };
}

/**
 * The create's answer was lost, not necessarily the work: a namespace with this name that the API
 * created after the request was sent is this create's (madeByThisRequest.ts), and is taken over.
 * One that existed before is someone else's: the create fails, naming it and the way on.
 */
async function takeOverLostCreate(
  ctx: ProviderContext,
  inputs: AiSearchNamespaceInputs,
  lost: Error,
  sentAt: number,
): Promise<AiSearchNamespace> {
  const what = `The create of AI Search namespace "${inputs.name}" got no usable answer (${lost.message})`;
  const found = await find(ctx, inputs.accountId, inputs.name);
  if (!found) throw lost;
  const verdict = madeByThisRequest(found.created_at, sentAt, ctx.management().client.serverClockSkewMs());
  if (!verdict.made) {
    throw new Error(
      `${what}, and a namespace "${inputs.name}" exists that this create cannot show it made: ${verdict.why}. ` +
        "It is left as it is, and not taken over (this stack's destroy would delete it). If it is yours to " +
        "manage, set `adopt: true`; otherwise choose another name. If an interrupted run of this stack made " +
        `it, delete it (DELETE /accounts/${inputs.accountId}/ai-search/namespaces/${inputs.name}) and run ` +
        "`pulumi up` again.",
    );
  }
  ctx.log(`${what}, but the API made it after the request was sent; taking it over.`);
  return found;
}

/** Refresh: a namespace that is gone leaves the state; declared fields are refreshed from the API. */
export async function read(
  ctx: ProviderContext,
  id: string,
  olds: AiSearchNamespaceOutputs,
): Promise<{ id?: string; props?: AiSearchNamespaceOutputs; inputs?: AiSearchNamespaceInputs }> {
  const declared = inputsOf(olds);
  const found = await find(ctx, declared.accountId, declared.name ?? id);
  if (!found) return {};
  const observed = fromApi(found);
  const refreshed: AiSearchNamespaceInputs = { ...declared };
  if (declared.description !== undefined) refreshed.description = (observed.description as string) ?? "";
  if (declared.publicEndpointParams !== undefined) {
    refreshed.publicEndpointParams = overlay(
      declared.publicEndpointParams,
      observed.publicEndpointParams,
    ) as AiSearchNamespaceInputs["publicEndpointParams"];
  } else if (isServing(observed.publicEndpointParams)) {
    // Not declared, but turned on (or given a domain) outside the program: shown as drift, so
    // that the next `up` turns it off again as the program says.
    refreshed.publicEndpointParams = prune(
      observed.publicEndpointParams,
    ) as AiSearchNamespaceInputs["publicEndpointParams"];
  }
  const props = outputsOf(refreshed, found, olds.adopted ?? false);
  return { id, props, inputs: inputsOf(props) };
}

/** A PUT of the description and public endpoint; `default` (adopt only) is never written. */
export async function update(
  ctx: ProviderContext,
  id: string,
  olds: AiSearchNamespaceOutputs,
  news: AiSearchNamespaceInputs,
): Promise<AiSearchNamespaceOutputs> {
  const keep = {
    adopted: olds.adopted ?? false,
    createdAt: olds.createdAt,
    modifiedAt: olds.modifiedAt,
    publicEndpointId: olds.publicEndpointId,
  };
  const writes = ["description", "publicEndpointParams"] as const;
  if (news.name === DEFAULT_NAMESPACE || writes.every((k) => same(olds[k], news[k]))) {
    return prunedOutputs({ ...inputsOf(news), ...keep });
  }
  try {
    const before = toApi(olds.publicEndpointParams ?? {});
    const updated = await putInSteps(ctx, news, bodyOf(news, true, olds), before);
    return outputsOf(news, updated, keep.adopted);
  } catch (err) {
    if (err instanceof DefaultNamespaceImmutableError) {
      throw new Error(`AI Search namespace "${id}" cannot be modified (7065).`);
    }
    if (isNotFound(err)) {
      throw new Error(
        `AI Search namespace "${id}" no longer exists, so it cannot be updated. Run \`pulumi refresh\` to drop ` +
          "it from the state, then `pulumi up` creates it again.",
      );
    }
    throw explainDomainError(err, news);
  }
}

/** The PUT of `body`, split as SDK 7.3 asks (custom domains in PUTs of their own, separatePuts.ts). */
async function putInSteps(
  ctx: ProviderContext,
  inputs: AiSearchNamespaceInputs,
  body: NamespaceRequest,
  before: Record<string, unknown> | undefined,
): Promise<AiSearchNamespace> {
  let namespace: AiSearchNamespace | undefined;
  for (const step of separatePuts({ ...body }, before)) {
    namespace = await call(ctx, (api) => api.update(inputs.accountId, inputs.name, step));
  }
  return namespace as AiSearchNamespace;
}

function explainDomainError(err: unknown, inputs: AiSearchNamespaceInputs): unknown {
  const domains = inputs.publicEndpointParams?.customDomains ?? [];
  return explainCustomDomainError(err, domains, `AI Search namespace "${inputs.name}"`, inputs.accountId);
}

/** True when an endpoint the API reports serves anything: enabled, or with a custom domain. */
function isServing(endpoint: unknown): boolean {
  if (typeof endpoint !== "object" || endpoint === null) return false;
  const e = endpoint as { enabled?: unknown; customDomains?: unknown };
  return e.enabled === true || (Array.isArray(e.customDomains) && e.customDomains.length > 0);
}

/**
 * Deletes the namespace (not-found counts as done). While it still holds instances (7066; an
 * instance's teardown finishes in the background) the delete is retried within the configured
 * bound; after it, the error names the instances that are left. `default`, and an adopted
 * namespace without `deleteOnDestroy`, are left in place.
 */
export async function remove(
  ctx: ProviderContext,
  id: string,
  olds: AiSearchNamespaceOutputs,
): Promise<void> {
  const name = olds.name ?? id;
  if (name === DEFAULT_NAMESPACE || (olds.adopted && !olds.adopt?.deleteOnDestroy)) {
    ctx.log(
      name === DEFAULT_NAMESPACE
        ? 'The "default" AI Search namespace is never deleted; leaving it in place.'
        : `AI Search namespace "${name}" was adopted; leaving it in place (set adopt: { deleteOnDestroy: true } to delete it).`,
    );
    return;
  }
  const deadline = ctx.now() + ctx.wait.deleteTimeoutMs;
  for (;;) {
    try {
      await call(ctx, (api) => api.delete(olds.accountId, name));
      return;
    } catch (err) {
      if (isNotFound(err)) return;
      if (!(err instanceof NamespaceNotEmptyError)) throw err;
    }
    if (ctx.now() + ctx.wait.pollIntervalMs > deadline) throw await notEmpty(ctx, olds.accountId, name);
    ctx.log(`AI Search namespace "${name}" still holds instances (7066); retrying the delete.`);
    await ctx.sleep(ctx.wait.pollIntervalMs);
  }
}

// --- Steps ------------------------------------------------------------------------------------

async function call<T>(ctx: ProviderContext, run: (api: AiSearchNamespaces) => Promise<T>): Promise<T> {
  return withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
    run(ctx.management().aiSearchNamespaces),
  );
}

async function find(
  ctx: ProviderContext,
  accountId: string,
  name: string,
): Promise<AiSearchNamespace | undefined> {
  try {
    return await call(ctx, (api) => api.read(accountId, name));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function adoptExisting(
  ctx: ProviderContext,
  inputs: AiSearchNamespaceInputs,
  existing: AiSearchNamespace,
): Promise<{ id: string; outs: AiSearchNamespaceOutputs }> {
  let namespace = existing;
  const declares = inputs.description !== undefined || inputs.publicEndpointParams !== undefined;
  if (inputs.name !== DEFAULT_NAMESPACE && declares) {
    try {
      namespace = await putInSteps(ctx, inputs, bodyOf(inputs, true), undefined);
    } catch (err) {
      throw explainDomainError(err, inputs);
    }
  }
  ctx.log(`Adopted the existing AI Search namespace "${inputs.name}".`);
  return { id: inputs.name, outs: outputsOf(inputs, namespace, true) };
}

/** The error for a namespace that kept its instances past the bound, naming them. */
async function notEmpty(ctx: ProviderContext, accountId: string, name: string): Promise<Error> {
  let held = "";
  try {
    const instances = await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
      ctx.management().aiSearchInstances.list(accountId, name),
    );
    if (instances.length) held = `: ${instances.map((i) => `"${i.id}"`).join(", ")}`;
  } catch {
    // The list is only for the message; the 7066 is what is reported.
  }
  return new Error(
    `AI Search namespace "${name}" still holds instances${held} after ` +
      `${Math.round(ctx.wait.deleteTimeoutMs / 1000)}s (7066), so it was not deleted. Delete or move those ` +
      "instances (or remove them from the stack) and run the delete again; raise " +
      "cloudflare-ai-search:deleteTimeoutSeconds if their teardown is merely slow.",
  );
}

// --- Helpers ----------------------------------------------------------------------------------

/**
 * The body of a create or update. An update sends the description even when cleared ("" for
 * none), and a public endpoint the program no longer declares (or declares without some of its
 * settings) as the removed-settings table says (removedSettings.ts, shared with instances): off,
 * with its custom domain unbound.
 */
function bodyOf(
  inputs: AiSearchNamespaceInputs,
  isUpdate = false,
  olds?: AiSearchNamespaceOutputs,
): NamespaceRequest {
  const body: NamespaceRequest = {};
  if (inputs.description !== undefined || isUpdate) body.description = inputs.description ?? "";
  const declared = { publicEndpointParams: inputs.publicEndpointParams };
  const resets = olds ? resetsOfRemoved({ publicEndpointParams: olds.publicEndpointParams }, declared) : {};
  const endpoint = withResets(declared, resets).publicEndpointParams;
  if (endpoint !== undefined) body.public_endpoint_params = toApi(endpoint as Record<string, unknown>);
  return body;
}

function outputsOf(
  inputs: AiSearchNamespaceInputs,
  namespace: AiSearchNamespace,
  adopted: boolean,
): AiSearchNamespaceOutputs {
  return prunedOutputs({
    ...inputsOf(inputs),
    adopted,
    createdAt: namespace.created_at ?? undefined,
    modifiedAt: namespace.modified_at ?? undefined,
    publicEndpointId: namespace.public_endpoint_id ?? undefined,
  });
}

/** Outputs without undefined values (state is JSON). */
function prunedOutputs(outs: AiSearchNamespaceOutputs): AiSearchNamespaceOutputs {
  return Object.fromEntries(
    Object.entries(outs).filter(([, v]) => v !== undefined),
  ) as AiSearchNamespaceOutputs;
}

/** The input fields (those that are set) of inputs or outputs; nothing computed, no `__provider`. */
function inputsOf(x: Partial<AiSearchNamespaceInputs>): AiSearchNamespaceInputs {
  const out: Record<string, unknown> = {};
  for (const key of NAMESPACE_INPUT_KEYS) if (x[key] !== undefined) out[key] = x[key];
  return out as AiSearchNamespaceInputs;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(prune(a) ?? null) === JSON.stringify(prune(b) ?? null);
}
