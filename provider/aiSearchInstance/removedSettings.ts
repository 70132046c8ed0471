// What happens to a setting the program stops declaring. The instance PUT is partly merge
// (reference 3.3): a field left out of the body keeps its stored value. So leaving a removed
// setting out would change nothing in the account while the state records it as unset, and a
// refresh (which looks only at declared settings) would never notice. Each setting therefore
// either goes back to the API's default, sent explicitly, or is kept as it is, and then its
// removal alone is no change in the diff. docs/resources.md has this table.
// AiSearchNamespace uses the same table for its public endpoint: one mechanism for both.
import { isPlainObject } from "./mapping";

/** The setting is kept as the instance has it: its default is unknown or disputed. */
export const KEEP = Symbol("keep the instance's value");
/**
 * The setting is left out of the object around it, which the API replaces whole: leaving it out
 * is what resets it. Its removal is a change, and the object is sent.
 */
export const LEFT_OUT = Symbol("left out of an object the API replaces whole");

/** Objects the API replaces whole: once declared, a removal sends the object (`{}` is every default). */
export const WHOLE_OBJECTS: ReadonlySet<string> = new Set<string>(["publicEndpointParams"]);

/**
 * Value sent for a removed setting, by camelCase path. Defaults are the API's own as the SDK's
 * field docs and Terraform's schema (generated from the same OpenAPI spec) give them (reference
 * 7.1); `null` clears a nullable field. A path missing here that is in NESTED_SETTINGS is reset
 * key by key.
 */
export const REMOVAL_DECISIONS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ["paused", false],
  ["maxNumResults", 10],
  ["scoreThreshold", 0.4],
  ["chunk", true],
  ["chunkSize", 256],
  ["chunkOverlap", 10],
  ["cache", true],
  ["cacheThreshold", "close_enough"],
  ["cacheTtl", 172800],
  ["fusionMethod", "rrf"],
  ["reranking", false],
  ["rewriteQuery", false],
  ["summarization", false],
  ["syncInterval", 21600],
  // Nullable in the API: null means "not set", i.e. the configured or default model, no gateway,
  // the default prompt.
  ["aiSearchModel", null],
  ["rewriteModel", null],
  ["rerankingModel", null],
  ["summarizationModel", null],
  ["aiGatewayId", null],
  ["systemPromptAiSearch", null],
  ["systemPromptIndexSummarization", null],
  ["systemPromptRewriteQuery", null],
  // Kept: the API types token_id on update as a string (SDK 7.3), so a detach cannot be sent, and
  // AI Search uses the account's registered token for every instance anyway (see docs/resources.md).
  ["tokenId", KEEP],
  ["customMetadata", []],
  // Replaced as a whole by the API (WHOLE_OBJECTS), except its custom domains: a PUT that leaves
  // `custom_domains` out keeps them bound (SDK 7.3), so a removal sends the empty list, which
  // unbinds them. `enabled` is sent as false, so that removing it (or the whole object) turns the
  // endpoint off whatever the API's default.
  ["publicEndpointParams.enabled", false],
  ["publicEndpointParams.customDomains", []],
  // A namespace's endpoint only: "empty means nothing is searchable" (SDK 7.3).
  ["publicEndpointParams.instancesAllowed", []],
  ["publicEndpointParams.authorizedHosts", LEFT_OUT],
  ["publicEndpointParams.defaultDomainEnabled", LEFT_OUT],
  ["publicEndpointParams.mcp", LEFT_OUT],
  ["publicEndpointParams.rateLimit", LEFT_OUT],
  ["publicEndpointParams.searchEndpoint", LEFT_OUT],
  ["publicEndpointParams.chatCompletionsEndpoint", LEFT_OUT],
  ["retrievalOptions.boostBy", []],
  // "When never set, search falls back to 'and'" (SDK field docs); omitted, the stored value stays.
  ["retrievalOptions.keywordMatchMode", "and"],
  // A change of any of these re-indexes the instance (reindexing.ts says so when it happens).
  ["indexingOptions.keywordTokenizer", "porter"],
  ["indexingOptions.useOcr", false],
  // SDK 7.3: "Defaults to vector and keyword indexing" (the older "vector only" is outdated).
  ["indexMethod", { keyword: true, vector: true }],
  // Create-only (a declared change replaces); left out it is whatever the instance has.
  ["embeddingModel", KEEP],
  ["sourceParams.prefix", ""],
  ["sourceParams.includeItems", []],
  ["sourceParams.excludeItems", []],
  ["sourceParams.r2Jurisdiction", "default"],
  ["sourceParams.webCrawler.parseType", "sitemap"],
  // The API refuses an empty list; `source_params` is replaced whole on PUT, so leaving it out clears it.
  ["sourceParams.webCrawler.parseOptions.contentSelector", LEFT_OUT],
  ["sourceParams.webCrawler.parseOptions.includeHeaders", {}],
  ["sourceParams.webCrawler.parseOptions.includeImages", false],
  ["sourceParams.webCrawler.parseOptions.specificSitemaps", []],
  ["sourceParams.webCrawler.parseOptions.useBrowserRendering", true],
  ["sourceParams.webCrawler.discoverOptions.includeExternalLinks", false],
  // No documented default for depth, includeSubdomains, limit, maxAge or source (discover mode).
  ["sourceParams.webCrawler.discoverOptions.depth", KEEP],
  ["sourceParams.webCrawler.discoverOptions.includeSubdomains", KEEP],
  ["sourceParams.webCrawler.discoverOptions.limit", KEEP],
  ["sourceParams.webCrawler.discoverOptions.maxAge", KEEP],
  ["sourceParams.webCrawler.discoverOptions.source", KEEP],
]);

/** Objects whose keys are settings of their own: a removal inside them is reset key by key. */
export const NESTED_SETTINGS: ReadonlySet<string> = new Set<string>([
  "sourceParams",
  "sourceParams.webCrawler",
  "sourceParams.webCrawler.parseOptions",
  "sourceParams.webCrawler.discoverOptions",
  "retrievalOptions",
  "indexingOptions",
  "publicEndpointParams",
]);

/** What a removed setting at `path` (whose last declared value was `old`) goes back to, or KEEP. */
export function resetOf(path: string, old: unknown): unknown {
  if (REMOVAL_DECISIONS.has(path)) return REMOVAL_DECISIONS.get(path);
  if (NESTED_SETTINGS.has(path) && isPlainObject(old)) {
    const { resets, oldWithoutKept } = removals(old, {}, path);
    // Sent when something in it resets, or is reset by leaving it out (LEFT_OUT).
    const sent = WHOLE_OBJECTS.has(path) || Object.keys(oldWithoutKept).length > 0;
    return sent ? resets : KEEP;
  }
  if (WHOLE_OBJECTS.has(path)) return {};
  // Not in the table (a setting added to the inputs later): keeping it is the safe reading.
  return KEEP;
}

interface Removals {
  /** The values to send for removed settings, nested like the settings. */
  resets: Record<string, unknown>;
  /** `old` without the removed settings that are kept. */
  oldWithoutKept: Record<string, unknown>;
}

function removals(old: Record<string, unknown>, neu: Record<string, unknown>, path: string): Removals {
  const resets: Record<string, unknown> = {};
  const oldWithoutKept: Record<string, unknown> = {};
  for (const [key, was] of Object.entries(old)) {
    if (was === undefined) continue;
    const at = path ? `${path}.${key}` : key;
    const now = neu[key];
    if (now === undefined) {
      const reset = resetOf(at, was);
      if (reset === KEEP) continue;
      if (reset !== LEFT_OUT) resets[key] = reset;
      oldWithoutKept[key] = was;
    } else if (NESTED_SETTINGS.has(at) && isPlainObject(was) && isPlainObject(now)) {
      const inner = removals(was, now, at);
      if (Object.keys(inner.resets).length) resets[key] = inner.resets;
      oldWithoutKept[key] = inner.oldWithoutKept;
    } else {
      oldWithoutKept[key] = was;
    }
  }
  return { resets, oldWithoutKept };
}

/**
 * The values to send for the settings `olds` declared and `news` no longer does (camelCase,
 * nested like the settings), e.g. `{ paused: false, sourceParams: { prefix: "" } }`.
 */
export function resetsOfRemoved(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Record<string, unknown> {
  return removals(olds, news, "").resets;
}

/** `olds` without the removed settings that are kept as they are: removing those is no change. */
export function withoutKeptRemovals(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Record<string, unknown> {
  return removals(olds, news, "").oldWithoutKept;
}
