// The removal table (removedSettings.ts) against the inputs schema: every setting a program can
// declare has a decision (a value sent, or kept), and the table names no setting that does not
// exist. A new input without a decision would otherwise be kept silently when removed.
import { z } from "zod";
import { AiSearchInstanceInputsSchema, IDENTITY_KEYS } from "../../provider/aiSearchInstance/args";
import { AiSearchNamespaceInputsSchema } from "../../provider/aiSearchNamespace/args";
import {
  NESTED_SETTINGS,
  REMOVAL_DECISIONS,
  resetsOfRemoved,
  withoutKeptRemovals,
} from "../../provider/aiSearchInstance/removedSettings";

/** Inputs that are not settings (identity, our own inputs) or whose removal replaces the instance. */
const NOT_REMOVABLE_SETTINGS = new Set<string>([...IDENTITY_KEYS, "adopt", "sync", "type", "source"]);

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let inner: unknown = schema;
  while (inner instanceof z.ZodOptional) inner = inner.unwrap();
  return inner instanceof z.ZodObject ? inner.shape : undefined;
}

/** Every setting path the schema has, descending into the nested settings. */
function settingPaths(shape: Record<string, z.ZodType>, prefix = ""): string[] {
  return Object.entries(shape).flatMap(([key, schema]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!prefix && NOT_REMOVABLE_SETTINGS.has(key)) return [];
    const nested = NESTED_SETTINGS.has(path) ? shapeOf(schema) : undefined;
    return nested ? settingPaths(nested, path) : [path];
  });
}

describe("AiSearchInstance removed settings", () => {
  const paths = settingPaths(AiSearchInstanceInputsSchema.shape);
  // The namespace's public endpoint goes through the same table (it adds instancesAllowed).
  const namespacePaths = settingPaths({
    publicEndpointParams: AiSearchNamespaceInputsSchema.shape.publicEndpointParams,
  });

  it("has a decision for every setting a program can declare", () => {
    expect(paths.filter((p) => !REMOVAL_DECISIONS.has(p))).toEqual([]);
  });

  it("names only settings that exist, and nests only objects", () => {
    expect(namespacePaths.filter((p) => !REMOVAL_DECISIONS.has(p))).toEqual([]);
    const known = [...paths, ...namespacePaths];
    expect([...REMOVAL_DECISIONS.keys()].filter((p) => !known.includes(p))).toEqual([]);
    for (const path of NESTED_SETTINGS) expect(paths.some((p) => p.startsWith(`${path}.`))).toBe(true);
  });

  it("resets only what was declared before and is no longer, key by key inside objects", () => {
    const olds = {
      paused: true,
      maxNumResults: 5,
      indexMethod: { keyword: true, vector: true },
      sourceParams: { prefix: "docs/", includeItems: ["*.md"] },
      retrievalOptions: { keywordMatchMode: "or" },
    };
    const news = { maxNumResults: 5, sourceParams: { includeItems: ["*.md"] } };
    expect(resetsOfRemoved(olds, news)).toEqual({
      paused: false,
      // SDK 7.3: the default is vector and keyword (no longer "disputed, kept").
      indexMethod: { keyword: true, vector: true },
      sourceParams: { prefix: "" },
      retrievalOptions: { keywordMatchMode: "and" },
    });
    expect(withoutKeptRemovals(olds, news)).toHaveProperty("indexMethod");
  });
});
