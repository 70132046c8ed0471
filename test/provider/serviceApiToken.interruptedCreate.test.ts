// ServiceApiToken's create after an interrupted one (a `pulumi up` SIGKILLed after the mint, or
// after the registration), against the emulator: what the killed run left is made here by hand,
// with this resource's marked token name, and the next create must leave exactly one token and
// one registration, never touching what may be in use.
import * as instances from "../../provider/aiSearchInstance/provider";
import type { AiSearchInstanceInputs } from "../../provider/aiSearchInstance/args";
import { mintedTokenName } from "../../provider/serviceApiToken/apiToken";
import type { ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as provider from "../../provider/serviceApiToken/provider";
import { registerByHand } from "../support/outOfBand";
import { useEmulator } from "../support/emulatorContext";

const t = useEmulator();
const MARKER = "1a2b3c4d";
const NAME = "AI Search Service API Token";
const MARKED = mintedTokenName(NAME, MARKER);

/** The program's inputs as `check` passes them on; `olds` are the inputs the engine holds in state. */
function checked(olds: Record<string, unknown> = {}): ServiceApiTokenInputs {
  const result = provider.check({ accountId: t.emu.accountId, mintMarker: MARKER }, olds);
  expect(result.failures).toEqual([]);
  return result.inputs as ServiceApiTokenInputs;
}

/** An API token minted as the killed run minted it, never registered. */
async function leftToken(name = MARKED): Promise<string> {
  const before = new Set(t.emu.state().apiTokens.map((x) => x.id));
  await registerByHand(t.emu, "scratch", name);
  // registerByHand also registers it: take that registration away again, as if the run died first.
  const state = t.emu.state();
  const token = state.apiTokens.find((x) => !before.has(x.id))!;
  const registration = state.aiSearchTokens.find((r) => r.cf_api_id === token.id)!;
  await fetch(`${t.emu.url}/accounts/${t.emu.accountId}/ai-search/tokens/${registration.id}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${t.emu.apiToken}` },
  });
  return token.id;
}

const apiTokens = () => t.emu.state().apiTokens.filter((x) => !x.bootstrap);

describe("ServiceApiToken create after an interrupted create", () => {
  it("check records notInState only when the engine holds no inputs for the resource", () => {
    expect(checked().notInState).toBe(true);
    expect(checked({ accountId: t.emu.accountId, mintMarker: MARKER }).notInState).toBeUndefined();
  });

  it("a clean create costs one more request (the token list) and finds nothing", async () => {
    await provider.create(t.env.ctx, checked());
    const counts = t.emu.requestCounts() as Record<string, number>;
    expect(counts["GET /accounts/:account_id/tokens"]).toBe(1);
    expect(counts["GET /accounts/:account_id/ai-search/tokens"]).toBeUndefined();
    expect(t.env.logs).toEqual([]);
  });

  it("killed after the mint: the unregistered token with this resource's marker is revoked", async () => {
    const left = await leftToken();
    const { id, outs } = await provider.create(t.env.ctx, checked());
    expect(apiTokens().map((x) => x.id)).toEqual([outs.cfApiId]);
    expect(t.emu.state().aiSearchTokens.map((r) => [r.id, r.cf_api_id])).toEqual([[id, outs.cfApiId]]);
    expect(t.env.logs.join("\n")).toContain(`Revoked API token ${left}`);
  });

  it("killed after the registration: the registration and its token are removed when nothing relies on them", async () => {
    const left = await registerByHand(t.emu, NAME, MARKED);
    const { id, outs } = await provider.create(t.env.ctx, checked());
    expect(t.emu.state().aiSearchTokens.map((r) => [r.id, r.cf_api_id])).toEqual([[id, outs.cfApiId]]);
    expect(apiTokens().map((x) => x.id)).toEqual([outs.cfApiId]);
    const log = t.env.logs.join("\n");
    expect(log).toContain(`Deleted AI Search token ${left.id}`);
    expect(log).toContain(`Revoked API token ${left.cfApiId}`);
  });

  it("a left registration that an instance uses stays, with a warning naming it and the fix", async () => {
    const left = await registerByHand(t.emu, NAME, MARKED);
    const instance = instances.check({
      accountId: t.emu.accountId,
      instanceId: "docs",
      type: "r2",
      source: "docs-bucket",
      tokenId: left.id,
    }).inputs as AiSearchInstanceInputs;
    await instances.create(t.env.ctx, instance);
    const { id } = await provider.create(t.env.ctx, checked());
    expect(
      t.emu
        .state()
        .aiSearchTokens.map((r) => r.id)
        .sort(),
    ).toEqual([id, left.id].sort());
    const log = t.env.logs.join("\n");
    expect(log).toContain(`warning: AI Search token ${left.id} holds API token ${left.cfApiId}`);
    expect(log).toContain(`DELETE /accounts/${t.emu.accountId}/ai-search/tokens/${left.id}`);
    expect(log).toContain("default/docs");
  });

  it("a replacement never touches the registration it replaces, and says nothing", async () => {
    const old = await provider.create(t.env.ctx, checked());
    t.env.logs.length = 0;
    const replacement = await provider.create(t.env.ctx, checked({ accountId: t.emu.accountId }));
    expect(
      t.emu
        .state()
        .aiSearchTokens.map((r) => r.id)
        .sort(),
    ).toEqual([old.id, replacement.id].sort());
    expect(apiTokens()).toHaveLength(2);
    expect(t.env.logs).toEqual([]);
  });

  it("a registrationMissing replacement: the new create revokes the old token, and the old delete still succeeds", async () => {
    const old = await provider.create(t.env.ctx, checked());
    // Someone deletes the registration; a refresh marks the resource, and the next up replaces it.
    await fetch(`${t.emu.url}/accounts/${t.emu.accountId}/ai-search/tokens/${old.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${t.emu.apiToken}` },
    });
    const refreshed = (await provider.read(t.env.ctx, old.id, old.outs)).props!;
    expect(refreshed.registrationMissing).toBe(true);
    const news = checked({ accountId: t.emu.accountId, mintMarker: MARKER });
    expect(provider.diff(refreshed, news).replaces).toContain("tokenId");
    const replacement = await provider.create(t.env.ctx, news);
    expect(t.env.logs.join("\n")).toContain(`Revoked API token ${old.outs.cfApiId}`);
    await provider.remove(t.env.ctx, old.id, refreshed);
    expect(apiTokens().map((x) => x.id)).toEqual([replacement.outs.cfApiId]);
    expect(t.emu.state().aiSearchTokens.map((r) => r.id)).toEqual([replacement.id]);
  });

  it("tokens of other resources (another marker) and registrations they hold are left alone", async () => {
    const otherToken = await leftToken(mintedTokenName(NAME, "0badc0de"));
    const otherRegistration = await registerByHand(t.emu, NAME, mintedTokenName(NAME, "0badc0de"));
    const handMade = await registerByHand(t.emu, NAME, NAME);
    const { id } = await provider.create(t.env.ctx, checked());
    const state = t.emu.state();
    expect(state.aiSearchTokens.map((r) => r.id).sort()).toEqual(
      [id, otherRegistration.id, handMade.id].sort(),
    );
    expect(apiTokens().map((x) => x.id)).toEqual(
      expect.arrayContaining([otherToken, otherRegistration.cfApiId, handMade.cfApiId]),
    );
    expect(t.env.logs).toEqual([]);
  });
});

// A user-owned token is listed and revoked through `/user/tokens`, not the account's routes: the
// same recovery must work there. What the killed run left is made by a first create of the same
// resource (same marker), cut short by hand.
describe("ServiceApiToken create after an interrupted create, owner: user", () => {
  const asUser = (olds: Record<string, unknown> = {}): ServiceApiTokenInputs => {
    const result = provider.check({ accountId: t.emu.accountId, mintMarker: MARKER, owner: "user" }, olds);
    expect(result.failures).toEqual([]);
    return result.inputs as ServiceApiTokenInputs;
  };
  const userTokens = () => apiTokens().filter((x) => x.owner.type === "user");

  it("killed after the mint: the unregistered user token with this resource's marker is revoked", async () => {
    const first = await provider.create(t.env.ctx, asUser());
    expect(userTokens().map((x) => [x.id, x.name])).toEqual([[first.outs.cfApiId, MARKED]]);
    // As if the run died before the registration: the registration goes, its token stays.
    await fetch(`${t.emu.url}/accounts/${t.emu.accountId}/ai-search/tokens/${first.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${t.emu.apiToken}` },
    });
    const { id, outs } = await provider.create(t.env.ctx, asUser());
    expect(userTokens().map((x) => x.id)).toEqual([outs.cfApiId]);
    expect(t.emu.state().aiSearchTokens.map((r) => [r.id, r.cf_api_id])).toEqual([[id, outs.cfApiId]]);
    expect(t.env.logs.join("\n")).toContain(`Revoked API token ${first.outs.cfApiId}`);
    // Looked for among the user's tokens (once per create), never the account's.
    const counts = t.emu.requestCounts() as Record<string, number>;
    expect(counts["GET /user/tokens"]).toBe(2);
    expect(counts["GET /accounts/:account_id/tokens"]).toBeUndefined();
  });

  it("killed after the registration: the registration and its user token are removed when nothing relies on them", async () => {
    const first = await provider.create(t.env.ctx, asUser());
    const { id, outs } = await provider.create(t.env.ctx, asUser());
    expect(t.emu.state().aiSearchTokens.map((r) => [r.id, r.cf_api_id])).toEqual([[id, outs.cfApiId]]);
    expect(userTokens().map((x) => x.id)).toEqual([outs.cfApiId]);
    const log = t.env.logs.join("\n");
    expect(log).toContain(`Deleted AI Search token ${first.id}`);
    expect(log).toContain(`Revoked API token ${first.outs.cfApiId}`);
  });
});
