// AiSearchNamespace: check and diff (pure), and its lifecycle against undici's MockAgent, the
// request sequence of every path, 7062 to 7066 included.
import type {
  AiSearchNamespaceInputs,
  AiSearchNamespaceOutputs,
} from "../../provider/aiSearchNamespace/args";
import * as provider from "../../provider/aiSearchNamespace/provider";
import { UNKNOWN } from "../../provider/validation";
import {
  ACCOUNT_ID,
  fail,
  mockCloudflare,
  ok,
  SHORT_DELETE_BOUND,
  v4,
  type MockCloudflare,
} from "../support/mockCloudflare";

const NAMESPACES = `/accounts/${ACCOUNT_ID}/ai-search/namespaces`;
const AT = `${NAMESPACES}/team-a`;

const inputs = (extra: Record<string, unknown> = {}): AiSearchNamespaceInputs => {
  const checked = provider.check({ accountId: ACCOUNT_ID, name: "team-a", ...extra });
  expect(checked.failures).toEqual([]);
  return checked.inputs as AiSearchNamespaceInputs;
};
const state = (extra: Record<string, unknown> = {}): AiSearchNamespaceOutputs => ({
  ...inputs(),
  adopted: false,
  ...extra,
});
const namespace = (extra: Record<string, unknown> = {}) => ({
  name: "team-a",
  description: null,
  created_at: "2026-11-29 10:00:00",
  modified_at: "2026-11-29 10:00:00",
  ...extra,
});

function reply(cf: MockCloudflare, method: string, path: string, status: number, body: object, times = 1) {
  cf.pool
    .intercept({ path: v4(path), method })
    .reply(status, body)
    .times(times);
}

describe("AiSearchNamespace check", () => {
  it("accepts a name, description and public endpoint", () => {
    expect(
      provider.check({
        accountId: ACCOUNT_ID,
        name: "team-a",
        description: "Team A",
        publicEndpointParams: { enabled: true },
      }).failures,
    ).toEqual([]);
  });

  it.each([
    ["a name with a space", { name: "team a" }, "name"],
    ["a description over 256 characters", { description: "x".repeat(257) }, "description"],
    ["a short account id", { accountId: "abc" }, "accountId"],
    ["an unknown input", { colour: "red" }, "colour"],
  ])("rejects %s, naming the field", (_what, extra, property) => {
    const { failures } = provider.check({ accountId: ACCOUNT_ID, name: "team-a", ...extra });
    expect(failures.map((f) => f.property)).toEqual([property]);
  });

  it('refuses "default" without adopt, with the fix', () => {
    const { failures } = provider.check({ accountId: ACCOUNT_ID, name: "default" });
    expect(failures).toHaveLength(1);
    expect(failures[0]!.property).toBe("name");
    expect(failures[0]!.reason).toContain("adopt: true");
    expect(failures[0]!.reason).toContain("7065");
  });

  it('refuses a description, a public endpoint or deleteOnDestroy on "default" (it is never modified)', () => {
    const { failures } = provider.check({
      accountId: ACCOUNT_ID,
      name: "default",
      adopt: { deleteOnDestroy: true },
      description: "x",
      publicEndpointParams: { enabled: true },
    });
    expect(failures.map((f) => f.property).sort()).toEqual(["adopt", "description", "publicEndpointParams"]);
  });

  it('accepts an adopted "default", and an unknown name during preview', () => {
    expect(provider.check({ accountId: ACCOUNT_ID, name: "default", adopt: true }).failures).toEqual([]);
    expect(provider.check({ accountId: ACCOUNT_ID, name: UNKNOWN }).failures).toEqual([]);
  });
});

describe("AiSearchNamespace diff", () => {
  it.each([
    ["nothing changed", state(), inputs(), { changes: false, replaces: [] }],
    ["a rename replaces", state(), inputs({ name: "team-b" }), { changes: true, replaces: ["name"] }],
    [
      "another account replaces",
      state(),
      inputs({ accountId: "f".repeat(32) }),
      { changes: true, replaces: ["accountId"] },
    ],
    ["the description is an update", state(), inputs({ description: "x" }), { changes: true, replaces: [] }],
    [
      "an unknown name may replace",
      state(),
      { ...inputs(), name: UNKNOWN },
      { changes: true, replaces: ["name"] },
    ],
  ])("%s", (_what, olds, news, expected) => {
    // Create before delete: the instances moving to the new namespace need it first.
    expect(provider.diff(olds, news)).toEqual({ ...expected, deleteBeforeReplace: false });
  });
});

describe("AiSearchNamespace lifecycle", () => {
  it("creates with name, description and the public endpoint in snake_case", async () => {
    const cf = mockCloudflare();
    reply(cf, "POST", NAMESPACES, 200, ok(namespace({ description: "Team A" })));
    const { id, outs } = await provider.create(
      cf.ctx,
      inputs({ description: "Team A", publicEndpointParams: { authorizedHosts: ["a.example"] } }),
    );
    expect(cf.calls()).toEqual([`POST ${NAMESPACES}`]);
    expect(cf.bodies()).toEqual([
      { name: "team-a", description: "Team A", public_endpoint_params: { authorized_hosts: ["a.example"] } },
    ]);
    expect(id).toBe("team-a");
    expect(outs).toMatchObject({ name: "team-a", adopted: false, createdAt: "2026-11-29 10:00:00" });
  });

  it("fails on 7064 (already exists) with a message that names the interrupted-run recovery and adopt", async () => {
    const cf = mockCloudflare();
    reply(cf, "POST", NAMESPACES, 409, fail(7064, "namespace_already_exists"));
    const err = (await provider.create(cf.ctx, inputs()).catch((e: Error) => e)) as Error;
    expect(err.message).toContain("7064");
    expect(err.message).toContain(
      `DELETE /accounts/${inputs().accountId}/ai-search/namespaces/${inputs().name}`,
    );
    expect(err.message).toContain("pulumi refresh --yes --clear-pending-creates");
    expect(err.message).toContain("adopt: true");
  });

  it("fails on 7062 (too many namespaces) saying what to do", async () => {
    const cf = mockCloudflare();
    reply(cf, "POST", NAMESPACES, 400, fail(7062, "max_namespaces_reached"));
    const err = (await provider.create(cf.ctx, inputs()).catch((e: Error) => e)) as Error;
    expect(err.message).toContain("7062");
    expect(err.message).toContain("Delete namespaces");
  });

  it('adopts "default" by reading it only: no create, no update', async () => {
    const cf = mockCloudflare();
    reply(cf, "GET", `${NAMESPACES}/default`, 200, ok(namespace({ name: "default" })));
    const { outs } = await provider.create(cf.ctx, inputs({ name: "default", adopt: true }));
    expect(cf.calls()).toEqual([`GET ${NAMESPACES}/default`]);
    expect(outs.adopted).toBe(true);

    const updated = await provider.update(cf.ctx, "default", outs, inputs({ name: "default", adopt: true }));
    await provider.remove(cf.ctx, "default", { ...outs, adopt: { deleteOnDestroy: true } });
    expect(cf.calls()).toHaveLength(1);
    expect(updated.adopted).toBe(true);
  });

  it("adopts an existing namespace and writes the declared description", async () => {
    const cf = mockCloudflare();
    reply(cf, "GET", AT, 200, ok(namespace()));
    reply(cf, "PUT", AT, 200, ok(namespace({ description: "mine" })));
    const { outs } = await provider.create(cf.ctx, inputs({ adopt: true, description: "mine" }));
    expect(cf.calls()).toEqual([`GET ${AT}`, `PUT ${AT}`]);
    expect(cf.bodies()[1]).toEqual({ description: "mine" });
    expect(outs.adopted).toBe(true);
  });

  it("updates the description with a PUT", async () => {
    const cf = mockCloudflare();
    reply(cf, "PUT", AT, 200, ok(namespace({ description: "new" })));
    const outs = await provider.update(cf.ctx, "team-a", state(), inputs({ description: "new" }));
    expect(cf.calls()).toEqual([`PUT ${AT}`]);
    expect(outs.description).toBe("new");
  });

  it("refresh drops a namespace that is gone (7063)", async () => {
    const cf = mockCloudflare();
    reply(cf, "GET", AT, 404, fail(7063, "namespace_not_found"));
    expect(await provider.read(cf.ctx, "team-a", state())).toEqual({});
  });

  it("delete retries while the namespace still holds instances (7066), then succeeds", async () => {
    // A bound far above the two retries: the default 40 ms one is wall-clock, and a loaded machine
    // ran out of it once. The bound itself is covered by the next test.
    const cf = mockCloudflare({
      wait: { propagationRetries: 3, propagationRetryDelayMs: 1, deleteTimeoutMs: 60_000, pollIntervalMs: 5 },
    });
    reply(cf, "DELETE", AT, 400, fail(7066, "namespace_has_instances"), 2);
    reply(cf, "DELETE", AT, 200, ok(namespace()));
    // None is listed any more: their teardown is finishing in the background.
    const none = ok([], { result_info: { page: 1, per_page: 100, count: 0, total_count: 0 } });
    cf.pool
      .intercept({ path: (p) => p.startsWith(v4(`${AT}/instances`)), method: "GET" })
      .reply(200, none)
      .times(2);
    await provider.remove(cf.ctx, "team-a", state());
    const listed = `GET ${AT}/instances`;
    expect(cf.calls()).toEqual([`DELETE ${AT}`, listed, `DELETE ${AT}`, listed, `DELETE ${AT}`]);
    expect(cf.logs.join("\n")).toContain("7066");
  });

  it("delete fails at once, naming them and the ways on, when the instances it holds are not going", async () => {
    // A bound far above the few polls it waits: the refusal does not wait for the bound.
    const cf = mockCloudflare({
      wait: {
        propagationRetries: 3,
        propagationRetryDelayMs: 1,
        deleteTimeoutMs: 600_000,
        pollIntervalMs: 5,
      },
    });
    cf.pool
      .intercept({ path: v4(AT), method: "DELETE" })
      .reply(400, fail(7066, "namespace_has_instances"))
      .persist();
    cf.pool
      .intercept({ path: (p) => p.startsWith(v4(`${AT}/instances`)), method: "GET" })
      .reply(
        200,
        ok([{ id: "docs" }, { id: "blog" }], {
          result_info: { page: 1, per_page: 100, count: 2, total_count: 2 },
        }),
      )
      .persist();
    const err = (await provider.remove(cf.ctx, "team-a", state()).catch((e: Error) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain('still holds instances that are not being deleted: "docs", "blog" (7066)');
    expect(err.message).toContain("Delete them or move them to another namespace");
    expect(err.message).toContain("pulumi state delete");
    // One delete: the instances were listed until none had gone for a few polls, then reported.
    expect(cf.calls().filter((c) => c.startsWith("DELETE"))).toEqual([`DELETE ${AT}`]);
  });

  it("delete fails after the bound when AI Search keeps answering 7066 with no instance listed", async () => {
    const cf = mockCloudflare(SHORT_DELETE_BOUND);
    cf.pool
      .intercept({ path: v4(AT), method: "DELETE" })
      .reply(400, fail(7066, "namespace_has_instances"))
      .persist();
    const none = ok([], { result_info: { page: 1, per_page: 100, count: 0, total_count: 0 } });
    cf.pool
      .intercept({ path: (p) => p.startsWith(v4(`${AT}/instances`)), method: "GET" })
      .reply(200, none)
      .persist();
    const err = (await provider.remove(cf.ctx, "team-a", state()).catch((e: Error) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain("though it lists none");
    expect(err.message).toContain("deleteTimeoutSeconds");
  });

  it("delete counts not-found as done, and leaves an adopted namespace in place", async () => {
    const cf = mockCloudflare();
    reply(cf, "DELETE", AT, 404, fail(7063, "namespace_not_found"));
    await provider.remove(cf.ctx, "team-a", state());
    await provider.remove(cf.ctx, "team-a", state({ adopted: true, adopt: { deleteOnDestroy: false } }));
    expect(cf.calls()).toEqual([`DELETE ${AT}`]);
  });
});
