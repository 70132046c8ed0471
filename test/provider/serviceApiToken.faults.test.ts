// ServiceApiToken's failure paths against the emulator: after every one of them the emulator's
// state shows no orphaned API token and no stray registration.
import type { ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as provider from "../../provider/serviceApiToken/provider";
import { useEmulator } from "../support/emulatorContext";
import { cf } from "../support/outOfBand";

const t = useEmulator();

const inputs = (extra: Record<string, unknown> = {}) =>
  provider.check({ accountId: t.emu.accountId, ...extra }).inputs as ServiceApiTokenInputs;
const minted = () => t.emu.state().apiTokens.filter((t) => !t.bootstrap);

function expectClean() {
  expect(minted()).toEqual([]);
  expect(t.emu.state().aiSearchTokens).toEqual([]);
}

describe("ServiceApiToken failure paths leave nothing behind", () => {
  it("registration refused for good: the minted token is revoked", async () => {
    t.emu.configure({ propagationFailures: 10 });
    await expect(provider.create(t.env.ctx, inputs())).rejects.toThrow(
      /was revoked, so nothing is left behind/,
    );
    expectClean();
  });

  it("registration answers 500: the minted token is revoked", async () => {
    t.emu.addFault({ method: "POST", path: "/accounts/*/ai-search/tokens", status: 500, code: 7001 });
    await expect(provider.create(t.env.ctx, inputs())).rejects.toThrow(/7001/);
    expectClean();
  });

  it("the mint's answer is lost: the token minted anyway is found and revoked", async () => {
    t.emu.addFault({ method: "POST", path: "/accounts/*/tokens", drop: true, phase: "after", times: 1 });
    const err = (await provider.create(t.env.ctx, inputs()).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/the token it minted anyway \([0-9a-f]+\) was revoked/);
    expectClean();
  });

  it("the mint answered 500 after the token was made (fault matrix): the token is found and revoked", async () => {
    t.emu.addFault({ method: "POST", path: "/accounts/*/tokens", status: 500, phase: "after", times: 1 });
    const err = (await provider.create(t.env.ctx, inputs()).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/the token it minted anyway \([0-9a-f]+\) was revoked/);
    expectClean();
  });

  it("a lost mint revokes only this resource's own token, not another stack's minted with the same name just now", async () => {
    // Another stack's resource, same default name and grant, minted a moment ago.
    const other = await provider.create(t.env.ctx, inputs());
    t.emu.addFault({ method: "POST", path: "/accounts/*/tokens", drop: true, phase: "after", times: 1 });

    const err = (await provider.create(t.env.ctx, inputs()).catch((e: Error) => e)) as Error;

    expect(err.message).toMatch(/the token it minted anyway \([0-9a-f]+\) was revoked/);
    expect(minted().map((m) => [m.id, m.name, m.status])).toEqual([
      [other.outs.cfApiId, `AI Search Service API Token (pulumi ${other.outs.__mintMarker})`, "active"],
    ]);
    expect(t.emu.state().aiSearchTokens.map((r) => r.id)).toEqual([other.id]);
  });

  it("the mint is refused before anything happens: nothing to clean", async () => {
    t.emu.addFault({ method: "POST", path: "/accounts/*/tokens", drop: true, times: 1 });
    const err = (await provider.create(t.env.ctx, inputs()).catch((e: Error) => e)) as Error;
    expect(err.message).toContain("no token was minted");
    expectClean();
  });

  it("the registration's answer is lost: the registration made anyway and the token are both removed", async () => {
    t.emu.addFault({
      method: "POST",
      path: "/accounts/*/ai-search/tokens",
      drop: true,
      phase: "after",
      times: 1,
    });
    await expect(provider.create(t.env.ctx, inputs())).rejects.toThrow(/was revoked/);
    expectClean();
  });

  it.each([502, 503, 504])(
    "the mint answers %i after minting: the token minted anyway is found and revoked",
    async (status) => {
      t.emu.addFault({ method: "POST", path: "/accounts/*/tokens", status, phase: "after", times: 1 });
      const err = (await provider.create(t.env.ctx, inputs()).catch((e: Error) => e)) as Error;
      expect(err.message).toMatch(/the token it minted anyway \([0-9a-f]+\) was revoked/);
      expectClean();
    },
  );

  it.each([502, 503, 504])(
    "the registration answers %i after registering: the registration made anyway and the token are both removed",
    async (status) => {
      t.emu.addFault({
        method: "POST",
        path: "/accounts/*/ai-search/tokens",
        status,
        phase: "after",
        times: 1,
      });
      await expect(provider.create(t.env.ctx, inputs())).rejects.toThrow(/was revoked/);
      expectClean();
    },
  );

  it("7012 while the token propagates, then success; delete leaves nothing", async () => {
    t.emu.configure({ propagationFailures: 2 });
    const { id, outs } = await provider.create(t.env.ctx, inputs());
    expect(t.env.logs.filter((l) => l.includes("7012"))).toHaveLength(2);
    await provider.remove(t.env.ctx, id, outs);
    expectClean();
  });

  it("a rotation keeps the token id and the old secret stops working", async () => {
    const { id, outs } = await provider.create(t.env.ctx, inputs());
    const rotated = await provider.update(t.env.ctx, id, outs, inputs({ rotationTrigger: "r1" }));
    expect(rotated.tokenId).toBe(id);
    expect(rotated.value).not.toBe(outs.value);
    const verify = (value: string) =>
      fetch(`${t.emu.url}/accounts/${t.emu.accountId}/tokens/verify`, {
        headers: { authorization: `Bearer ${value}` },
      }).then((r) => r.status);
    expect(await verify(rotated.value!)).toBe(200);
    expect(await verify(outs.value!)).not.toBe(200);
    await provider.remove(t.env.ctx, id, rotated);
    expectClean();
  });

  describe("with existingApiToken (the user's own API token)", () => {
    const REGISTER = { method: "POST", path: "/accounts/*/ai-search/tokens", times: 1 } as const;
    /** An API token the user made, as `@pulumi/cloudflare`'s ApiToken would. */
    async function ownToken(): Promise<{ id: string; value: string }> {
      const { id, value } = await cf<{ id: string; value: string }>(
        t.emu,
        "POST",
        `/accounts/${t.emu.accountId}/tokens`,
        {
          name: "my own token",
          policies: [
            {
              effect: "allow",
              resources: { [`com.cloudflare.api.account.${t.emu.accountId}`]: "*" },
              permission_groups: [{ id: "9e9b428a0bcd46fd80e580b46a69963c" }],
            },
          ],
        },
      );
      return { id, value };
    }
    const registrations = () => t.emu.state().aiSearchTokens;

    it.each([
      ["a dropped connection", { drop: true }],
      ["a 502", { status: 502 }],
    ])(
      "the registration's answer is lost after it was made (%s): that registration is taken over, not made twice",
      async (_what, fault) => {
        const own = await ownToken();
        t.emu.addFault({ ...REGISTER, ...fault, phase: "after" });
        const { id, outs } = await provider.create(t.env.ctx, inputs({ existingApiToken: own }));
        expect(registrations().map((r) => [r.id, r.cf_api_id])).toEqual([[id, own.id]]);
        expect(outs).toMatchObject({ tokenId: id, cfApiId: own.id, minted: false });
        expect(t.env.logs.join("\n")).toContain(`taking AI Search token ${id} over`);
        // The user's token is never revoked.
        expect(minted().map((m) => m.id)).toEqual([own.id]);
      },
    );

    it("a registration of the same token and name that existed before is not taken; nothing is made twice", async () => {
      const own = await ownToken();
      const theirs = await provider.create(t.env.ctx, inputs({ existingApiToken: own }));
      // Make "before" unmistakable: whole-second timestamps allow a second of doubt.
      await new Promise((r) => setTimeout(r, 2_100));
      t.emu.addFault({ ...REGISTER, drop: true });
      const err = (await provider
        .create(t.env.ctx, inputs({ existingApiToken: own }))
        .catch((e: Error) => e)) as Error;
      expect(err.message).toContain("nothing was registered");
      expect(registrations().map((r) => r.id)).toEqual([theirs.id]);
    });
  });
});
