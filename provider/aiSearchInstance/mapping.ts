// The one mapping between the resource's camelCase inputs and the API's snake_case fields. Every
// key is converted by the same rule in both directions (`chunkSize` <-> `chunk_size`,
// `r2Jurisdiction` <-> `r2_jurisdiction`, `systemPromptAiSearch` <-> `system_prompt_ai_search`),
// except inside maps whose keys are data (crawl request headers), which are passed as they are.
import type { AiSearchInstance, CreateInstanceRequest, UpdateInstanceRequest } from "../cloudflare/schemas";
import { IDENTITY_KEYS, INPUT_KEYS, type AiSearchInstanceInputs, type AiSearchInstanceOutputs } from "./args";

/** Inputs that are not instance settings: where the instance is, and our own lifecycle inputs. */
const NOT_SETTINGS = new Set<string>([...IDENTITY_KEYS, "adopt", "sync"]);
/**
 * Never in the PUT body (reference 3.3): `type` is immutable; `source` is in the PUT params only in
 * the newest SDK, and a change of it or of `embeddingModel` replaces the instance, so an update
 * never has a new value to send.
 */
const NOT_IN_UPDATE = new Set<string>(["type", "source", "embeddingModel"]);
/** Paths (camelCase, dotted) of maps whose keys are data, not field names. */
const DATA_KEYED = new Set<string>(["sourceParams.webCrawler.parseOptions.includeHeaders"]);

export const toApiKey = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const fromApiKey = (key: string): string =>
  key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function convert(value: unknown, path: string, keyOf: (key: string) => string, toCamel: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => convert(v, path, keyOf, toCamel));
  if (!isPlainObject(value)) return value;
  if (DATA_KEYED.has(path)) return { ...value };
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const converted = keyOf(key);
    const camel = toCamel ? converted : key;
    out[converted] = convert(v, path ? `${path}.${camel}` : camel, keyOf, toCamel);
  }
  return out;
}

/** camelCase settings -> the API's snake_case fields. */
export function toApi(settings: Record<string, unknown>): Record<string, unknown> {
  return convert(settings, "", toApiKey, false) as Record<string, unknown>;
}

/** The API's snake_case fields -> camelCase. */
export function fromApi(fields: Record<string, unknown>): Record<string, unknown> {
  return convert(fields, "", fromApiKey, true) as Record<string, unknown>;
}

/** The declared settings (including type, source, tokenId), without identity and lifecycle inputs. */
export function settingsOf(inputs: Partial<AiSearchInstanceInputs>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) {
    const value = inputs[key];
    if (!NOT_SETTINGS.has(key) && value !== undefined) out[key] = value;
  }
  return out;
}

/** The POST body: the id plus every declared setting. */
export function createBody(inputs: AiSearchInstanceInputs): CreateInstanceRequest {
  return withBothIndexMethods({ id: inputs.instanceId, ...toApi(settingsOf(inputs)) });
}

/**
 * `index_method` with both keys: the API's params require both, and a key the program leaves
 * out is the API's default for it, true (SDK 7.3: "Defaults to vector and keyword indexing").
 */
function withBothIndexMethods<T extends Record<string, unknown>>(body: T): T {
  const method = body.index_method;
  if (!isPlainObject(method)) return body;
  return { ...body, index_method: { keyword: method.keyword ?? true, vector: method.vector ?? true } };
}

/**
 * The PUT body: the whole desired configuration, without `id`, `type`, `source` and
 * `embedding_model`, plus `resets` (camelCase, nested like the settings: what settings that are
 * no longer declared go back to, see removedSettings.ts) wherever nothing is declared.
 */
export function updateBody(
  inputs: AiSearchInstanceInputs,
  resets: Record<string, unknown> = {},
): UpdateInstanceRequest {
  const settings = withResets(settingsOf(inputs), resets);
  for (const key of NOT_IN_UPDATE) delete settings[key];
  return withBothIndexMethods(toApi(settings));
}

/** The declared settings with `resets` filled in where nothing is declared, at any depth. */
export function withResets(
  declared: Record<string, unknown>,
  resets: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...declared };
  for (const [key, reset] of Object.entries(resets)) {
    const has = out[key];
    if (has === undefined) out[key] = reset;
    else if (isPlainObject(has) && isPlainObject(reset)) out[key] = withResets(has, reset);
  }
  return out;
}

/**
 * The instance's configuration as the API returned it, in camelCase, with null and empty values
 * dropped (they mean "not set" and must never cause a diff). `token_id` is left out: it is
 * write-only, and a read may return it or not.
 */
export function observedSettings(instance: AiSearchInstance): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...instance };
  delete fields.token_id;
  return (prune(fromApi(fields)) as Record<string, unknown> | undefined) ?? {};
}

/** The computed outputs of a response, normalised (null and "" become absent). */
export function computedOutputs(
  instance: AiSearchInstance,
): Omit<AiSearchInstanceOutputs, keyof AiSearchInstanceInputs | "adopted"> {
  const text = (v: string | number | null | undefined) =>
    v === null || v === undefined || v === "" ? undefined : String(v);
  const outs = {
    status: text(instance.status),
    createdAt: text(instance.created_at),
    modifiedAt: text(instance.modified_at),
    createdBy: text(instance.created_by),
    modifiedBy: text(instance.modified_by),
    enable: instance.enable ?? undefined,
    engineVersion: text(instance.engine_version),
    publicEndpointId: text(instance.public_endpoint_id),
    vectorizeName: text(instance.vectorize_name),
    lastActivity: text(instance.last_activity),
  };
  return Object.fromEntries(Object.entries(outs).filter(([, v]) => v !== undefined));
}

/**
 * Drops null, "" and undefined (recursively in objects), and objects left empty by that: the
 * normal form both sides of a comparison are brought to.
 */
export function prune(value: unknown): unknown {
  if (value === null || value === undefined || value === "") return undefined;
  if (Array.isArray(value)) return value.map((v) => prune(v) ?? null);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const p = prune(v);
    if (p !== undefined) out[key] = p;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * The declared value refreshed from what the API returned: only what was declared is looked at
 * (a field the program leaves out is not managed, whatever the API's default for it), and where
 * the API returned nothing the declared value stays (some fields are write-only).
 */
export function overlay(declared: unknown, observed: unknown): unknown {
  if (observed === undefined) return declared;
  if (isPlainObject(declared) && isPlainObject(observed)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(declared)) {
      if (v !== undefined) out[key] = overlay(v, observed[key]);
    }
    return out;
  }
  if (Array.isArray(declared) && Array.isArray(observed) && declared.length === observed.length) {
    return declared.map((d, i) => overlay(d, observed[i]));
  }
  return observed;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
