// Contract of the user and account API token routes over raw HTTP: create, list, get, update,
// delete, verify, roll, permission groups, authentication and permission errors.
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return -- raw JSON answers */
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { accountPolicy, admin, call, G, mintUserToken, userPolicy } from "./helpers";

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const acct = () => `/accounts/${emu.accountId}`;

describe("user tokens", () => {
  it("creates a token and returns its cfut_ secret once, with policy ids and group names", async () => {
    const r = await call(emu, "POST", "/user/tokens", {
      body: {
        name: "AI Search Service API Token",
        policies: [accountPolicy(emu.accountId, [G.aiSearchIndexEngine, G.r2StorageWrite])],
      },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ success: true, errors: [], messages: [] });
    const t = r.json.result;
    expect(t.id).toMatch(/^[0-9a-f]{32}$/);
    expect(t.value).toMatch(/^cfut_[A-Za-z0-9]{46}$/);
    expect(t).toMatchObject({ name: "AI Search Service API Token", status: "active", last_used_on: null });
    expect(t.issued_on).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(t.policies[0].id).toMatch(/^[0-9a-f]{32}$/);
    expect(t.policies[0].permission_groups).toEqual([
      { id: G.aiSearchIndexEngine, name: "AI Search Index Engine" },
      { id: G.r2StorageWrite, name: "Workers R2 Storage Write" },
    ]);

    const got = await call(emu, "GET", `/user/tokens/${t.id}`);
    expect(got.status).toBe(200);
    expect(got.json.result.id).toBe(t.id);
    expect(got.json.result).not.toHaveProperty("value");
    expect(got.text).not.toContain(t.value);
  });

  it("lists with paging and direction, an empty page past the end", async () => {
    for (const n of ["a", "b", "c"]) await mintUserToken(emu, [G.aiSearchIndexEngine], n);
    const p1 = await call(emu, "GET", "/user/tokens?per_page=2&page=1");
    expect(p1.json.result.map((t: { name: string }) => t.name)).toEqual(["Emulator bootstrap token", "a"]);
    expect(p1.json.result_info).toEqual({ page: 1, per_page: 2, count: 2, total_count: 4, total_pages: 2 });
    const desc = await call(emu, "GET", "/user/tokens?direction=desc&per_page=2");
    expect(desc.json.result.map((t: { name: string }) => t.name)).toEqual(["c", "b"]);
    const past = await call(emu, "GET", "/user/tokens?page=9");
    expect(past.json.result).toEqual([]);
    expect(past.json.result_info.count).toBe(0);
    for (const t of p1.json.result) expect(t).not.toHaveProperty("value");
    const bad = await call(emu, "GET", "/user/tokens?per_page=0");
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0]).toMatchObject({ code: 1001, path: ["per_page"] });
  });

  it("updates with a full body, deletes with result {id}", async () => {
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    const put = await call(emu, "PUT", `/user/tokens/${t.id}`, {
      body: {
        name: "renamed",
        policies: [accountPolicy(emu.accountId, [G.r2StorageRead])],
        status: "disabled",
      },
    });
    expect(put.status).toBe(200);
    expect(put.json.result).toMatchObject({ id: t.id, name: "renamed", status: "disabled" });
    expect(put.json.result.policies[0].permission_groups).toEqual([
      { id: G.r2StorageRead, name: "Workers R2 Storage Read" },
    ]);
    const partial = await call(emu, "PUT", `/user/tokens/${t.id}`, { body: { name: "x" } });
    expect(partial.status).toBe(400);
    expect(partial.json.errors[0].path).toEqual(["policies"]);

    const del = await call(emu, "DELETE", `/user/tokens/${t.id}`);
    expect(del.json).toMatchObject({ success: true, result: { id: t.id } });
    const gone = await call(emu, "GET", `/user/tokens/${t.id}`);
    expect(gone.status).toBe(404);
    expect(gone.json.errors).toEqual([
      {
        code: 7003,
        message: `Could not route to /client/v4/user/tokens/${t.id}, perhaps your object identifier is invalid?`,
      },
      { code: 7000, message: "No route for that URI" },
    ]);
  });

  it("rolls the secret: the new value works, the old one stops at once", async () => {
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    const self = await call(emu, "POST", "/user/tokens", {
      body: { name: "roller", policies: [userPolicy(emu.userId, [G.apiTokensWrite])] },
    });
    const roller = self.json.result.value as string;
    const r = await call(emu, "PUT", `/user/tokens/${t.id}/value`, { token: roller, body: {} });
    expect(r.status).toBe(200);
    expect(typeof r.json.result).toBe("string");
    expect(r.json.result).toMatch(/^cfut_/);
    expect(r.json.result).not.toBe(t.value);
    expect((await call(emu, "GET", "/user/tokens/verify", { token: t.value })).status).toBe(401);
    expect((await call(emu, "GET", "/user/tokens/verify", { token: r.json.result })).status).toBe(200);
    // An empty body is accepted too (the SDK sends none); a non-empty one is not.
    expect((await call(emu, "PUT", `/user/tokens/${t.id}/value`)).status).toBe(200);
    const bad = await call(emu, "PUT", `/user/tokens/${t.id}/value`, { body: { value: "mine" } });
    expect(bad.status).toBe(400);
  });

  it("verify: 200 with the 'valid and active' message; 1000 for bad tokens and account tokens", async () => {
    const ok = await call(emu, "GET", "/user/tokens/verify");
    expect(ok.status).toBe(200);
    expect(ok.json.result).toEqual({ id: emu.bootstrapTokenId, status: "active" });
    expect(ok.json.messages[0]).toMatchObject({ code: 10000, message: "This API Token is valid and active" });

    const unknown = await call(emu, "GET", "/user/tokens/verify", { token: "nope" });
    expect(unknown.status).toBe(401);
    expect(unknown.json).toEqual({
      success: false,
      errors: [{ code: 1000, message: "Invalid API Token" }],
      messages: [],
      result: null,
    });

    const acctTok = await call(emu, "POST", `${acct()}/tokens`, {
      body: { name: "acct", policies: [accountPolicy(emu.accountId, [G.aiSearchIndexEngine])] },
    });
    const value = acctTok.json.result.value as string;
    expect(value).toMatch(/^cfat_/);
    expect((await call(emu, "GET", "/user/tokens/verify", { token: value })).json.errors[0].code).toBe(1000);
    const av = await call(emu, "GET", `${acct()}/tokens/verify`, { token: value });
    expect(av.status).toBe(200);
    expect(av.json.result.id).toBe(acctTok.json.result.id);
    // A user token at the account verify endpoint: 1000 as well.
    expect((await call(emu, "GET", `${acct()}/tokens/verify`)).json.errors[0].code).toBe(1000);

    const disabled = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    emu.setTokenStatus(disabled.id, "disabled");
    expect((await call(emu, "GET", "/user/tokens/verify", { token: disabled.value })).status).toBe(401);
  });

  it("treats a token past expires_on as expired, and hides it from lists unless include_expired", async () => {
    const r = await call(emu, "POST", "/user/tokens", {
      body: {
        name: "old",
        expires_on: "2020-01-01T00:00:00Z",
        policies: [accountPolicy(emu.accountId, [G.aiSearchIndexEngine])],
      },
    });
    expect(r.json.result.status).toBe("expired");
    expect((await call(emu, "GET", "/user/tokens/verify", { token: r.json.result.value })).status).toBe(401);
    const names = async (q: string) =>
      (await call(emu, "GET", `/user/tokens${q}`)).json.result.map((t: { name: string }) => t.name);
    expect(await names("")).not.toContain("old");
    expect(await names("?include_expired=true")).toContain("old");
  });

  it("rejects unknown fields, unknown groups, foreign accounts and mismatched scopes with 400 and a path", async () => {
    const extra = await call(emu, "POST", "/user/tokens", {
      body: { name: "x", policies: [accountPolicy(emu.accountId, [G.aiSearchIndexEngine])], value: "mine" },
    });
    expect(extra.status).toBe(400);
    expect(extra.json.errors[0].code).toBe(1001);
    const unknownGroup = await call(emu, "POST", "/user/tokens", {
      body: { name: "x", policies: [accountPolicy(emu.accountId, ["0".repeat(32)])] },
    });
    expect(unknownGroup.status).toBe(400);
    expect(unknownGroup.json.errors[0].path).toEqual(["policies", 0, "permission_groups", 0, "id"]);
    const foreign = await call(emu, "POST", "/user/tokens", {
      body: { name: "x", policies: [accountPolicy("f".repeat(32), [G.aiSearchIndexEngine])] },
    });
    expect(foreign.status).toBe(400);
    const scope = await call(emu, "POST", "/user/tokens", {
      body: { name: "x", policies: [accountPolicy(emu.accountId, [G.apiTokensWrite])] },
    });
    expect(scope.status).toBe(400);
    const types = await call(emu, "POST", "/user/tokens", { body: { name: 5, policies: "all" } });
    expect(types.status).toBe(400);
    expect(types.json.errors.map((e: { path: unknown[] }) => e.path)).toEqual([["name"], ["policies"]]);
  });

  it("a minted token holds exactly its groups: no API Tokens Write means 403 9109", async () => {
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    const r = await call(emu, "POST", "/user/tokens", {
      token: t.value,
      body: { name: "y", policies: [accountPolicy(emu.accountId, [G.aiSearchIndexEngine])] },
    });
    expect(r.status).toBe(403);
    expect(r.json.errors).toEqual([{ code: 9109, message: "Unauthorized to access requested resource" }]);
    expect((await call(emu, "GET", "/user/tokens", { token: t.value })).status).toBe(403);
  });

  it("a deny policy takes away what an allow policy gives", async () => {
    const r = await call(emu, "POST", "/user/tokens", {
      body: {
        name: "denied",
        policies: [
          userPolicy(emu.userId, [G.apiTokensWrite]),
          { ...userPolicy(emu.userId, [G.apiTokensWrite]), effect: "deny" },
        ],
      },
    });
    expect((await call(emu, "GET", "/user/tokens", { token: r.json.result.value })).status).toBe(403);
  });

  it("authentication errors: 9106 without a header, 6003 for a malformed one, 403 10000 for an unknown token", async () => {
    const none = await call(emu, "GET", "/user/tokens", { token: null });
    expect(none.status).toBe(400);
    expect(none.json.errors[0].code).toBe(9106);
    const basic = await call(emu, "GET", "/user/tokens", {
      token: null,
      headers: { authorization: "Basic abc" },
    });
    expect(basic.status).toBe(400);
    expect(basic.json.errors[0]).toMatchObject({ code: 6003, error_chain: [{ code: 6111 }] });
    const key = await call(emu, "GET", "/user/tokens", {
      token: null,
      headers: { "x-auth-email": "a@b.c", "x-auth-key": "k" },
    });
    expect(key.status).toBe(403);
    const unknown = await call(emu, "GET", "/user/tokens", { token: "cfut_nope" });
    expect(unknown.status).toBe(403);
    expect(unknown.json.errors[0].code).toBe(10000);
    const t = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    await admin(emu, "PATCH", `/tokens/${t.id}`, { status: "revoked" });
    const revoked = await call(emu, "GET", "/user/tokens", { token: t.value });
    expect(revoked.status).toBe(403);
    expect(revoked.json.errors[0].code).toBe(10000);
    expect((await call(emu, "GET", `/user/tokens/${t.id}`)).json.result.status).toBe("revoked (exposed)");
  });

  it("does not find account tokens under /user/tokens", async () => {
    const a = await call(emu, "POST", `${acct()}/tokens`, {
      body: { name: "acct", policies: [accountPolicy(emu.accountId, [G.aiSearchIndexEngine])] },
    });
    expect((await call(emu, "GET", `/user/tokens/${a.json.result.id}`)).status).toBe(404);
    expect((await call(emu, "GET", `${acct()}/tokens/${a.json.result.id}`)).status).toBe(200);
  });
});

describe("account tokens", () => {
  it("needs Account API Tokens Write on the account", async () => {
    const t = await mintUserToken(emu, [G.accountApiTokensWrite]);
    const body = { name: "svc", policies: [accountPolicy(emu.accountId, [G.aiSearchIndexEngine])] };
    const ok = await call(emu, "POST", `${acct()}/tokens`, { token: t.value, body });
    expect(ok.status).toBe(200);
    expect(ok.json.result.value).toMatch(/^cfat_/);
    const noPerm = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    expect((await call(emu, "POST", `${acct()}/tokens`, { token: noPerm.value, body })).status).toBe(403);
    // Another account: 403 9109.
    const other = await call(emu, "GET", `/accounts/${"e".repeat(32)}/tokens`);
    expect(other.status).toBe(403);
    expect(other.json.errors[0].code).toBe(9109);
  });

  it("full lifecycle: list, get, update, roll, delete", async () => {
    const c = await call(emu, "POST", `${acct()}/tokens`, {
      body: { name: "svc", policies: [accountPolicy(emu.accountId, [G.aiSearchIndexEngine])] },
    });
    const id = c.json.result.id as string;
    const list = await call(emu, "GET", `${acct()}/tokens`);
    expect(list.json.result.map((t: { id: string }) => t.id)).toEqual([id]);
    expect((await call(emu, "GET", `${acct()}/tokens/${id}`)).json.result.name).toBe("svc");
    const up = await call(emu, "PUT", `${acct()}/tokens/${id}`, {
      body: { name: "svc2", policies: [accountPolicy(emu.accountId, [G.aiSearchIndexEngine])] },
    });
    expect(up.json.result.name).toBe("svc2");
    const roll = await call(emu, "PUT", `${acct()}/tokens/${id}/value`, { body: {} });
    expect(roll.json.result).toMatch(/^cfat_/);
    expect((await call(emu, "DELETE", `${acct()}/tokens/${id}`)).json.result).toEqual({ id });
    expect((await call(emu, "GET", `${acct()}/tokens`)).json.result).toEqual([]);
  });

  it("refuses user resources and user-scoped groups on account tokens", async () => {
    const r = await call(emu, "POST", `${acct()}/tokens`, {
      body: { name: "x", policies: [userPolicy(emu.userId, [G.apiTokensWrite])] },
    });
    expect(r.status).toBe(400);
  });
});

describe("permission groups", () => {
  it("lists at least the reference's groups with names and scopes; filters by name and scope", async () => {
    const all = await call(emu, "GET", "/user/tokens/permission_groups");
    expect(all.status).toBe(200);
    const byId = new Map(all.json.result.map((g: { id: string }) => [g.id, g]));
    for (const id of Object.values(G)) expect(byId.has(id)).toBe(true);
    expect(byId.get(G.aiSearchIndexEngine)).toMatchObject({
      name: "AI Search Index Engine",
      scopes: ["com.cloudflare.api.account"],
    });
    expect(byId.get(G.apiTokensWrite)).toMatchObject({ scopes: ["com.cloudflare.api.user"] });

    const named = await call(
      emu,
      "GET",
      `/user/tokens/permission_groups?name=${encodeURIComponent("AI Search Index Engine")}`,
    );
    expect(named.json.result.map((g: { id: string }) => g.id)).toEqual([G.aiSearchIndexEngine]);
    const user = await call(emu, "GET", "/user/tokens/permission_groups?scope=com.cloudflare.api.user");
    expect(user.json.result.map((g: { id: string }) => g.id)).toEqual([G.apiTokensWrite]);

    const acctGroups = await call(emu, "GET", `${acct()}/tokens/permission_groups`);
    const ids = acctGroups.json.result.map((g: { id: string }) => g.id);
    expect(ids).toContain(G.accountApiTokensWrite);
    expect(ids).not.toContain(G.apiTokensWrite);
  });
});
