// check: every bad input rejected with its field named and no request made; unknowns accepted.
// diff: which changes replace, which update in place, which are no change at all.
import type { ServiceApiTokenInputs, ServiceApiTokenOutputs } from "../../provider/serviceApiToken/args";
import * as provider from "../../provider/serviceApiToken/provider";
import { UNKNOWN } from "../../provider/validation";
import { ACCOUNT_ID } from "../support/mockCloudflare";

const good = { accountId: ACCOUNT_ID };

describe("ServiceApiToken check", () => {
  it("applies the defaults", () => {
    expect(provider.check({ ...good, __provider: "code" }, { ...good, __provider: "code" })).toEqual({
      inputs: {
        accountId: ACCOUNT_ID,
        name: "AI Search Service API Token",
        owner: "account",
        permissionGroups: ["AI Search Index Engine"],
        __mintMarker: expect.stringMatching(/^[0-9a-f]{16}$/) as string,
      },
      failures: [],
    });
  });

  it("refuses the bookkeeping fields of earlier versions from a program", () => {
    for (const key of ["mintMarker", "notInState", "__mintMarker"]) {
      expect(provider.check({ ...good, [key]: "0badc0de" }, { ...good }).failures).toEqual([
        expect.objectContaining({ property: key }),
      ]);
    }
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ["missing accountId", {}, "accountId"],
    ["accountId not hex", { accountId: "not-an-account" }, "accountId"],
    ["accountId too short", { accountId: "0123456789abcdef" }, "accountId"],
    ["accountId a number", { accountId: 1234 }, "accountId"],
    ["empty name", { ...good, name: "" }, "name"],
    ["blank name", { ...good, name: "   " }, "name"],
    ["name too long", { ...good, name: "x".repeat(121) }, "name"],
    ["name a number", { ...good, name: 7 }, "name"],
    ["owner unknown word", { ...good, owner: "team" }, "owner"],
    ["permissionGroups empty", { ...good, permissionGroups: [] }, "permissionGroups"],
    [
      "permissionGroups a string",
      { ...good, permissionGroups: "AI Search Index Engine" },
      "permissionGroups",
    ],
    ["permissionGroups with an empty name", { ...good, permissionGroups: [""] }, "permissionGroups.0"],
    ["permissionGroups twice the same", { ...good, permissionGroups: ["A", "A"] }, "permissionGroups"],
    [
      "existingApiToken without value",
      { ...good, existingApiToken: { id: "abc" } },
      "existingApiToken.value",
    ],
    [
      "existingApiToken empty id",
      { ...good, existingApiToken: { id: "", value: "v" } },
      "existingApiToken.id",
    ],
    [
      "existingApiToken with owner user",
      { ...good, owner: "user", existingApiToken: { id: "a", value: "v" } },
      "owner",
    ],
    ["adopt with neither id nor name", { ...good, adopt: {} }, "adopt"],
    ["adopt with both id and name", { ...good, adopt: { id: "a", name: "b" } }, "adopt"],
    [
      "adopt.deleteOnDestroy not boolean",
      { ...good, adopt: { id: "a", deleteOnDestroy: "yes" } },
      "adopt.deleteOnDestroy",
    ],
    ["rotationTrigger an object", { ...good, rotationTrigger: { at: 1 } }, "rotationTrigger"],
    [
      "deleteWhileInstancesRemain not boolean",
      { ...good, deleteWhileInstancesRemain: "yes" },
      "deleteWhileInstancesRemain",
    ],
    ["a misspelt input", { ...good, permissionGroup: ["x"] }, "permissionGroup"],
    ["a credential passed as an input", { ...good, apiToken: "secret-here" }, "apiToken"],
  ];

  it.each(bad)("rejects %s, naming %s", (_what, news, property) => {
    const { failures } = provider.check(news);
    expect(failures.map((f) => f.property)).toContain(property);
    const failure = failures.find((f) => f.property === property)!;
    expect(failure.reason.length).toBeGreaterThan(property.length + 5);
    expect(failure.reason).not.toContain("secret-here");
  });

  it("says what a rotationTrigger may be (was zod's bare 'Invalid input')", () => {
    const { failures } = provider.check({ ...good, rotationTrigger: { at: 1 } });
    expect(failures.find((f) => f.property === "rotationTrigger")?.reason).toBe(
      "rotationTrigger: must be a string, a number or a boolean (any such value; change it to rotate the secret)",
    );
  });

  it("reports every failure at once", () => {
    const { failures } = provider.check({ accountId: "x", name: "", owner: "team", permissionGroups: [] });
    expect(failures.map((f) => f.property).sort()).toEqual([
      "accountId",
      "name",
      "owner",
      "permissionGroups",
    ]);
  });

  it("accepts values that are unknown during preview, whatever their declared type", () => {
    const { inputs, failures } = provider.check({
      accountId: UNKNOWN,
      name: UNKNOWN,
      existingApiToken: { id: UNKNOWN, value: UNKNOWN },
      rotationTrigger: UNKNOWN,
    });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ accountId: UNKNOWN, existingApiToken: { id: UNKNOWN, value: UNKNOWN } });
  });
});

describe("ServiceApiToken diff", () => {
  const checked = (extra: Record<string, unknown> = {}) =>
    provider.check({ ...good, ...extra }).inputs as ServiceApiTokenInputs;
  const state = (extra: Partial<ServiceApiTokenOutputs> = {}): ServiceApiTokenOutputs => ({
    ...checked(),
    name: "AI Search Service API Token",
    tokenId: "tid",
    cfApiId: "cfid",
    value: "secret",
    enabled: true,
    permissionGroupIds: ["9e9b"],
    adopted: false,
    minted: true,
    underlyingTokenStatus: "active",
    ...extra,
  });

  const table: [
    string,
    ServiceApiTokenOutputs,
    ServiceApiTokenInputs,
    { changes: boolean; replaces: string[] },
  ][] = [
    ["nothing changed", state(), checked(), { changes: false, replaces: [] }],
    [
      "only the provider code changed",
      { ...state(), __provider: "old code" } as ServiceApiTokenOutputs,
      { ...checked(), __provider: "new code" } as ServiceApiTokenInputs,
      { changes: false, replaces: [] },
    ],
    [
      "permission groups in another order",
      state({ permissionGroups: ["B", "A"] }),
      checked({ permissionGroups: ["A", "B"] }),
      { changes: false, replaces: [] },
    ],
    ["rename", state(), checked({ name: "other" }), { changes: true, replaces: [] }],
    ["rotation trigger", state(), checked({ rotationTrigger: "2027" }), { changes: true, replaces: [] }],
    ["account", state(), checked({ accountId: "f".repeat(32) }), { changes: true, replaces: ["accountId"] }],
    ["owner", state(), checked({ owner: "user" }), { changes: true, replaces: ["owner"] }],
    [
      "permission groups",
      state(),
      checked({ permissionGroups: ["AI Search Index Engine", "Workers R2 Storage Write"] }),
      { changes: true, replaces: ["permissionGroups"] },
    ],
    [
      "minted to provided token",
      state(),
      checked({ existingApiToken: { id: "x", value: "y" } }),
      { changes: true, replaces: ["existingApiToken"] },
    ],
    [
      "provided token, new value",
      state({ minted: false, cfApiId: "x", value: "y" }),
      checked({ existingApiToken: { id: "x", value: "z" } }),
      { changes: true, replaces: [] },
    ],
    [
      "provided token, same",
      state({ minted: false, cfApiId: "x", value: "y" }),
      checked({ existingApiToken: { id: "x", value: "y" } }),
      { changes: false, replaces: [] },
    ],
    [
      "provided token, unknown value",
      state({ minted: false, cfApiId: "x", value: "y" }),
      checked({ existingApiToken: { id: "x", value: UNKNOWN } }),
      { changes: true, replaces: [] },
    ],
    [
      "account unknown in preview",
      state(),
      { ...checked(), accountId: UNKNOWN },
      { changes: true, replaces: ["accountId"] },
    ],
    [
      "underlying token revoked (refresh drift)",
      state({ underlyingTokenStatus: "missing" }),
      checked(),
      { changes: true, replaces: [] },
    ],
    [
      "underlying token disabled",
      state({ underlyingTokenStatus: "disabled" }),
      checked(),
      { changes: true, replaces: [] },
    ],
    [
      "rotation not registered yet",
      state({ registrationStale: true }),
      checked(),
      { changes: true, replaces: [] },
    ],
    [
      "state from before mint markers: no change (the marker only names new mints)",
      state(),
      checked(),
      { changes: false, replaces: [] },
    ],
    [
      "adopted, unchanged",
      state({ adopted: true, minted: false, adopt: { id: "tid", deleteOnDestroy: false }, value: undefined }),
      checked({ adopt: { id: "tid" } }),
      { changes: false, replaces: [] },
    ],
    [
      "adopted, deleteOnDestroy flipped",
      state({ adopted: true, minted: false, adopt: { id: "tid", deleteOnDestroy: false } }),
      checked({ adopt: { id: "tid", deleteOnDestroy: true } }),
      { changes: true, replaces: [] },
    ],
    [
      "deleteWhileInstancesRemain set: an update that only records it",
      state(),
      checked({ deleteWhileInstancesRemain: true }),
      { changes: true, replaces: [] },
    ],
    [
      "deleteWhileInstancesRemain false, as the default",
      state(),
      checked({ deleteWhileInstancesRemain: false }),
      { changes: false, replaces: [] },
    ],
    [
      "adopted, another id",
      state({ adopted: true, minted: false, adopt: { id: "tid", deleteOnDestroy: false } }),
      checked({ adopt: { id: "other" } }),
      { changes: true, replaces: ["adopt"] },
    ],
    [
      "adopted, the same registration now named by its name: no replacement (it would delete what it adopts)",
      state({ adopted: true, minted: false, name: "Team", adopt: { id: "tid", deleteOnDestroy: true } }),
      checked({ adopt: { name: "Team", deleteOnDestroy: true } }),
      { changes: true, replaces: [] },
    ],
    [
      "adopted, another name",
      state({ adopted: true, minted: false, name: "Team", adopt: { id: "tid", deleteOnDestroy: true } }),
      checked({ adopt: { name: "Other", deleteOnDestroy: true } }),
      { changes: true, replaces: ["adopt"] },
    ],
    [
      "adopted, permissionGroups changed: state only (they describe minted tokens)",
      state({ adopted: true, minted: false, adopt: { id: "tid", deleteOnDestroy: true } }),
      checked({
        adopt: { id: "tid", deleteOnDestroy: true },
        permissionGroups: ["Workers R2 Storage Write"],
      }),
      { changes: true, replaces: [] },
    ],
  ];

  it.each(table)("%s", (_what, olds, news, expected) => {
    expect(provider.diff(olds, news)).toEqual({ ...expected, deleteBeforeReplace: false });
  });
});
