// ServiceApiToken's read (refresh, and `pulumi preview --refresh`) against the emulator: it reports
// what it finds and never changes anything in the account.
import type { ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as provider from "../../provider/serviceApiToken/provider";
import { useEmulator } from "../support/emulatorContext";

const t = useEmulator();

const inputs = (extra: Record<string, unknown> = {}) =>
  provider.check({ accountId: t.emu.accountId, ...extra }).inputs as ServiceApiTokenInputs;
const minted = () => t.emu.state().apiTokens.filter((t) => !t.bootstrap);

/** Removes a registration out of band, as a lost registration looks (the emulator's admin route). */
async function loseRegistration(id: string): Promise<void> {
  const res = await fetch(`${t.emu.adminUrl}/ai-search/tokens/${id}`, { method: "DELETE" });
  expect(res.status).toBe(200);
}

describe("ServiceApiToken read", () => {
  it("a vanished registration: read revokes nothing, warns naming the minted token, and the replacement's delete revokes it", async () => {
    const { id, outs } = await provider.create(t.env.ctx, inputs());
    await loseRegistration(id);
    t.emu.resetRequestCounts();

    const refreshed = await provider.read(t.env.ctx, id, outs);

    // Nothing in the account changed: only reads were sent, and the minted token is still live.
    const counts = t.emu.requestCounts();
    const writes = Object.keys(counts).filter((k) => /^(POST|PUT|PATCH|DELETE) /.test(k));
    expect(writes).toEqual([]);
    expect(minted().map((m) => [m.id, m.status])).toEqual([[outs.cfApiId, "active"]]);
    expect(t.env.logs.join("\n")).toMatch(new RegExp(`warning: .*${id}.*no longer exists.*${outs.cfApiId}`));

    // The resource stays in state, marked, so that the next up replaces it ...
    expect(refreshed.id).toBe(id);
    expect(refreshed.props).toMatchObject({ registrationMissing: true, cfApiId: outs.cfApiId });
    expect(provider.diff(refreshed.props!, inputs()).replaces).toContain("tokenId");
    // ... and the replaced resource's delete is what revokes the token.
    await provider.remove(t.env.ctx, id, refreshed.props!);
    expect(minted()).toEqual([]);
    expect(t.emu.state().aiSearchTokens).toEqual([]);
  });

  it("a vanished registration of a token it did not mint leaves state, with nothing to clean up", async () => {
    const base = await provider.create(t.env.ctx, inputs({ name: "minted elsewhere" }));
    const provided = await provider.create(
      t.env.ctx,
      inputs({ name: "provided", existingApiToken: { id: base.outs.cfApiId, value: base.outs.value } }),
    );
    await loseRegistration(provided.id);
    expect(await provider.read(t.env.ctx, provided.id, provided.outs)).toEqual({});
    expect(minted().map((m) => m.id)).toEqual([base.outs.cfApiId]);
  });
});
