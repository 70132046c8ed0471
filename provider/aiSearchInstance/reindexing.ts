// Which changes make AI Search re-index an instance's whole content: `index_method`,
// `indexing_options.keyword_tokenizer` and `indexing_options.use_ocr` (SDK 7.3 field docs, and
// the text of error 7070). Such an update is in place, but search results are incomplete until
// the re-index ends, so the update says so in the `pulumi up` output: that is what the change means.
import type { AiSearchInstanceInputs } from "./args";

type Indexing = Pick<AiSearchInstanceInputs, "indexMethod" | "indexingOptions">;

/** The settings that re-index, each with the API's default where the program leaves it out. */
function effective(x: Indexing) {
  return {
    indexMethod: `keyword ${x.indexMethod?.keyword ?? true}, vector ${x.indexMethod?.vector ?? true}`,
    "indexingOptions.keywordTokenizer": x.indexingOptions?.keywordTokenizer ?? "porter",
    "indexingOptions.useOcr": x.indexingOptions?.useOcr ?? false,
  };
}

/** The re-indexing settings that differ between the state and the program (dotted names). */
export function reindexingChanges(olds: Indexing, news: Indexing): string[] {
  const before = effective(olds);
  const after = effective(news);
  return (Object.keys(before) as (keyof typeof before)[]).filter((k) => before[k] !== after[k]);
}

/** The log line of an update that re-indexes, naming what caused it. */
export function reindexingNotice(instanceId: string, changed: readonly string[]): string {
  return (
    `AI Search instance "${instanceId}": ${changed.join(", ")} changed, so AI Search re-indexes all its ` +
    "content; search results are incomplete until that ends (its progress: GET …/stats)."
  );
}
