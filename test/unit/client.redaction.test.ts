// Error text from the Cloudflare client never carries a secret: neither the bearer credential nor
// any secret value the request itself carried (a registration's cf_api_key), even when the API's
// answer echoes it.
import { AiSearchTokens } from "../../provider/cloudflare";
import { secretValuesOf } from "../../provider/cloudflare/client";
import { ACCOUNT_ID, MANAGEMENT_TOKEN, mockCloudflare, v4 } from "../support/mockCloudflare";

const SERVICE_KEY = "fake-service-key-value-for-redaction-test-0001";

describe("client error redaction", () => {
  it("redacts the cf_api_key a request carried when the answer's error message echoes it", async () => {
    const cf = mockCloudflare();
    cf.pool.intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens`), method: "POST" }).reply(400, {
      success: false,
      errors: [
        { code: 7012, message: `invalid cf_api_key ${SERVICE_KEY} for token; bearer ${MANAGEMENT_TOKEN}` },
      ],
      messages: [],
      result: null,
    });
    const tokens = new AiSearchTokens(cf.ctx.management().client);
    const err = (await tokens
      .create(ACCOUNT_ID, { cf_api_id: "cfid", cf_api_key: SERVICE_KEY, name: "n", legacy: false })
      .catch((e: Error) => e)) as Error;
    expect(err.message).toContain("7012 invalid cf_api_key [redacted] for token; bearer [redacted]");
    expect(err.message).not.toContain(SERVICE_KEY);
    expect(err.message).not.toContain(MANAGEMENT_TOKEN);
  });

  it("finds secret fields anywhere in a body, and leaves ids, names and short values alone", () => {
    expect(
      secretValuesOf({
        cf_api_id: "ffffeeeeddddccccbbbbaaaa99998888",
        cf_api_key: SERVICE_KEY,
        name: "a long enough registration name",
        nested: [{ value: "another-secret-value-000002" }, { value: "on" }],
      }),
    ).toEqual([SERVICE_KEY, "another-secret-value-000002"]);
    expect(secretValuesOf(undefined)).toEqual([]);
  });
});
