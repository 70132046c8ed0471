// ServiceApiToken's lifecycle against undici's MockAgent: the request sequence of every path,
// including the failure paths, and that nothing secret reaches an error or a log line.
import { AuthenticationError, PermissionDeniedError, RateLimitError } from "../../provider/cloudflare";
import type { ServiceApiTokenInputs, ServiceApiTokenOutputs } from "../../provider/serviceApiToken/args";
import * as provider from "../../provider/serviceApiToken/provider";
import {
  ACCOUNT_ID,
  MANAGEMENT_TOKEN,
  fail,
  mockCloudflare,
  ok,
  SHORT_DELETE_BOUND,
  v4,
  type MockCloudflare,
} from "../support/mockCloudflare";

const MINTED_VALUE = "fake-minted-secret-value-for-tests-000000000001";
const ROLLED_VALUE = "fake-rolled-secret-value-for-tests-000000000002";
const INDEX_ENGINE = "9e9b428a0bcd46fd80e580b46a69963c";
const TOKEN_ID = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0";
const CF_API_ID = "ffffeeeeddddccccbbbbaaaa99998888";

const inputs = (extra: Partial<ServiceApiTokenInputs> = {}): ServiceApiTokenInputs => {
  const checked = provider.check({ accountId: ACCOUNT_ID, ...extra });
  expect(checked.failures).toEqual([]);
  return checked.inputs as ServiceApiTokenInputs;
};

const registration = (extra: Record<string, unknown> = {}) => ({
  id: TOKEN_ID,
  name: "AI Search Service API Token",
  cf_api_id: CF_API_ID,
  created_at: "2026-11-29 10:00:00",
  modified_at: "2026-11-29 10:00:00",
  enabled: true,
  legacy: false,
  ...extra,
});

function stubPermissionGroups(cf: MockCloudflare) {
  cf.pool.intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/permission_groups`), method: "GET" }).reply(
    200,
    ok([
      { id: INDEX_ENGINE, name: "AI Search Index Engine", scopes: ["com.cloudflare.api.account"] },
      {
        id: "bf7481a1826f439697cb59a20b22293e",
        name: "Workers R2 Storage Write",
        scopes: ["com.cloudflare.api.account"],
      },
    ]),
  );
}

function stubMint(cf: MockCloudflare) {
  cf.pool
    .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens`), method: "POST" })
    .reply(
      200,
      ok({ id: CF_API_ID, name: "AI Search Service API Token", status: "active", value: MINTED_VALUE }),
    );
}

async function created(cf: MockCloudflare): Promise<ServiceApiTokenOutputs> {
  stubPermissionGroups(cf);
  stubMint(cf);
  cf.pool
    .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens`), method: "POST" })
    .reply(201, ok(registration()));
  const { outs } = await provider.create(cf.ctx, inputs());
  return outs;
}

/** Nothing the test knows as secret appears in the text. */
/** Answers a GET of a paged list under `/accounts/{id}/ai-search/<suffix>` with `items`, once. */
function listAnswer(cf: MockCloudflare, suffix: string, items: unknown[], persist = false) {
  const path = v4(`/accounts/${ACCOUNT_ID}/ai-search/${suffix}`);
  const answer = cf.pool
    .intercept({ path: (p) => p.split("?")[0] === path, method: "GET" })
    .reply(
      200,
      ok(items, { result_info: { page: 1, per_page: 100, count: items.length, total_count: items.length } }),
    );
  if (persist) answer.persist();
}

/** The delete guard's lists (issue 10): no instance left in the account. */
function noInstancesLeft(cf: MockCloudflare) {
  listAnswer(cf, "namespaces/default/instances", []);
  listAnswer(cf, "namespaces", [{ name: "default" }]);
}

function expectNoSecret(text: string) {
  for (const secret of [MANAGEMENT_TOKEN, MINTED_VALUE, ROLLED_VALUE]) expect(text).not.toContain(secret);
}

describe("ServiceApiToken create", () => {
  it("resolves the permission group, mints an account token, registers it with legacy false", async () => {
    const cf = mockCloudflare();
    const outs = await created(cf);

    expect(cf.calls()).toEqual([
      `GET /accounts/${ACCOUNT_ID}/tokens/permission_groups`,
      `POST /accounts/${ACCOUNT_ID}/tokens`,
      `POST /accounts/${ACCOUNT_ID}/ai-search/tokens`,
    ]);
    const [, mintBody, registerBody] = cf.bodies();
    expect(mintBody).toEqual({
      // The marker check drew, kept in state: this resource's tokens are known by it.
      name: `AI Search Service API Token (pulumi ${outs.__mintMarker})`,
      policies: [
        {
          effect: "allow",
          resources: { [`com.cloudflare.api.account.${ACCOUNT_ID}`]: "*" },
          permission_groups: [{ id: INDEX_ENGINE }],
        },
      ],
    });
    expect(registerBody).toEqual({
      cf_api_id: CF_API_ID,
      cf_api_key: MINTED_VALUE,
      name: "AI Search Service API Token",
      legacy: false,
    });
    expect(cf.headers()[0]!.authorization).toBe(`Bearer ${MANAGEMENT_TOKEN}`);
    expect(outs).toMatchObject({
      tokenId: TOKEN_ID,
      cfApiId: CF_API_ID,
      value: MINTED_VALUE,
      minted: true,
      adopted: false,
      owner: "account",
      permissionGroupIds: [INDEX_ENGINE],
      underlyingTokenStatus: "active",
      createdAt: "2026-11-29 10:00:00",
    });
  });

  it("mints a user token at /user/tokens when owner is user", async () => {
    const cf = mockCloudflare();
    cf.pool
      .intercept({ path: v4("/user/tokens/permission_groups"), method: "GET" })
      .reply(
        200,
        ok([{ id: INDEX_ENGINE, name: "AI Search Index Engine", scopes: ["com.cloudflare.api.account"] }]),
      );
    cf.pool
      .intercept({ path: v4("/user/tokens"), method: "POST" })
      .reply(200, ok({ id: CF_API_ID, name: "n", status: "active", value: MINTED_VALUE }));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens`), method: "POST" })
      .reply(201, ok(registration()));
    const { outs } = await provider.create(cf.ctx, inputs({ owner: "user" }));
    expect(cf.calls()[1]).toBe("POST /user/tokens");
    expect(outs.owner).toBe("user");
  });

  it("retries 7012 while the new token propagates, then succeeds", async () => {
    const cf = mockCloudflare();
    stubPermissionGroups(cf);
    stubMint(cf);
    const path = v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens`);
    cf.pool
      .intercept({ path, method: "POST" })
      .reply(400, fail(7012, "ai_search_instance_invalid_token"))
      .times(2);
    cf.pool.intercept({ path, method: "POST" }).reply(201, ok(registration()));

    const { id } = await provider.create(cf.ctx, inputs());
    expect(id).toBe(TOKEN_ID);
    expect(cf.calls().filter((c) => c.endsWith("/ai-search/tokens"))).toHaveLength(3);
    expect(cf.logs.join("\n")).toContain("7012");
    expectNoSecret(cf.logs.join("\n"));
  });

  it("revokes the minted token when registration fails for good, and says so", async () => {
    const cf = mockCloudflare();
    stubPermissionGroups(cf);
    stubMint(cf);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens`), method: "POST" })
      .reply(400, fail(7012, "ai_search_instance_invalid_token"))
      .times(4);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`), method: "DELETE" })
      .reply(200, ok({ id: CF_API_ID }));

    const err = await provider.create(cf.ctx, inputs()).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain("rejected API token");
    expect((err as Error).message).toContain(`(${CF_API_ID}) was revoked`);
    expect(cf.calls().at(-1)).toBe(`DELETE /accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`);
    expectNoSecret((err as Error).message);
  });

  it("revokes the minted token when registration hits another error (403)", async () => {
    const cf = mockCloudflare();
    stubPermissionGroups(cf);
    stubMint(cf);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens`), method: "POST" })
      .reply(403, fail(9109, "Unauthorized to access requested resource"));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`), method: "DELETE" })
      .reply(200, ok({ id: CF_API_ID }));

    const err = (await provider.create(cf.ctx, inputs()).catch((e: Error) => e)) as Error;
    expect(err.message).toContain('lacks the permission "AI Search Edit');
    expect(err.message).toContain("config cloudflare:apiToken");
    expect(err.message).toContain("was revoked");
  });

  it("registers an existing API token without minting, and never revokes it", async () => {
    const cf = mockCloudflare();
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens`), method: "POST" })
      .reply(201, ok(registration()));
    const { outs } = await provider.create(
      cf.ctx,
      inputs({ existingApiToken: { id: CF_API_ID, value: MINTED_VALUE } }),
    );
    expect(cf.calls()).toEqual([`POST /accounts/${ACCOUNT_ID}/ai-search/tokens`]);
    expect(outs.minted).toBe(false);

    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "DELETE" })
      .reply(200, ok(null));
    noInstancesLeft(cf);
    await provider.remove(cf.ctx, TOKEN_ID, outs);
    expect(cf.calls().at(-1)).toBe(`DELETE /accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`);
  });

  it("names the credential when the minting credential is refused (401)", async () => {
    const cf = mockCloudflare({
      tokenMintingApiToken: {
        value: "minting-cred-test-0001",
        source: "config cloudflare-ai-search:tokenMintingApiToken",
      },
    });
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/permission_groups`), method: "GET" })
      .reply(401, fail(10000, "Authentication error"));
    const err = (await provider.create(cf.ctx, inputs()).catch((e: Error) => e)) as Error;
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toContain("config cloudflare-ai-search:tokenMintingApiToken was not accepted");
    expect(err.message).not.toContain("minting-cred-test-0001");
  });

  it("names the missing permission when minting is forbidden (403)", async () => {
    const cf = mockCloudflare();
    stubPermissionGroups(cf);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens`), method: "POST" })
      .reply(403, fail(9109, "Unauthorized to access requested resource"));
    const err = (await provider.create(cf.ctx, inputs()).catch((e: Error) => e)) as Error;
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err.message).toContain('lacks the permission "Account API Tokens Write"');
    expect(cf.calls()).toHaveLength(2);
  });

  it("fails with the names it could not resolve, before minting anything", async () => {
    const cf = mockCloudflare();
    stubPermissionGroups(cf);
    const err = (await provider
      .create(cf.ctx, inputs({ permissionGroups: ["AI Search Index Engine", "Workers R2 Storage Writ"] }))
      .catch((e: Error) => e)) as Error;
    expect(err.message).toContain('no account permission group named "Workers R2 Storage Writ"');
    expect(err.message).toContain('"Workers R2 Storage Write"');
    expect(cf.calls()).toHaveLength(1);
  });

  it("waits out a 429 with Retry-After, then goes on", async () => {
    const cf = mockCloudflare();
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/permission_groups`), method: "GET" })
      .reply(429, fail(971, "Please wait and consider throttling your request speed"), {
        headers: { "retry-after": "1" },
      });
    stubPermissionGroups(cf);
    stubMint(cf);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens`), method: "POST" })
      .reply(201, ok(registration()));
    const { id } = await provider.create(cf.ctx, inputs());
    expect(id).toBe(TOKEN_ID);
    expect(cf.calls()[0]).toBe(cf.calls()[1]);
  });

  it("gives up on a Retry-After longer than it will wait, with a RateLimitError", async () => {
    const cf = mockCloudflare();
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/permission_groups`), method: "GET" })
      .reply(429, fail(971, "rate limited"), { headers: { "retry-after": "300" } });
    const err = await provider.create(cf.ctx, inputs()).catch((e: Error) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterSeconds).toBe(300);
  });
});

describe("ServiceApiToken adopt", () => {
  it("adopts by exact name across pages and never deletes it", async () => {
    const cf = mockCloudflare();
    const path = v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens`);
    const first = Array.from({ length: 100 }, (_, i) => registration({ id: `id-${i}`, name: `other ${i}` }));
    cf.pool
      .intercept({ path: (p) => p.startsWith(path) && p.includes("page=1&"), method: "GET" })
      .reply(200, ok(first, { result_info: { page: 1, per_page: 100, count: 100, total_count: 101 } }));
    cf.pool.intercept({ path: (p) => p.startsWith(path) && p.includes("page=2&"), method: "GET" }).reply(
      200,
      ok([registration({ name: "shared" })], {
        result_info: { page: 2, per_page: 100, count: 1, total_count: 101 },
      }),
    );
    const { id, outs } = await provider.create(
      cf.ctx,
      inputs({ adopt: { name: "shared", deleteOnDestroy: false } }),
    );
    expect(id).toBe(TOKEN_ID);
    expect(outs).toMatchObject({ adopted: true, minted: false, name: "shared" });
    expect(outs.value).toBeUndefined();

    await provider.remove(cf.ctx, id, outs);
    expect(cf.calls()).toHaveLength(2);
  });

  it("refuses an ambiguous name, listing the ids", async () => {
    const cf = mockCloudflare();
    cf.pool
      .intercept({ path: (p) => p.startsWith(v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens`)), method: "GET" })
      .reply(
        200,
        ok([registration({ id: "a" }), registration({ id: "b" })], { result_info: { total_count: 2 } }),
      );
    const err = (await provider
      .create(cf.ctx, inputs({ adopt: { name: "AI Search Service API Token", deleteOnDestroy: false } }))
      .catch((e: Error) => e)) as Error;
    expect(err.message).toContain("ids a, b");
  });

  it("says so when the adopted id does not exist", async () => {
    const cf = mockCloudflare();
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/nope`), method: "GET" })
      .reply(404, fail(7075, "token_not_found"));
    const err = (await provider
      .create(cf.ctx, inputs({ adopt: { id: "nope", deleteOnDestroy: false } }))
      .catch((e: Error) => e)) as Error;
    expect(err.message).toContain("adopt.id: no AI Search token nope");
  });
});

describe("ServiceApiToken read", () => {
  it("keeps a vanished registration whose token it minted in state, marked, and revokes nothing", async () => {
    const cf = mockCloudflare();
    const outs = await created(cf);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "GET" })
      .reply(404, fail(7075, "token_not_found"));
    const refreshed = await provider.read(cf.ctx, TOKEN_ID, outs);
    expect(refreshed).toMatchObject({
      id: TOKEN_ID,
      props: { registrationMissing: true, cfApiId: CF_API_ID },
    });
    expect(cf.calls().at(-1)).toBe(`GET /accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`);
    expect(cf.logs.join("\n")).toContain(`the API token ${CF_API_ID} minted for it is still live`);
  });

  it("reports a revoked underlying token as drift that the next update repairs in place", async () => {
    const cf = mockCloudflare();
    const outs = await created(cf);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "GET" })
      .reply(200, ok(registration({ name: "renamed elsewhere" })));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`), method: "GET" })
      .reply(404, fail(1003, "Invalid token id"));
    const refreshed = await provider.read(cf.ctx, TOKEN_ID, outs);
    expect(refreshed.id).toBe(TOKEN_ID);
    expect(refreshed.props).toMatchObject({
      underlyingTokenStatus: "missing",
      name: "renamed elsewhere",
      value: MINTED_VALUE,
    });
    expect(refreshed.inputs).toEqual({
      accountId: ACCOUNT_ID,
      name: "renamed elsewhere",
      owner: "account",
      permissionGroups: ["AI Search Index Engine"],
      __mintMarker: outs.__mintMarker,
    });

    const d = provider.diff(refreshed.props!, inputs());
    expect(d).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });

    // The repair: a fresh token, the same registration id, the old token revoked.
    stubPermissionGroups(cf);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens`), method: "POST" })
      .reply(200, ok({ id: "newtokenid", name: "n", status: "active", value: ROLLED_VALUE }));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "PUT" })
      .reply(200, ok(registration({ cf_api_id: "newtokenid" })));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`), method: "DELETE" })
      .reply(404, fail(1003, "gone"));
    // The fresh token already has the name (the registration's follows it): no rename needed.
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/newtokenid`), method: "GET" })
      .reply(200, ok({ id: "newtokenid", name: "AI Search Service API Token", status: "active" }));
    const repaired = await provider.update(cf.ctx, TOKEN_ID, refreshed.props!, inputs());
    expect(repaired).toMatchObject({
      tokenId: TOKEN_ID,
      cfApiId: "newtokenid",
      value: ROLLED_VALUE,
      underlyingTokenStatus: "active",
    });
    expect(cf.calls().at(-1)).toBe(`GET /accounts/${ACCOUNT_ID}/tokens/newtokenid`);
    expect(cf.bodies().at(-3)).toEqual({
      cf_api_id: "newtokenid",
      cf_api_key: ROLLED_VALUE,
      name: "AI Search Service API Token",
      legacy: false,
    });
  });

  it("reports the underlying status as unknown when the credential may not read tokens", async () => {
    const cf = mockCloudflare();
    const outs = await created(cf);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "GET" })
      .reply(200, ok(registration()));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`), method: "GET" })
      .reply(403, fail(9109, "Unauthorized to access requested resource"));
    const refreshed = await provider.read(cf.ctx, TOKEN_ID, outs);
    expect(refreshed.props?.underlyingTokenStatus).toBe("unknown");
    expect(provider.diff(refreshed.props!, inputs()).changes).toBe(false);
    expect(cf.logs.join("\n")).toContain(`Cannot check the status of API token ${CF_API_ID}`);
  });

  it("explains a 401 on read as a possible legacy registration", async () => {
    const cf = mockCloudflare();
    const outs = await created(cf);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "GET" })
      .reply(401, fail(10000, "Authentication error"));
    const err = (await provider.read(cf.ctx, TOKEN_ID, outs).catch((e: Error) => e)) as Error;
    expect(err.message).toContain("legacy registration");
  });
});

describe("ServiceApiToken update", () => {
  it("records deleteWhileInstancesRemain in state without calling the API, and clears it when removed", async () => {
    const cf = mockCloudflare();
    const outs = await created(cf);
    const before = cf.calls().length;
    const optedIn = await provider.update(
      cf.ctx,
      TOKEN_ID,
      outs,
      inputs({ deleteWhileInstancesRemain: true }),
    );
    expect(optedIn).toMatchObject({
      deleteWhileInstancesRemain: true,
      tokenId: TOKEN_ID,
      value: MINTED_VALUE,
    });
    const optedOut = await provider.update(cf.ctx, TOKEN_ID, optedIn, inputs());
    expect(optedOut.deleteWhileInstancesRemain).toBeUndefined();
    expect(cf.calls()).toHaveLength(before);
  });

  it("renames in place with a full-body PUT", async () => {
    const cf = mockCloudflare();
    const outs = await created(cf);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "PUT" })
      .reply(200, ok(registration({ name: "new name" })));
    // The minted API token follows: read, then a full-body PUT with its policies unchanged.
    const policies = [
      {
        effect: "allow",
        resources: { [`com.cloudflare.api.account.${ACCOUNT_ID}`]: "*" },
        permission_groups: [{ id: INDEX_ENGINE }],
      },
    ];
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`), method: "GET" })
      .reply(200, ok({ id: CF_API_ID, name: "AI Search Service API Token", status: "active", policies }));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`), method: "PUT" })
      .reply(200, ok({ id: CF_API_ID, name: "new name", status: "active", policies }));
    // The marker in state, as check keeps it.
    const news = { ...inputs({ name: "new name" }), __mintMarker: outs.__mintMarker };
    const next = await provider.update(cf.ctx, TOKEN_ID, outs, news);
    expect(next).toMatchObject({ tokenId: TOKEN_ID, name: "new name", value: MINTED_VALUE });
    expect(cf.bodies().slice(-3)).toEqual([
      { cf_api_id: CF_API_ID, cf_api_key: MINTED_VALUE, name: "new name", legacy: false },
      undefined,
      { name: `new name (pulumi ${outs.__mintMarker})`, policies },
    ]);
    expect(cf.logs).toEqual([]);
  });

  it("rotates: rolls the secret, PUTs it, keeps the token id", async () => {
    const cf = mockCloudflare();
    const outs = await created(cf);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}/value`), method: "PUT" })
      .reply(200, ok(ROLLED_VALUE));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "PUT" })
      .reply(400, fail(7012, "invalid token"));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "PUT" })
      .reply(200, ok(registration()));
    const next = await provider.update(cf.ctx, TOKEN_ID, outs, inputs({ rotationTrigger: "2026-12" }));
    expect(next).toMatchObject({
      tokenId: TOKEN_ID,
      cfApiId: CF_API_ID,
      value: ROLLED_VALUE,
      rotationTrigger: "2026-12",
    });
    expect(cf.calls().slice(3)).toEqual([
      `PUT /accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}/value`,
      `PUT /accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`,
      `PUT /accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`,
    ]);
  });

  it("keeps a rolled secret in state when AI Search will not take it, and registers it next time", async () => {
    const cf = mockCloudflare();
    const outs = await created(cf);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}/value`), method: "PUT" })
      .reply(200, ok(ROLLED_VALUE));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "PUT" })
      .reply(503, fail(7017, "unable_to_connect_to_ai_search"))
      .times(5);
    const err = await provider
      .update(cf.ctx, TOKEN_ID, outs, inputs({ rotationTrigger: 2 }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(provider.PartialUpdateError);
    const partial = err as provider.PartialUpdateError;
    expect(partial.id).toBe(TOKEN_ID);
    expect(partial.properties).toMatchObject({
      value: ROLLED_VALUE,
      registrationStale: true,
      rotationTrigger: 2,
    });
    expectNoSecret(partial.message);

    const stale = partial.properties as ServiceApiTokenOutputs;
    expect(provider.diff(stale, inputs({ rotationTrigger: 2 })).changes).toBe(true);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "PUT" })
      .reply(200, ok(registration()));
    const next = await provider.update(cf.ctx, TOKEN_ID, stale, inputs({ rotationTrigger: 2 }));
    expect(next.registrationStale).toBeUndefined();
    expect(cf.calls().filter((c) => c.endsWith("/value"))).toHaveLength(1);
    expect(cf.bodies().at(-1)).toMatchObject({ cf_api_key: ROLLED_VALUE });
  });
});

describe("ServiceApiToken delete", () => {
  it("waits while the token is in use (7076), then deletes it and revokes the minted token", async () => {
    // A bound far above the two polls, so a loaded machine cannot make this test time out.
    const cf = mockCloudflare({
      wait: { propagationRetries: 3, propagationRetryDelayMs: 1, deleteTimeoutMs: 10_000, pollIntervalMs: 5 },
    });
    const outs = await created(cf);
    const path = v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`);
    cf.pool
      .intercept({ path, method: "DELETE" })
      .reply(409, fail(7076, "token_in_use_by_instances"))
      .times(2);
    cf.pool.intercept({ path, method: "DELETE" }).reply(200, ok(null));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`), method: "DELETE" })
      .reply(200, ok({ id: CF_API_ID }));
    noInstancesLeft(cf);
    await provider.remove(cf.ctx, TOKEN_ID, outs);
    const calls = cf.calls().slice(3);
    // The guard's two lists go out side by side (either may be sent first), then the deletes in order.
    expect(calls.slice(0, 2).sort()).toEqual([
      `GET /accounts/${ACCOUNT_ID}/ai-search/namespaces`,
      `GET /accounts/${ACCOUNT_ID}/ai-search/namespaces/default/instances`,
    ]);
    expect(calls.slice(2)).toEqual([
      `DELETE /accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`,
      `DELETE /accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`,
      `DELETE /accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`,
      `DELETE /accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`,
    ]);
  });

  it("fails after the bound with a message that says why, and keeps the minted token", async () => {
    const cf = mockCloudflare(SHORT_DELETE_BOUND);
    const outs = await created(cf);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "DELETE" })
      .reply(409, fail(7076, "token_in_use_by_instances"))
      .persist();
    noInstancesLeft(cf);
    const err = (await provider.remove(cf.ctx, TOKEN_ID, outs).catch((e: Error) => e)) as Error;
    expect(err.message).toContain("still in use by AI Search instances (7076)");
    expect(cf.calls().some((c) => c === `DELETE /accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`)).toBe(false);
  });

  it("treats not-found as done, for the registration and for the token", async () => {
    const cf = mockCloudflare();
    const outs = await created(cf);
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "DELETE" })
      .reply(404, fail(7075, "token_not_found"));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`), method: "DELETE" })
      .reply(404, fail(1003, "gone"));
    noInstancesLeft(cf);
    await expect(provider.remove(cf.ctx, TOKEN_ID, outs)).resolves.toBeUndefined();
  });

  it("deletes an adopted registration only when asked", async () => {
    const cf = mockCloudflare();
    const outs: ServiceApiTokenOutputs = {
      ...(await created(cf)),
      adopted: true,
      minted: false,
      adopt: { id: TOKEN_ID, deleteOnDestroy: true },
    };
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "DELETE" })
      .reply(200, ok(null));
    noInstancesLeft(cf);
    await provider.remove(cf.ctx, TOKEN_ID, outs);
    expect(cf.calls().at(-1)).toBe(`DELETE /accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`);
  });

  it("lists every namespace the API lists, and refuses while an instance in one may rely on the token", async () => {
    // The guard lists again until the bound has passed (the instance stays): a short bound.
    const cf = mockCloudflare(SHORT_DELETE_BOUND);
    const outs = await created(cf);
    listAnswer(
      cf,
      "namespaces/default/instances",
      [{ id: "named-elsewhere", namespace: "default", token_id: "another-token" }],
      true,
    );
    listAnswer(cf, "namespaces", [{ name: "default" }, { name: "team" }], true);
    listAnswer(
      cf,
      "namespaces/team/instances",
      [{ id: "wiki", type: "web-crawler", status: "waiting" }],
      true,
    );
    listAnswer(cf, "tokens", [registration()], true);
    const err = (await provider.remove(cf.ctx, TOKEN_ID, outs).catch((e: Error) => e)) as Error;
    expect(err.message).toContain("team/wiki (web-crawler): names no token, and this is the account's only");
    expect(err.message).not.toContain("named-elsewhere");
    // Nothing was deleted or revoked.
    expect(cf.calls().filter((c) => c.startsWith("DELETE"))).toEqual([]);
  });

  it("goes on when a listed namespace is gone by the time its instances are listed (7063)", async () => {
    // A destroy deletes namespaces and the token in parallel (neither depends on the other).
    const cf = mockCloudflare();
    const outs = await created(cf);
    listAnswer(cf, "namespaces/default/instances", []);
    listAnswer(cf, "namespaces", [{ name: "default" }, { name: "team" }]);
    cf.pool
      .intercept({
        path: (p) => p.startsWith(v4(`/accounts/${ACCOUNT_ID}/ai-search/namespaces/team/instances`)),
        method: "GET",
      })
      .reply(404, fail(7063, "namespace_not_found"));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "DELETE" })
      .reply(200, ok(null));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`), method: "DELETE" })
      .reply(200, ok({ id: CF_API_ID }));
    await provider.remove(cf.ctx, TOKEN_ID, outs);
    expect(cf.calls().filter((c) => c.startsWith("DELETE"))).toEqual([
      `DELETE /accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`,
      `DELETE /accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`,
    ]);
  });

  it("goes on when the namespaces list does not answer, with the default namespace's list checked", async () => {
    const cf = mockCloudflare();
    const outs = await created(cf);
    listAnswer(cf, "namespaces/default/instances", []);
    cf.pool
      .intercept({
        path: (p) => p.startsWith(v4(`/accounts/${ACCOUNT_ID}/ai-search/namespaces`)),
        method: "GET",
      })
      .reply(404, fail(7000, "No route for that URI"));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/ai-search/tokens/${TOKEN_ID}`), method: "DELETE" })
      .reply(200, ok(null));
    cf.pool
      .intercept({ path: v4(`/accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`), method: "DELETE" })
      .reply(200, ok({ id: CF_API_ID }));
    await provider.remove(cf.ctx, TOKEN_ID, outs);
    expect(cf.logs.join("\n")).toContain("Could not list AI Search namespaces");
    expect(cf.calls().at(-1)).toBe(`DELETE /accounts/${ACCOUNT_ID}/tokens/${CF_API_ID}`);
  });
});
