// ServiceApiToken's provider methods against the emulator: create, rotation in place, the
// transient 7012 window, a registration that fails for good (nothing left behind), and a delete
// that waits while AI Search instances still use the token.
import { startEmulator, type EmulatorHandle } from "../../emulator";
import type { AiSearchInstanceInputs } from "../../provider/aiSearchInstance/args";
import * as instances from "../../provider/aiSearchInstance/provider";
import type { ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as provider from "../../provider/serviceApiToken/provider";
import { emulatorContext, type EmulatorContext } from "../support/emulatorContext";

const INDEX_ENGINE = "9e9b428a0bcd46fd80e580b46a69963c";
const REGISTER = "POST /accounts/:account_id/ai-search/tokens";

let emu: EmulatorHandle;
let env: EmulatorContext;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  env = emulatorContext(emu);
});
afterAll(async () => {
  await env?.close();
  await emu?.close();
});
beforeEach(() => emu.reset());

function checked(extra: Record<string, unknown> = {}): ServiceApiTokenInputs {
  const result = provider.check({ accountId: emu.accountId, ...extra });
  expect(result.failures).toEqual([]);
  return result.inputs as ServiceApiTokenInputs;
}

const minted = () => emu.state().apiTokens.filter((t) => !t.bootstrap);

describe("ServiceApiToken against the emulator", () => {
  it("mints an account token with AI Search Index Engine and registers it with legacy false", async () => {
    const { id, outs } = await provider.create(env.ctx, checked());
    const state = emu.state();
    expect(minted()).toEqual([
      expect.objectContaining({
        id: outs.cfApiId,
        owner: { type: "account", id: emu.accountId },
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

    const refreshed = await provider.read(env.ctx, id, outs);
    expect(refreshed.props).toMatchObject({ underlyingTokenStatus: "active", tokenId: id });
    expect(provider.diff(refreshed.props!, checked()).changes).toBe(false);
  });

  it("rotates in place: same AI Search token id, a new secret that AI Search accepts", async () => {
    const { id, outs } = await provider.create(env.ctx, checked());
    const news = checked({ rotationTrigger: "2027-01" });
    expect(provider.diff(outs, news)).toMatchObject({ changes: true, replaces: [] });
    const rotated = await provider.update(env.ctx, id, outs, news);
    expect(rotated.tokenId).toBe(id);
    expect(rotated.cfApiId).toBe(outs.cfApiId);
    expect(rotated.value).not.toBe(outs.value);
    const state = emu.state();
    expect(state.aiSearchTokens.map((t) => [t.id, t.credential])).toEqual([[id, "valid"]]);
    expect(minted().map((t) => t.id)).toEqual([outs.cfApiId]);
  });

  it("retries 7012 while a freshly minted token propagates", async () => {
    emu.configure({ propagationFailures: 2 });
    const { id } = await provider.create(env.ctx, checked());
    expect(emu.requestCounts()[REGISTER]).toBe(3);
    expect(emu.state().aiSearchTokens.map((t) => t.id)).toEqual([id]);
    expect(env.logs.join("\n")).toContain("7012");
  });

  it("revokes the minted token when registration fails for good, leaving nothing behind", async () => {
    emu.configure({ propagationFailures: 100 });
    await expect(provider.create(env.ctx, checked())).rejects.toThrow(
      /was revoked, so nothing is left behind/,
    );
    expect(emu.requestCounts()[REGISTER]).toBe(4); // 1 + propagationRetries (3)
    const state = emu.state();
    expect(state.aiSearchTokens).toEqual([]);
    expect(minted()).toEqual([]);
  });

  it("revokes the minted token when registration is refused (403 fault), leaving nothing behind", async () => {
    emu.addFault({ method: "POST", path: "/accounts/*/ai-search/tokens", status: 403, code: 9109 });
    await expect(provider.create(env.ctx, checked())).rejects.toThrow(/lacks the permission/);
    expect(emu.state().aiSearchTokens).toEqual([]);
    expect(minted()).toEqual([]);
  });

  it("waits on 7076 while an instance uses the token, and succeeds once the instance is deleted", async () => {
    emu.configure({ instanceTeardownMs: 100 });
    const token = await provider.create(env.ctx, checked());
    const instanceInputs = instances.check({
      accountId: emu.accountId,
      instanceId: "docs",
      type: "r2",
      source: "docs-bucket",
      tokenId: token.id,
    }).inputs as AiSearchInstanceInputs;
    const instance = await instances.create(env.ctx, instanceInputs);

    // The token delete starts while the instance still exists: it polls 7076 ...
    const deleting = provider.remove(env.ctx, token.id, token.outs);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(emu.state().aiSearchTokens.map((t) => t.id)).toEqual([token.id]);
    // ... until the instance is gone and its teardown window has passed.
    await instances.remove(env.ctx, instance.id, instance.outs);
    await deleting;

    const counts = emu.requestCounts();
    expect(counts["DELETE /accounts/:account_id/ai-search/tokens/:id"]).toBeGreaterThan(2);
    const state = emu.state();
    expect(state.instances).toEqual([]);
    expect(state.aiSearchTokens).toEqual([]);
    expect(minted()).toEqual([]);
  });

  it("gives up on 7076 within the bound and names what to do", async () => {
    const short = emulatorContext(emu, { deleteTimeoutMs: 100 });
    try {
      const token = await provider.create(short.ctx, checked());
      await instances.create(
        short.ctx,
        instances.check({
          accountId: emu.accountId,
          instanceId: "docs",
          type: "r2",
          source: "docs-bucket",
          tokenId: token.id,
        }).inputs as AiSearchInstanceInputs,
      );
      await expect(provider.remove(short.ctx, token.id, token.outs)).rejects.toThrow(
        /still in use by AI Search instances \(7076\)/,
      );
      expect(emu.state().aiSearchTokens).toHaveLength(1);
    } finally {
      await short.close();
    }
  });
});
