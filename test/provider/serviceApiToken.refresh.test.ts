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

describe("a user-owned token under another person's credential", () => {
  /** A user-owned token minted here, as a teammate's state sees it: minted by a credential not ours. */
  async function teammatesToken() {
    const { id, outs } = await provider.create(t.env.ctx, inputs({ owner: "user" }));
    expect(outs.mintedByCredential).toBe(t.emu.bootstrapTokenId);
    // How the API answers a credential of another user: 404 on that user's token.
    t.emu.addFault({ method: "GET", path: `/user/tokens/${outs.cfApiId}`, status: 404, code: 1003 });
    t.emu.addFault({ method: "DELETE", path: `/user/tokens/${outs.cfApiId}`, status: 404, code: 1003 });
    return { id, outs: { ...outs, mintedByCredential: "a-teammates-credential-token-id" } };
  }

  it("refresh reads a 404 as unknown, not missing, warns why, and the next diff mints nothing", async () => {
    const { id, outs } = await teammatesToken();
    const refreshed = await provider.read(t.env.ctx, id, outs);
    expect(refreshed.props?.underlyingTokenStatus).toBe("unknown");
    expect(t.env.logs.join("\n")).toMatch(
      /warning: .*404.*not the one that minted.*may mean the token belongs to someone else/,
    );
    expect(provider.diff(refreshed.props!, inputs({ owner: "user" })).changes).toBe(false);
  });

  it("delete does not count the 404 as revoked: it fails naming the minting credential and the way out", async () => {
    const { id, outs } = await teammatesToken();
    await expect(provider.remove(t.env.ctx, id, outs)).rejects.toThrow(
      /Cannot revoke API token .*not the one that minted.*a-teammates-credential-token-id.*pulumi state delete/s,
    );
    expect(minted().map((m) => m.id)).toEqual([outs.cfApiId]); // still there: nothing was concluded
  });

  it("under the minting credential itself a 404 does mean deleted", async () => {
    const { id, outs } = await provider.create(t.env.ctx, inputs({ owner: "user" }));
    const res = await fetch(`${t.emu.url}/user/tokens/${outs.cfApiId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${t.emu.apiToken}` },
    });
    expect(res.status).toBe(200);
    const refreshed = await provider.read(t.env.ctx, id, outs);
    expect(refreshed.props?.underlyingTokenStatus).toBe("missing");
    await provider.remove(t.env.ctx, id, refreshed.props!);
    expect(t.emu.state().aiSearchTokens).toEqual([]);
  });
});
