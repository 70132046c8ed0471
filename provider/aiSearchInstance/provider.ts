// The lifecycle of an AI Search instance: check, diff, create, read, update, delete.
//
// The id is chosen by the user, so a replacement deletes first, and delete waits until the
// instance is really gone (so that a create with the same id, or the delete of the service token
// it used, does not fail). `token_id` is write-only in the API: the input value is kept in state
// and never compared with what a read returns.
import {
  BadRequestError,
  InstanceAlreadyExistsError,
  InvalidServiceTokenError,
  isNotFound,
  NamespaceNotFoundError,
  type AiSearchInstances,
} from "../cloudflare";
import { alreadyExistsAdvice } from "../alreadyExistsAdvice";
import type { AiSearchInstance } from "../cloudflare/schemas";
import { withCredential, type ProviderContext } from "../context";
import { AI_SEARCH_EDIT, type CheckResult, type DiffResult } from "../lifecycle";
import { containsUnknown, validateInputs } from "../validation";
import {
  AiSearchInstanceInputsSchema,
  crossCheckAiSearchInstance,
  DEFAULT_NAMESPACE,
  INPUT_KEYS,
  REPLACE_KEYS,
  type AiSearchInstanceInputs,
  type AiSearchInstanceOutputs,
} from "./args";
import {
  computedOutputs,
  createBody,
  observedSettings,
  overlay,
  prune,
  settingsOf,
  toApi,
  updateBody,
} from "./mapping";
import { requireAccountToken } from "./accountToken";
import { equivalent, NORMALISED_KEYS, type NormalisedKey } from "./equivalence";
import { effectiveType } from "./inferredType";
import { mayHaveHappened } from "./lostAnswer";
import { madeByThisRequest } from "../madeByThisRequest";
import { resetsOfRemoved, withoutKeptRemovals } from "./removedSettings";
import { reindexingChanges, reindexingNotice } from "./reindexing";
import { explainCustomDomainError } from "../publicEndpoint/customDomainErrors";
import { domainsOf, separatePuts } from "../publicEndpoint/separatePuts";
import { runSync, syncDue, SyncJobFailedError, type SyncOutcome } from "./sync";
import { InstanceMovedError, isPartialFailure } from "./instanceMovedError";

/** Validates every input at once; unknown (preview) values pass through. */
export function check(news: Record<string, unknown>): CheckResult {
  const result = validateInputs(AiSearchInstanceInputsSchema, news, crossCheckAiSearchInstance);
  if (!result.ok) return { inputs: news, failures: [...result.failures] };
  return { inputs: inputsOf(result.value), failures: [] };
}

/** Same value once null, "" and empty objects are treated as absent. */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(prune(a))) === JSON.stringify(canonical(prune(b)));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
  );
}

/**
 * What changed between the state (`olds`, the outputs) and the program (`news`, checked inputs).
 * Identity, type, source and embedding model replace (delete first); anything else is an update,
 * `tokenId` included (comparing the inputs, never what a read returned), and so is a new
 * `namespace`: the update moves the instance there. Removing a setting is an update that sends its
 * default (removedSettings.ts), except for the few kept as they are.
 */
export function diff(olds: AiSearchInstanceOutputs, news: AiSearchInstanceInputs): DiffResult {
  const changed = (a: unknown, b: unknown) => containsUnknown(b) || !same(a, b);
  const replaces: string[] = [];
  for (const key of REPLACE_KEYS) {
    // Leaving the embedding model out means "whatever the instance has": no change.
    if (key === "embeddingModel" && news.embeddingModel === undefined) continue;
    // Leaving the type out means the one the API infers from the source (state keeps its answer).
    const wanted = key === "type" && !containsUnknown(news.source) ? effectiveType(news) : news[key];
    const differs = isNormalised(key)
      ? containsUnknown(news[key]) || !equivalent(key, olds[key], wanted, effectiveType(news))
      : changed(olds[key], news[key]);
    if (differs) replaces.push(key);
  }
  const notSettings = new Set<string>([...REPLACE_KEYS, "namespace"]);
  const oldSettings = withoutKeptRemovals(settingsOf(olds), settingsOf(news));
  const update = INPUT_KEYS.some(
    (key) =>
      !notSettings.has(key) &&
      changed(key === "adopt" || key === "sync" ? olds[key] : oldSettings[key], news[key]),
  );
  return { changes: replaces.length > 0 || update || moves(olds, news), replaces, deleteBeforeReplace: true };
}

/** Whether the program names another namespace than the one the instance is in (unknown counts). */
function moves(olds: AiSearchInstanceOutputs, news: AiSearchInstanceInputs): boolean {
  return containsUnknown(news.namespace) || namespaceOf(olds) !== namespaceOf(news);
}

function namespaceOf(x: { namespace?: string | undefined }): string {
  return x.namespace ?? DEFAULT_NAMESPACE;
}

/**
 * Creates the instance. With `adopt`, an instance that already exists with this id is taken over
 * (and updated to the declared configuration) instead. Without `tokenId`, the account must have a
 * registered service token, which the instance then uses (accountToken.ts).
 */
export async function create(
  ctx: ProviderContext,
  inputs: AiSearchInstanceInputs,
): Promise<{ id: string; outs: AiSearchInstanceOutputs }> {
  const created = await createOrAdopt(ctx, inputs);
  if (!inputs.sync?.onCreate) return created;
  // The instance exists now: whatever the sync does, it stays in state. Recorded without `sync`,
  // so that the next `pulumi up` sees it as newly declared and starts the sync again.
  const { sync: _sync, ...unsynced } = created.outs;
  const outs = await withSync(ctx, created.id, inputs, unsynced);
  return { id: created.id, outs: { ...outs, sync: inputs.sync } };
}

async function createOrAdopt(
  ctx: ProviderContext,
  inputs: AiSearchInstanceInputs,
): Promise<{ id: string; outs: AiSearchInstanceOutputs }> {
  if (inputs.adopt) {
    const existing = await find(ctx, inputs);
    if (existing) return adoptExisting(ctx, inputs, existing);
  }
  await requireAccountToken(ctx, inputs);
  let instance: AiSearchInstance;
  const sentAt = Date.now();
  try {
    instance = await withRetriedToken(ctx, inputs, () =>
      api(ctx).create(inputs.accountId, inputs.namespace, createBody(inputs)),
    );
  } catch (err) {
    if (err instanceof InstanceAlreadyExistsError) {
      throw new Error(
        `An AI Search instance "${inputs.instanceId}" already exists in account ${inputs.accountId}` +
          `${where(inputs)} (7022). ` +
          alreadyExistsAdvice(
            "instance",
            `dashboard: AI Search; or DELETE ${instancePath(inputs)}`,
            "instanceId",
          ),
      );
    }
    if (mayHaveHappened(err)) return takeOverLostCreate(ctx, inputs, err, sentAt);
    throw explainCustomDomainError(
      err,
      inputs.publicEndpointParams?.customDomains ?? [],
      `AI Search instance "${inputs.instanceId}"${where(inputs)}`,
      inputs.accountId,
    );
  }
  return { id: inputs.instanceId, outs: outputsOf(inputs, instance, false) };
}

/**
 * Refresh: an instance that is gone removes the resource from state (no id). Declared settings
 * are refreshed from the API so that changes made elsewhere show as drift; `tokenId` is kept as
 * it was given.
 */
export async function read(
  ctx: ProviderContext,
  id: string,
  olds: AiSearchInstanceOutputs,
): Promise<{ id?: string; props?: AiSearchInstanceOutputs; inputs?: AiSearchInstanceInputs }> {
  const declared = inputsOf(olds);
  declared.namespace ??= DEFAULT_NAMESPACE;
  const instance = await find(ctx, declared);
  if (!instance) return {};

  const observed = observedSettings(instance);
  const refreshed: Record<string, unknown> = { ...declared };
  for (const [key, value] of Object.entries(settingsOf(declared))) {
    if (key === "tokenId") continue;
    // The API's own form of a declared value that forces replacement is the declared value.
    if (isNormalised(key) && equivalent(key, value, observed[key], effectiveType(declared))) continue;
    refreshed[key] = overlay(value, observed[key]);
  }
  const props = {
    ...outputsOf(refreshed as AiSearchInstanceInputs, instance, olds.adopted ?? false),
    ...lastSyncOf(olds),
  };
  return { id, props, inputs: inputsOf(props) };
}

/**
 * Everything else: a move to a new namespace first (the API's PATCH, which keeps the index), then
 * a full-body PUT of the desired configuration (a new tokenId included), with settings that are no
 * longer declared sent as their defaults: the PUT keeps what it leaves out.
 */
export async function update(
  ctx: ProviderContext,
  id: string,
  olds: AiSearchInstanceOutputs,
  news: AiSearchInstanceInputs,
): Promise<AiSearchInstanceOutputs> {
  let before = olds;
  if (moves(olds, news)) {
    await move(ctx, id, olds, news);
    before = { ...olds, namespace: namespaceOf(news) };
  }
  try {
    return await updateInPlace(ctx, id, before, news);
  } catch (err) {
    if (before === olds || isPartialFailure(err)) throw err;
    // The move is done and cannot be taken back by failing: state must say where the instance is.
    const { __provider: _provider, ...outs } = before as AiSearchInstanceOutputs & { __provider?: unknown };
    throw new InstanceMovedError(id, outs, err);
  }
}

async function updateInPlace(
  ctx: ProviderContext,
  id: string,
  olds: AiSearchInstanceOutputs,
  news: AiSearchInstanceInputs,
): Promise<AiSearchInstanceOutputs> {
  // A change of nothing but `sync` (or `adopt`) writes nothing: it may only start a sync.
  const settingsChanged = diff({ ...olds, sync: news.sync, adopt: news.adopt }, news).changes;
  const outs = { ...(await (settingsChanged ? put : current)(ctx, id, news, olds)), ...lastSyncOf(olds) };
  if (!syncDue(olds, news)) return outs;
  // On failure the state keeps the old `sync`, so that the next `pulumi up` tries the sync again.
  const synced = await withSync(ctx, id, news, { ...outs, sync: olds.sync });
  return { ...synced, sync: news.sync };
}

/**
 * Moves the instance from the namespace in state to the one the program names. A refusal (400:
 * the target already holds an instance with this id) changes nothing: the error says so and how
 * to go on.
 */
async function move(
  ctx: ProviderContext,
  id: string,
  olds: AiSearchInstanceOutputs,
  news: AiSearchInstanceInputs,
): Promise<void> {
  const from = namespaceOf(olds);
  const to = namespaceOf(news);
  try {
    await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
      api(ctx).move(news.accountId, from, news.instanceId, to),
    );
  } catch (err) {
    if (err instanceof NamespaceNotFoundError) {
      throw new Error(
        `Cannot move AI Search instance "${id}" from namespace "${from}" to "${to}": ${err.message}. ` +
          `Create namespace "${to}" first (pass an AiSearchNamespace as \`namespace\`, and Pulumi creates it ` +
          "before the move); the instance stays where it is.",
      );
    }
    // A lost answer, or a rerun after one (the instance is no longer in `from`): done if it is in `to`.
    if ((mayHaveHappened(err) || isNotFound(err)) && (await find(ctx, { ...news, namespace: to }))) {
      ctx.log(
        `AI Search instance "${id}": the move to namespace "${to}" got no usable answer, but it is there.`,
      );
      return;
    }
    if (isNotFound(err)) throw gone(id, { ...news, namespace: from });
    if (err instanceof BadRequestError) {
      throw new Error(
        `Cannot move AI Search instance "${id}" from namespace "${from}" to "${to}": the API refused it ` +
          `(${err.message}). It refuses a move when namespace "${to}" already holds an instance with id ` +
          `"${news.instanceId}". Nothing was changed: the instance is still in "${from}", and so is the ` +
          `state. Delete or rename the other instance in "${to}", or keep namespace "${from}" in the program.`,
      );
    }
    throw err;
  }
  ctx.log(`AI Search instance "${id}": moved from namespace "${from}" to "${to}".`);
}

/** The instance as it is, for an update that writes nothing. */
async function current(
  ctx: ProviderContext,
  id: string,
  news: AiSearchInstanceInputs,
  olds: AiSearchInstanceOutputs,
): Promise<AiSearchInstanceOutputs> {
  const instance = await find(ctx, news);
  if (!instance) throw gone(id, news);
  return outputsOf(news, instance, olds.adopted ?? false);
}

/** The full-body PUT of an update. */
async function put(
  ctx: ProviderContext,
  id: string,
  news: AiSearchInstanceInputs,
  olds: AiSearchInstanceOutputs,
): Promise<AiSearchInstanceOutputs> {
  const resets = resetsOfRemoved(settingsOf(olds), settingsOf(news));
  if (Object.keys(resets).length) {
    ctx.log(
      `AI Search instance "${id}": ${Object.keys(resets).join(", ")} no longer declared; sending the API's default.`,
    );
  }
  const reindexing = reindexingChanges(olds, news);
  if (reindexing.length) ctx.log(reindexingNotice(id, reindexing));
  let instance: AiSearchInstance;
  try {
    const before = toApi(olds.publicEndpointParams ?? {});
    instance = await putInSteps(ctx, news, updateBody(news, resets), before);
  } catch (err) {
    if (isNotFound(err)) throw gone(id, news);
    throw err;
  }
  return outputsOf(news, instance, olds.adopted ?? false);
}

/**
 * The PUT of `body`, split as SDK 7.3 asks (custom domains in PUTs of their own, separatePuts.ts),
 * each retried on a token that has not propagated yet. `before`: the endpoint as the state has it,
 * undefined when unknown. A custom-domain refusal names the domain and the fix.
 */
async function putInSteps(
  ctx: ProviderContext,
  inputs: AiSearchInstanceInputs,
  body: Record<string, unknown>,
  before: Record<string, unknown> | undefined,
): Promise<AiSearchInstance> {
  let instance: AiSearchInstance | undefined;
  try {
    for (const step of separatePuts(body, before)) {
      instance = await withRetriedToken(ctx, inputs, () =>
        api(ctx).update(inputs.accountId, inputs.namespace, inputs.instanceId, step),
      );
    }
  } catch (err) {
    throw explainCustomDomainError(
      err,
      domainsOf(body),
      `AI Search instance "${inputs.instanceId}"${where(inputs)}`,
      inputs.accountId,
    );
  }
  return instance!;
}

function gone(id: string, news: AiSearchInstanceInputs): Error {
  return new Error(
    `AI Search instance "${id}" no longer exists${where(news)}, so it cannot be updated. Run ` +
      "`pulumi refresh` to drop it from the state, then `pulumi up` creates it again.",
  );
}

/**
 * Runs a sync for an instance that exists (outputs `outs`) and returns the outputs with its
 * outcome. Any failure (the job ended in error, the cooldown outlasted the bound, the API failed)
 * becomes a partial failure that keeps `outs` plus what is known of the job in state.
 */
async function withSync(
  ctx: ProviderContext,
  id: string,
  inputs: AiSearchInstanceInputs,
  outs: AiSearchInstanceOutputs,
): Promise<AiSearchInstanceOutputs> {
  let outcome: SyncOutcome;
  let failure: string | undefined;
  try {
    ({ outcome, failure } = await runSync(ctx, inputs));
  } catch (err) {
    throw new SyncJobFailedError(
      id,
      outs,
      `The instance is in place, but its sync failed: ${(err as Error).message}`,
    );
  }
  const synced: AiSearchInstanceOutputs = { ...outs, ...outcome };
  if (!outcome.lastSyncEndReason) delete synced.lastSyncEndReason;
  if (failure) throw new SyncJobFailedError(id, synced, failure);
  return synced;
}

/** The outputs of the last sync, carried over by steps that start none. */
function lastSyncOf(olds: AiSearchInstanceOutputs): Partial<AiSearchInstanceOutputs> {
  const out: Partial<AiSearchInstanceOutputs> = {};
  if (olds.lastSyncJobId !== undefined) out.lastSyncJobId = olds.lastSyncJobId;
  if (olds.lastSyncEndReason !== undefined) out.lastSyncEndReason = olds.lastSyncEndReason;
  if (olds.stats !== undefined) out.stats = olds.stats;
  return out;
}

/**
 * Deletes the instance (not-found counts as done) and waits, within the configured bound, until a
 * read no longer finds it. An adopted instance is left in place unless `adopt.deleteOnDestroy`.
 */
export async function remove(ctx: ProviderContext, id: string, olds: AiSearchInstanceOutputs): Promise<void> {
  const inputs = { ...inputsOf(olds), namespace: olds.namespace ?? DEFAULT_NAMESPACE };
  if (olds.adopted && !olds.adopt?.deleteOnDestroy) {
    ctx.log(
      `AI Search instance "${id}" was adopted; leaving it in place (set adopt: { deleteOnDestroy: true } to delete it).`,
    );
    return;
  }
  try {
    await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
      api(ctx).delete(inputs.accountId, inputs.namespace, inputs.instanceId),
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const deadline = ctx.now() + ctx.wait.deleteTimeoutMs;
  while (await find(ctx, inputs)) {
    if (ctx.now() + ctx.wait.pollIntervalMs > deadline) {
      throw new Error(
        `AI Search instance "${id}" was deleted but is still listed after ` +
          `${Math.round(ctx.wait.deleteTimeoutMs / 1000)}s; run the delete again later (raise ` +
          "cloudflare-ai-search:deleteTimeoutSeconds if teardown is merely slow).",
      );
    }
    await ctx.sleep(ctx.wait.pollIntervalMs);
  }
}

// --- Steps ------------------------------------------------------------------------------------

function api(ctx: ProviderContext): AiSearchInstances {
  return ctx.management().aiSearchInstances;
}

/** The instance, or undefined if the API says it does not exist. */
async function find(
  ctx: ProviderContext,
  at: Pick<AiSearchInstanceInputs, "accountId" | "namespace" | "instanceId">,
): Promise<AiSearchInstance | undefined> {
  try {
    return await withCredential(ctx.sources.management, AI_SEARCH_EDIT, () =>
      api(ctx).read(at.accountId, at.namespace, at.instanceId),
    );
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * How an existing instance differs from the program in what cannot change after creation (type,
 * source, and the embedding model when both name one), one line per field.
 */
function creationMismatches(existing: AiSearchInstance, inputs: AiSearchInstanceInputs): string[] {
  const observed = observedSettings(existing);
  const mismatches: string[] = [];
  for (const key of NORMALISED_KEYS) {
    const has = observed[key];
    const wants = key === "type" ? effectiveType(inputs) : inputs[key];
    if (key === "embeddingModel" && (wants === undefined || has === undefined)) continue;
    if (!equivalent(key, has, wants, effectiveType(inputs))) {
      mismatches.push(`${key}: the instance has ${show(has)}, the program declares ${show(wants)}`);
    }
  }
  return mismatches;
}

/**
 * The create, sent at `sentAt`, failed in a way that leaves open whether the API made the instance
 * (`lost`). Reads it back: an instance with this id that the API created after the request was sent
 * (madeByThisRequest.ts), with the type and source asked for, is taken over as this resource's own;
 * none means nothing was created; anything else is left alone and reported.
 */
async function takeOverLostCreate(
  ctx: ProviderContext,
  inputs: AiSearchInstanceInputs,
  lost: Error,
  sentAt: number,
): Promise<{ id: string; outs: AiSearchInstanceOutputs }> {
  const what = `The create of AI Search instance "${inputs.instanceId}"${where(inputs)} got no usable answer (${lost.message})`;
  let found: AiSearchInstance | undefined;
  try {
    found = await find(ctx, inputs);
  } catch (readErr) {
    throw new Error(
      `${what}, and reading the instance back failed too (${(readErr as Error).message}). The API may ` +
        "have made it: run `pulumi up` again; if that fails with 7022 (already exists), set `adopt: true` " +
        "for one `up`.",
    );
  }
  if (!found) {
    throw new Error(
      `${what}; no instance with that id exists, so nothing was created. Run \`pulumi up\` again.`,
    );
  }
  const mismatches = creationMismatches(found, inputs);
  if (mismatches.length) {
    throw new Error(
      `${what}, and an instance with that id exists that is not the one asked for: ${mismatches.join("; ")}. ` +
        "This create did not make it (or it was changed since), so it is left as it is. Choose another " +
        "instanceId, or declare its values and set `adopt: true` to manage it.",
    );
  }
  const verdict = madeByThisRequest(found.created_at, sentAt, ctx.management().client.serverClockSkewMs());
  if (!verdict.made) {
    throw new Error(
      `${what}, and an instance with that id exists that this create cannot show it made: ${verdict.why}. ` +
        "It is left as it is, and not taken over (this stack's destroy would delete it). If it is yours to " +
        "manage, set `adopt: true`; otherwise choose another instanceId. If an interrupted run of this stack " +
        `made it, delete it (DELETE ${instancePath(inputs)}) and run \`pulumi up\` again.`,
    );
  }
  ctx.log(`${what}, but the API made it after the request was sent; taking it over.`);
  return { id: inputs.instanceId, outs: outputsOf(inputs, found, false) };
}

async function adoptExisting(
  ctx: ProviderContext,
  inputs: AiSearchInstanceInputs,
  existing: AiSearchInstance,
): Promise<{ id: string; outs: AiSearchInstanceOutputs }> {
  const mismatches = creationMismatches(existing, inputs);
  if (mismatches.length) {
    throw new Error(
      `Cannot adopt AI Search instance "${inputs.instanceId}"${where(inputs)}: ${mismatches.join("; ")}. ` +
        "These cannot change after creation: declare the instance's values, or pick another instanceId. " +
        "(If this is the replacement of an adopted instance, the old one was kept because adopt does not " +
        "delete; set adopt: { deleteOnDestroy: true } or delete it yourself.)",
    );
  }
  const instance = await putInSteps(ctx, inputs, updateBody(inputs), undefined);
  ctx.log(`Adopted the existing AI Search instance "${inputs.instanceId}"${where(inputs)}.`);
  return { id: inputs.instanceId, outs: outputsOf(inputs, instance, true) };
}

/**
 * Runs a create or update, retrying AI Search's 7012 (invalid token) within the propagation
 * bound: a service token registered moments ago may not be usable yet.
 */
async function withRetriedToken(
  ctx: ProviderContext,
  inputs: AiSearchInstanceInputs,
  call: () => Promise<AiSearchInstance>,
): Promise<AiSearchInstance> {
  const attempts = 1 + ctx.wait.propagationRetries;
  let delay = ctx.wait.propagationRetryDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await withCredential(ctx.sources.management, AI_SEARCH_EDIT, call);
    } catch (err) {
      if (!(err instanceof InvalidServiceTokenError) || inputs.tokenId === undefined) throw err;
      if (attempt >= attempts) {
        throw new Error(
          `AI Search did not accept tokenId "${inputs.tokenId}" for instance "${inputs.instanceId}" (7012, ` +
            `${attempts} attempts): it must be the id of an AI Search service token registered on account ` +
            `${inputs.accountId} whose API token is active and carries "AI Search Index Engine". Pass a ` +
            "ServiceApiToken's id (tokenId: serviceToken.id).",
        );
      }
      ctx.log(
        `AI Search does not accept tokenId "${inputs.tokenId}" yet (7012); retry ${attempt}/${attempts - 1} in ${delay} ms`,
      );
      await ctx.sleep(delay);
      delay = Math.min(delay * 2, 30_000);
    }
  }
}

// --- Helpers ----------------------------------------------------------------------------------

/** The state: inputs as given, the embedding model in use, and what the API computed. */
function outputsOf(
  inputs: AiSearchInstanceInputs,
  instance: AiSearchInstance,
  adopted: boolean,
): AiSearchInstanceOutputs {
  const outs: AiSearchInstanceOutputs = { ...inputsOf(inputs), adopted, ...computedOutputs(instance) };
  // The model in use, and the type the API inferred, also when the program left them out (see diff).
  const observed = observedSettings(instance);
  if (outs.embeddingModel === undefined && typeof observed.embeddingModel === "string") {
    outs.embeddingModel = observed.embeddingModel;
  }
  if (outs.type === undefined && (observed.type === "r2" || observed.type === "web-crawler")) {
    outs.type = observed.type;
  }
  return outs;
}

/** The input fields (those that are set) of inputs or outputs; nothing computed, no `__provider`. */
function inputsOf(x: Partial<AiSearchInstanceInputs>): AiSearchInstanceInputs {
  const out: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) if (x[key] !== undefined) out[key] = x[key];
  return out as AiSearchInstanceInputs;
}

function isNormalised(key: string): key is NormalisedKey {
  return (NORMALISED_KEYS as readonly string[]).includes(key);
}

/** The API path of the instance `inputs` names. */
function instancePath(inputs: AiSearchInstanceInputs): string {
  return `/accounts/${inputs.accountId}/ai-search/namespaces/${namespaceOf(inputs)}/instances/${inputs.instanceId}`;
}

function where(x: { namespace?: string }): string {
  return x.namespace && x.namespace !== DEFAULT_NAMESPACE ? ` (namespace "${x.namespace}")` : "";
}

function show(v: unknown): string {
  return v === undefined ? "none" : JSON.stringify(v);
}
