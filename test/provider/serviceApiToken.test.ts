// ServiceApiToken's provider methods against the emulator: create, rotation in place, the
// transient 7012 window, a registration that fails for good (nothing left behind), and a delete
// that waits while AI Search instances still use the token.
import type { AiSearchInstanceInputs } from "../../provider/aiSearchInstance/args";
import * as instances from "../../provider/aiSearchInstance/provider";
import { MINT_MARKER_KEY, type ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as provider from "../../provider/serviceApiToken/provider";
import { cfCall, emulatorContext, useEmulator } from "../support/emulatorContext";

const INDEX_ENGINE = "9e9b428a0bcd46fd80e580b46a69963c";
const REGISTER = "POST /accounts/:account_id/ai-search/tokens";

const t = useEmulator();

function checked(extra: Record<string, unknown> = {}): ServiceApiTokenInputs {
  const result = provider.check({ accountId: t.emu.accountId, ...extra });
  expect(result.failures).toEqual([]);
  return result.inputs as ServiceApiTokenInputs;
}

const minted = () => t.emu.state().apiTokens.filter((t) => !t.bootstrap);

describe("ServiceApiToken against the emulator", () => {
  it("mints an account token with AI Search Index Engine and registers it with legacy false", async () => {
    const { id, outs } = await provider.create(t.env.ctx, checked());
    const state = t.emu.state();
    expect(minted()).toEqual([
      expect.objectContaining({
        id: outs.cfApiId,
        owner: { type: "account", id: t.emu.accountId },
        status: "active",
        policies: [
          expect.objectContaining({ permission_groups: [expect.objectContaining({ id: INDEX_ENGINE })] }),
        ],
      }),
    ]);
    expect(state.aiSearchTokens).toEqual([
      expect.objectContaining({ id, cf_api_id: outs.cfApiId, legacy: false, credential: "valid" }),
    ]);
    expect(outs.permissionGroupIds).toEqual([INDEX_ENGINE]);

    const refreshed = await provider.read(t.env.ctx, id, outs);
    expect(refreshed.props).toMatchObject({ underlyingTokenStatus: "active", tokenId: id });
    expect(provider.diff(refreshed.props!, checked()).changes).toBe(false);
  });

  it("rotates in place: same AI Search token id, a new secret that AI Search accepts", async () => {
    const { id, outs } = await provider.create(t.env.ctx, checked());
    const news = checked({ rotationTrigger: "2027-01" });
    expect(provider.diff(outs, news)).toMatchObject({ changes: true, replaces: [] });
    const rotated = await provider.update(t.env.ctx, id, outs, news);
    expect(rotated.tokenId).toBe(id);
    expect(rotated.cfApiId).toBe(outs.cfApiId);
    expect(rotated.value).not.toBe(outs.value);
    // The host's protobuf Struct refuses undefined values: an unset output is left out.
    expect(Object.entries(rotated).filter(([, v]) => v === undefined)).toEqual([]);
    const state = t.emu.state();
    expect(state.aiSearchTokens.map((t) => [t.id, t.credential])).toEqual([[id, "valid"]]);
    expect(minted().map((t) => t.id)).toEqual([outs.cfApiId]);
  });

  it("a rename renames the registration and the minted API token, keeping its marker, policies and secret", async () => {
    const { id, outs } = await provider.create(t.env.ctx, checked());
    const marker = outs[MINT_MARKER_KEY];
    const before = minted()[0]!;
    const renamed = await provider.update(t.env.ctx, id, outs, {
      ...checked({ name: "Renamed" }),
      [MINT_MARKER_KEY]: marker,
    });

    expect(renamed).toMatchObject({ tokenId: id, name: "Renamed", cfApiId: outs.cfApiId, value: outs.value });
    expect(t.emu.state().aiSearchTokens.map((r) => [r.id, r.name, r.credential])).toEqual([
      [id, "Renamed", "valid"],
    ]);
    const after = minted()[0]!;
    expect(after.name).toBe(`Renamed (pulumi ${marker})`);
    // The grant is unchanged (a policy's own id is the server's to assign).
    const grant = (policies: typeof before.policies) => policies.map(({ id: _id, ...rest }) => rest);
    expect(grant(after.policies)).toEqual(grant(before.policies));
    expect(t.env.logs.filter((l) => l.startsWith("warning"))).toEqual([]);
  });

  it("retries 7012 while a freshly minted token propagates", async () => {
    t.emu.configure({ propagationFailures: 2 });
    const { id } = await provider.create(t.env.ctx, checked());
    expect(t.emu.requestCounts()[REGISTER]).toBe(3);
    expect(t.emu.state().aiSearchTokens.map((t) => t.id)).toEqual([id]);
    expect(t.env.logs.join("\n")).toContain("7012");
  });

  it("revokes the minted token when registration fails for good, leaving nothing behind", async () => {
    t.emu.configure({ propagationFailures: 100 });
    await expect(provider.create(t.env.ctx, checked())).rejects.toThrow(
      /was revoked, so nothing is left behind/,
    );
    expect(t.emu.requestCounts()[REGISTER]).toBe(4); // 1 + propagationRetries (3)
    const state = t.emu.state();
    expect(state.aiSearchTokens).toEqual([]);
    expect(minted()).toEqual([]);
  });

  it("revokes the minted token when registration is refused (403 fault), leaving nothing behind", async () => {
    t.emu.addFault({ method: "POST", path: "/accounts/*/ai-search/tokens", status: 403, code: 9109 });
    await expect(provider.create(t.env.ctx, checked())).rejects.toThrow(/lacks the permission/);
    expect(t.emu.state().aiSearchTokens).toEqual([]);
    expect(minted()).toEqual([]);
  });

  it("waits on 7076 while a deleted instance still uses the token, and succeeds once it is gone", async () => {
    // As `pulumi destroy` orders it: the instance's delete first, the token's while the instance
    // is still tearing down ("deleting", then the teardown window), which the delete guard does not
    // count and AI Search answers with 7076.
    t.emu.configure({ instanceDeleteMs: 1_000, instanceTeardownMs: 100 });
    const token = await provider.create(t.env.ctx, checked());
    const instanceInputs = instances.check({
      accountId: t.emu.accountId,
      instanceId: "docs",
      type: "r2",
      source: "docs-bucket",
      tokenId: token.id,
    }).inputs as AiSearchInstanceInputs;
    await instances.create(t.env.ctx, instanceInputs);
    const deleted = await cfCall(t.emu, "DELETE", `/accounts/${t.emu.accountId}/ai-search/instances/docs`);
    expect(deleted.status).toBe(200);

    // The token delete polls 7076 until the instance is gone and its teardown window has passed.
    await provider.remove(t.env.ctx, token.id, token.outs);

    const counts = t.emu.requestCounts();
    expect(counts["DELETE /accounts/:account_id/ai-search/tokens/:id"]).toBeGreaterThan(2);
    const state = t.emu.state();
    expect(state.instances).toEqual([]);
    expect(state.aiSearchTokens).toEqual([]);
    expect(minted()).toEqual([]);
  });

  it("gives up on 7076 within the bound and names what to do", async () => {
    const short = emulatorContext(t.emu, { deleteTimeoutMs: 100 });
    try {
      const token = await provider.create(short.ctx, checked());
      await instances.create(
        short.ctx,
        instances.check({
          accountId: t.emu.accountId,
          instanceId: "docs",
          type: "r2",
          source: "docs-bucket",
          tokenId: token.id,
        }).inputs as AiSearchInstanceInputs,
      );
      // Deleted, but tearing down for longer than the delete waits.
      t.emu.configure({ instanceDeleteMs: 60_000 });
      await cfCall(t.emu, "DELETE", `/accounts/${t.emu.accountId}/ai-search/instances/docs`);
      await expect(provider.remove(short.ctx, token.id, token.outs)).rejects.toThrow(
        /still in use by AI Search instances \(7076\)/,
      );
      expect(t.emu.state().aiSearchTokens).toHaveLength(1);
    } finally {
      await short.close();
    }
  });
});
