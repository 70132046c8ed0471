// The client's paging loop against servers whose pages are smaller than asked for: it follows
// what each answer says it returned (result_info), never the per_page it sent.
import { ACCOUNT_ID, mockCloudflare, ok, v4 } from "../support/mockCloudflare";

const registration = (i: number) => ({ id: `r${i}`, name: `svc-${i}`, cf_api_id: "a".repeat(32) });
const path = v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens`);
const pageOf = (page: number) => ({ path: (p: string) => p.startsWith(path) && p.includes(`page=${page}&`) });

describe("paging", () => {
  it("reads on until an empty page when the server sends no result_info, whatever the page size", async () => {
    const m = mockCloudflare();
    m.pool.intercept({ ...pageOf(1), method: "GET" }).reply(200, ok([registration(1), registration(2)]));
    m.pool.intercept({ ...pageOf(2), method: "GET" }).reply(200, ok([registration(3)]));
    m.pool.intercept({ ...pageOf(3), method: "GET" }).reply(200, ok([]));
    const all = await m.ctx.management().aiSearchTokens.list(ACCOUNT_ID);
    expect(all.map((r) => r.id)).toEqual(["r1", "r2", "r3"]);
    expect(m.calls()).toHaveLength(3);
  });

  it("stops once the items read reach the total_count the server reports, not page * per_page", async () => {
    const m = mockCloudflare();
    const info = (page: number, count: number) => ({
      result_info: { page, per_page: 2, count, total_count: 3 },
    });
    m.pool
      .intercept({ ...pageOf(1), method: "GET" })
      .reply(200, ok([registration(1), registration(2)], info(1, 2)));
    m.pool.intercept({ ...pageOf(2), method: "GET" }).reply(200, ok([registration(3)], info(2, 1)));
    const all = await m.ctx.management().aiSearchTokens.list(ACCOUNT_ID);
    expect(all.map((r) => r.id)).toEqual(["r1", "r2", "r3"]);
    expect(m.calls()).toHaveLength(2);
  });
});
