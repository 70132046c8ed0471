// Removing a declared setting from the program, against the emulator, whose instance PUT (like
// the API's, reference 3.3) keeps what the body leaves out. Each removal must either put the
// API's default back or be no change at all; never a "change" that leaves the account as it was.
import type { AiSearchInstanceInputs, AiSearchInstanceOutputs } from "../../provider/aiSearchInstance/args";
import * as provider from "../../provider/aiSearchInstance/provider";
import type { ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as tokens from "../../provider/serviceApiToken/provider";
import { useEmulator } from "../support/emulatorContext";

const t = useEmulator();

const UPDATE = { changes: true, replaces: [], deleteBeforeReplace: true };
const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: true };

function checked(news: Record<string, unknown>): AiSearchInstanceInputs {
  const result = provider.check({ accountId: t.emu.accountId, instanceId: "docs", ...news });
  expect(result.failures).toEqual([]);
  return result.inputs as AiSearchInstanceInputs;
}

async function serviceToken(name = "AI Search Service API Token") {
  const inputs = tokens.check({ accountId: t.emu.accountId, name }).inputs as ServiceApiTokenInputs;
  return tokens.create(t.env.ctx, inputs);
}

/** What the emulator holds for the instance (settings as stored, token_id included). */
const stored = () => t.emu.state().instances.find((i) => i.id === "docs")!;

/** The account's service token, registered before each test; every instance names it. */
let tokenId: string;
beforeEach(async () => {
  tokenId = (await serviceToken()).id;
});

const site = (extra: Record<string, unknown> = {}) =>
  checked({ type: "web-crawler", source: "example.com", tokenId, ...extra });

/** The engine's steps for an `up` after the program changed: diff, then update when it says so. */
async function upTo(olds: AiSearchInstanceOutputs, news: AiSearchInstanceInputs) {
  expect(provider.diff(olds, news)).toEqual(UPDATE);
  const outs = await provider.update(t.env.ctx, "docs", olds, news);
  // Then a refresh finds nothing to do, and neither does the next diff.
  const refreshed = await provider.read(t.env.ctx, "docs", outs);
  expect(refreshed.props).toEqual(outs);
  expect(provider.diff(refreshed.props!, news)).toEqual(NO_CHANGE);
  return outs;
}

describe("AiSearchInstance: a setting removed from the program", () => {
  it("removing paused: true resumes the instance (paused goes back to false)", async () => {
    const { outs } = await provider.create(t.env.ctx, site({ paused: true }));
    expect(stored().settings.paused).toBe(true);

    const updated = await upTo(outs, site());
    expect(stored().settings.paused).toBe(false);
    expect(updated).not.toHaveProperty("paused");
    expect(t.env.logs.join("\n")).toContain("paused no longer declared");
  });

  it("removing maxNumResults puts the API's default (10) back", async () => {
    const { outs } = await provider.create(t.env.ctx, site({ maxNumResults: 30 }));
    await upTo(outs, site());
    expect(stored().settings.max_num_results).toBe(10);
  });

  it("removing tokenId alone is no change: the API cannot detach a token, the instance keeps it", async () => {
    const token = await serviceToken("another");
    const { outs } = await provider.create(t.env.ctx, site({ tokenId: token.id }));
    expect(stored().token_id).toBe(token.id);

    expect(provider.diff(outs, site({ tokenId: undefined }))).toEqual(NO_CHANGE);
    // Removed together with another change, the PUT carries no token_id (the API takes only an id).
    await upTo(outs, site({ tokenId: undefined, maxNumResults: 5 }));
    expect(stored().token_id).toBe(token.id);
  });

  it("removing sourceParams puts each sub-setting it declared back to its default", async () => {
    const r2 = (extra: Record<string, unknown> = {}) =>
      checked({ type: "r2", source: "docs-bucket", tokenId, ...extra });
    const { outs } = await provider.create(
      t.env.ctx,
      r2({ sourceParams: { prefix: "docs/", includeItems: ["**/*.md"], r2Jurisdiction: "eu" } }),
    );

    await upTo(outs, r2());
    expect(stored().settings.source_params).toEqual({
      prefix: "",
      include_items: [],
      r2_jurisdiction: "default",
    });
  });

  it("removing one key of a merged nested setting resets that key and keeps the others declared", async () => {
    const declared = { boostBy: [{ field: "timestamp", direction: "desc" }] };
    const { outs } = await provider.create(
      t.env.ctx,
      site({ retrievalOptions: { ...declared, keywordMatchMode: "or" } }),
    );
    await upTo(outs, site({ retrievalOptions: declared }));
    expect(stored().settings.retrieval_options).toEqual({
      boost_by: [{ field: "timestamp", direction: "desc" }],
      keyword_match_mode: "and",
    });
  });

  it("removing indexMethod sends the API's default, vector and keyword (SDK 7.3), and is a change", async () => {
    const { outs } = await provider.create(
      t.env.ctx,
      site({ indexMethod: { keyword: false, vector: true }, maxNumResults: 30 }),
    );
    expect(stored().settings.index_method).toEqual({ keyword: false, vector: true });
    expect(provider.diff(outs, site({ maxNumResults: 30 })).changes).toBe(true);

    await upTo(outs, site({ maxNumResults: 30 }));
    expect(stored().settings.index_method).toEqual({ keyword: true, vector: true });
  });
});
