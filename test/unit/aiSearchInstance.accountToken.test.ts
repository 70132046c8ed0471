// An instance without tokenId relies on the account's registered service token: create checks
// that there is one (GET …/ai-search/tokens) and otherwise fails before the create is sent, with
// the ServiceApiToken line that fixes it. Against undici's MockAgent.
import type { AiSearchInstanceInputs } from "../../provider/aiSearchInstance/args";
import * as provider from "../../provider/aiSearchInstance/provider";
import { ACCOUNT_ID, mockCloudflare, ok, v4, type MockCloudflare } from "../support/mockCloudflare";

const INSTANCES = `/accounts/${ACCOUNT_ID}/ai-search/namespaces/default/instances`;
const TOKENS = `/accounts/${ACCOUNT_ID}/ai-search/tokens`;

const REGISTERED = {
  id: "62af0db3-c410-40b2-9ee3-0e93f6dd1de0",
  name: "AI Search Service API Token",
  cf_api_id: "0123456789abcdef0123456789abcdef",
  created_at: "2026-11-29 10:00:00",
  modified_at: "2026-11-29 10:00:00",
};

function inputs(extra: Record<string, unknown>): AiSearchInstanceInputs {
  const checked = provider.check({ accountId: ACCOUNT_ID, instanceId: "docs", ...extra });
  expect(checked.failures).toEqual([]);
  return checked.inputs as AiSearchInstanceInputs;
}

function registered(cf: MockCloudflare, list: object[]) {
  cf.pool
    .intercept({ path: (p) => p.startsWith(v4(TOKENS)), method: "GET" })
    .reply(
      200,
      ok(list, { result_info: { page: 1, per_page: 100, count: list.length, total_count: list.length } }),
    );
}

const withoutToken: [string, Record<string, unknown>][] = [
  ["a web crawler", { type: "web-crawler", source: "example.com" }],
  ["built-in storage", {}],
];

describe("AiSearchInstance create without tokenId", () => {
  it.each(withoutToken)(
    "%s on an account with no registered token fails before the create, naming ServiceApiToken",
    async (_what, extra) => {
      const cf = mockCloudflare();
      registered(cf, []);
      const err = (await provider.create(cf.ctx, inputs(extra)).catch((e: Error) => e)) as Error;
      expect(cf.calls()).toEqual([`GET ${TOKENS}`]);
      expect(err.message).toContain('"docs" declares no tokenId');
      expect(err.message).toContain("no registered AI Search service token");
      expect(err.message).toContain("nothing was created");
      expect(err.message).toContain('new ServiceApiToken("ai-search-token", { accountId })');
      expect(err.message).toContain("tokenId: serviceToken.id");
    },
  );

  it.each(withoutToken)(
    "%s on an account with a registered token is created, using it",
    async (_what, extra) => {
      const cf = mockCloudflare();
      registered(cf, [REGISTERED]);
      cf.pool
        .intercept({ path: v4(INSTANCES), method: "POST" })
        .reply(200, ok({ id: "docs", status: "waiting" }));
      const { id } = await provider.create(cf.ctx, inputs(extra));
      expect(id).toBe("docs");
      expect(cf.calls()).toEqual([`GET ${TOKENS}`, `POST ${INSTANCES}`]);
      expect(cf.bodies()[1]).not.toHaveProperty("token_id");
    },
  );

  it("does not look when the program names the token (any type)", async () => {
    const cf = mockCloudflare();
    cf.pool
      .intercept({ path: v4(INSTANCES), method: "POST" })
      .reply(200, ok({ id: "docs", status: "waiting" }));
    await provider.create(
      cf.ctx,
      inputs({ type: "web-crawler", source: "example.com", tokenId: REGISTERED.id }),
    );
    expect(cf.calls()).toEqual([`POST ${INSTANCES}`]);
    expect(cf.bodies()[0]).toMatchObject({ token_id: REGISTERED.id });
  });
});
