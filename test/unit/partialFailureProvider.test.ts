// The runtime adds the serialized provider to every partial failure of every create and update,
// for all three resource kinds, in the one place they all pass through: whatever step throws one
// (a sync after an instance create, a rotation, or any future step), the state the engine stores
// for it can be refreshed and destroyed. The real paths are driven through the dynamic-provider
// host in test/provider/partialFailure.host.test.ts; this covers the kinds and methods that have
// no such path today, so that a new one cannot slip past.
import * as instance from "../../provider/aiSearchInstance/provider";
import * as namespace from "../../provider/aiSearchNamespace/provider";
import * as runtime from "../../provider/runtime";
import * as token from "../../provider/serviceApiToken/provider";

const PROVIDER = "exports.handler = () => provider; // the serialized shim";

/** A create or update that made something, then failed: the host's partial failure shape. */
class MadeThenFailed extends Error {
  readonly id = "made-1";
  readonly properties: Record<string, unknown> = { accountId: "a".repeat(32), kept: true };
}

const kinds = [
  ["serviceApiToken", token],
  ["aiSearchInstance", instance],
  ["aiSearchNamespace", namespace],
] as const;

describe.each(kinds)("%s", (kind, lifecycle) => {
  afterEach(() => jest.restoreAllMocks());

  it("create: a partial failure keeps __provider", async () => {
    jest.spyOn(lifecycle, "create").mockRejectedValue(new MadeThenFailed("after the create"));
    const thrown = await runtime[kind].create({ __provider: PROVIDER }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(MadeThenFailed);
    expect((thrown as MadeThenFailed).properties).toEqual({
      accountId: "a".repeat(32),
      kept: true,
      __provider: PROVIDER,
    });
  });

  it("update: a partial failure keeps __provider", async () => {
    jest.spyOn(lifecycle, "update").mockRejectedValue(new MadeThenFailed("after the update"));
    const thrown = await runtime[kind]
      // A change every kind's diff sees (a change of credentials alone would call nothing).
      .update("made-1", {}, { __provider: PROVIDER, name: "renamed", instanceId: "renamed" })
      .catch((e: unknown) => e);
    expect((thrown as MadeThenFailed).properties.__provider).toBe(PROVIDER);
  });

  it("an error that is not a partial failure passes unchanged", async () => {
    const plain = new Error("refused");
    jest.spyOn(lifecycle, "create").mockRejectedValue(plain);
    await expect(runtime[kind].create({ __provider: PROVIDER })).rejects.toBe(plain);
  });
});
