// The removal table (removedSettings.ts) against the inputs schema: every setting a program can
// declare has a decision (a value sent, or kept), and the table names no setting that does not
// exist. A new input without a decision would otherwise be kept silently when removed.
import { z } from "zod";
import { AiSearchInstanceInputsSchema, IDENTITY_KEYS } from "../../provider/aiSearchInstance/args";
import {
  KEEP,
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

  it("has a decision for every setting a program can declare", () => {
    expect(paths.filter((p) => !REMOVAL_DECISIONS.has(p))).toEqual([]);
  });

  it("names only settings that exist, and nests only objects", () => {
    expect([...REMOVAL_DECISIONS.keys()].filter((p) => !paths.includes(p))).toEqual([]);
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
      sourceParams: { prefix: "" },
      retrievalOptions: { keywordMatchMode: "and" },
    });
    // The kept one (indexMethod) is no longer compared: its removal alone is no change.
    expect(withoutKeptRemovals(olds, news)).not.toHaveProperty("indexMethod");
    expect(REMOVAL_DECISIONS.get("indexMethod")).toBe(KEEP);
  });
});
