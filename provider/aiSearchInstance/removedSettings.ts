// What happens to a setting the program stops declaring. The instance PUT is partly merge
// (reference 3.3): a field left out of the body keeps its stored value. So leaving a removed
// setting out would change nothing in the account while the state records it as unset, and a
// refresh (which looks only at declared settings) would never notice. Each setting therefore
// either goes back to the API's default, sent explicitly, or is kept as it is, and then its
// removal alone is no change in the diff. docs/resources.md has this table.
import { isPlainObject } from "./mapping";

/** The setting is kept as the instance has it: its default is unknown or disputed. */
export const KEEP = Symbol("keep the instance's value");

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
  // Replaced as a whole by the API: an empty object is every default.
  ["publicEndpointParams", {}],
  ["retrievalOptions.boostBy", []],
  // "When never set, search falls back to 'and'" (SDK field docs); omitted, the stored value stays.
  ["retrievalOptions.keywordMatchMode", "and"],
  ["indexingOptions.keywordTokenizer", "porter"],
  // The older reference says vector only, the newer SDK docs vector and keyword; a change re-indexes.
  ["indexMethod", KEEP],
  // Create-only (a declared change replaces); left out it is whatever the instance has.
  ["embeddingModel", KEEP],
  ["sourceParams.prefix", ""],
  ["sourceParams.includeItems", []],
  ["sourceParams.excludeItems", []],
  ["sourceParams.r2Jurisdiction", "default"],
  ["sourceParams.webCrawler.parseType", "sitemap"],
  ["sourceParams.webCrawler.parseOptions.contentSelector", []],
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
]);

/** What a removed setting at `path` (whose last declared value was `old`) goes back to, or KEEP. */
export function resetOf(path: string, old: unknown): unknown {
  if (REMOVAL_DECISIONS.has(path)) return REMOVAL_DECISIONS.get(path);
  if (NESTED_SETTINGS.has(path) && isPlainObject(old)) {
    const out = removals(old, {}, path).resets;
    return Object.keys(out).length ? out : KEEP;
  }
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
      resets[key] = reset;
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
