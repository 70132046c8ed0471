// Values the API stores in a normal form of its own (a web-crawler source as a URL, an embedding
// model filled in when none was declared), against undici's MockAgent: a refresh must not turn an
// equivalent form into a replacement of the instance and its index.
import type { AiSearchInstanceInputs } from "../../provider/aiSearchInstance/args";
import * as provider from "../../provider/aiSearchInstance/provider";
import { ACCOUNT_ID, mockCloudflare, ok, v4, type MockCloudflare } from "../support/mockCloudflare";

const AT = `/accounts/${ACCOUNT_ID}/ai-search/namespaces/default/instances/site`;
const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: true };

const site = (extra: Record<string, unknown> = {}): AiSearchInstanceInputs => {
  const checked = provider.check({
    accountId: ACCOUNT_ID,
    instanceId: "site",
    type: "web-crawler",
    source: "example.com",
    tokenId: "62af0db3-c410-40b2-9ee3-0e93f6dd1de0",
    ...extra,
  });
  expect(checked.failures).toEqual([]);
  return checked.inputs as AiSearchInstanceInputs;
};

/** The instance as a normalising API answers it. */
const answered = (extra: Record<string, unknown> = {}) => ({
  id: "site",
  type: "web-crawler",
  source: "https://example.com/",
  embedding_model: "@cf/qwen/qwen3-embedding-0.6b",
  namespace: "default",
  status: "waiting",
  created_at: "2026-11-29 10:00:00",
  modified_at: "2026-11-29 10:00:00",
  ...extra,
});

function reply(cf: MockCloudflare, method: string, path: string, body: object) {
  cf.pool.intercept({ path: v4(path), method }).reply(200, body);
}

async function createThenRefresh(news: AiSearchInstanceInputs, server = answered()) {
  const cf = mockCloudflare();
  reply(cf, "POST", `/accounts/${ACCOUNT_ID}/ai-search/namespaces/default/instances`, ok(server));
  const { outs } = await provider.create(cf.ctx, news);
  reply(cf, "GET", AT, ok(server));
  const refreshed = await provider.read(cf.ctx, "site", outs);
  return { outs, refreshed };
}

describe("AiSearchInstance: values the API normalises", () => {
  it.each(["example.com", "https://example.com", "https://EXAMPLE.com/", "example.com/"])(
    "keeps the declared web-crawler source %s when the API answers it as https://example.com/: no replacement",
    async (declared) => {
      const news = site({ source: declared });
      const { outs, refreshed } = await createThenRefresh(news);
      expect(refreshed.props!.source).toBe(declared);
      expect(refreshed.inputs!.source).toBe(declared);
      expect(refreshed.props).toEqual(outs);
      expect(provider.diff(refreshed.props!, news)).toEqual(NO_CHANGE);
    },
  );

  it("treats equivalent forms as the same source in the diff (state that already holds the API's form)", () => {
    const olds = { ...site({ source: "https://example.com/" }), adopted: false };
    expect(provider.diff(olds, site())).toEqual(NO_CHANGE);
    expect(provider.diff(olds, site({ source: "https://example.com/docs" })).replaces).toEqual(["source"]);
    expect(provider.diff(olds, site({ source: "http://example.com" })).replaces).toEqual(["source"]);
    expect(provider.diff(olds, site({ source: "www.example.com" })).replaces).toEqual(["source"]);
  });

  it("still shows a source really changed out of band, so the next up replaces", async () => {
    const news = site();
    const { refreshed } = await createThenRefresh(news, answered({ source: "https://other.example/" }));
    expect(refreshed.props!.source).toBe("https://other.example/");
    expect(provider.diff(refreshed.props!, news).replaces).toEqual(["source"]);
  });

  it("an embedding model the API filled in for an undeclared one is no diff after refresh", async () => {
    const news = site();
    const { outs, refreshed } = await createThenRefresh(news, answered({ source: "example.com" }));
    expect(outs.embeddingModel).toBe("@cf/qwen/qwen3-embedding-0.6b");
    expect(provider.diff(refreshed.props!, news)).toEqual(NO_CHANGE);
  });

  it("adopts an instance whose source is the API's form of the declared one", async () => {
    const cf = mockCloudflare();
    reply(cf, "GET", AT, ok(answered()));
    reply(cf, "PUT", AT, ok(answered()));
    const { outs } = await provider.create(cf.ctx, site({ adopt: true }));
    expect(outs).toMatchObject({ adopted: true, source: "example.com" });
  });

  it("keeps an r2 bucket name exact: a bucket of another name is another source", async () => {
    const olds = { ...site({ type: "r2", source: "docs-bucket", tokenId: "t" }), adopted: false };
    expect(provider.diff(olds, site({ type: "r2", source: "docs-bucket2", tokenId: "t" })).replaces).toEqual([
      "source",
    ]);
  });
});
