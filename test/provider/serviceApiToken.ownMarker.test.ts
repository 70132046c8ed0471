// A ServiceApiToken's clean-ups touch only its own API tokens, known by a mint marker that lives in
// this stack's state alone (args.ts, MINT_MARKER_KEY): two stacks of the same project, stack and
// resource name (two backends, two organisations) never share it. Against the emulator: what another
// stack or an interrupted run left is made here by hand, with a marked token name.
import { mintedTokenName } from "../../provider/serviceApiToken/apiToken";
import {
  MINT_MARKER_KEY,
  type ServiceApiTokenInputs,
  type ServiceApiTokenOutputs,
} from "../../provider/serviceApiToken/args";
import * as provider from "../../provider/serviceApiToken/provider";
import { cf, registerByHand } from "../support/outOfBand";
import { useEmulator } from "../support/emulatorContext";

const t = useEmulator();
const NAME = "AI Search Service API Token";

/** The program's inputs as `check` passes them on; `olds` are the inputs the engine holds in state. */
function checked(
  olds: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): ServiceApiTokenInputs {
  const result = provider.check({ accountId: t.emu.accountId, ...extra }, olds);
  expect(result.failures).toEqual([]);
  return result.inputs as ServiceApiTokenInputs;
}

/** An API token minted as a run killed before its registration left it: minted, never registered. */
async function leftToken(tokenName: string): Promise<string> {
  const left = await registerByHand(t.emu, "scratch", tokenName);
  await cf(t.emu, "DELETE", `/accounts/${t.emu.accountId}/ai-search/tokens/${left.id}`);
  return left.cfApiId;
}

const apiTokens = () => t.emu.state().apiTokens.filter((x) => !x.bootstrap);

/** The state of `created` after a refresh that found its API token revoked: the next update re-mints. */
async function withRevokedToken(created: { id: string; outs: ServiceApiTokenOutputs }, path: string) {
  await cf(t.emu, "DELETE", `${path}/${created.outs.cfApiId}`);
  const refreshed = (await provider.read(t.env.ctx, created.id, created.outs)).props!;
  expect(refreshed.underlyingTokenStatus).toBe("missing");
  return refreshed;
}

describe("ServiceApiToken mint marker: this stack's own", () => {
  it("two stacks of the same names: the second's create never touches the first's token, registered or not", async () => {
    // Stack A (one backend) has a token; another run of A was killed between its mint and its registration.
    const a = await provider.create(t.env.ctx, checked());
    const aLeft = await leftToken(mintedTokenName(NAME, a.outs[MINT_MARKER_KEY]));
    // Stack B (another backend): same project, stack and resource name, so the same program inputs.
    const b = await provider.create(t.env.ctx, checked());
    expect(b.outs[MINT_MARKER_KEY]).not.toBe(a.outs[MINT_MARKER_KEY]);
    expect(
      apiTokens()
        .map((x) => x.id)
        .sort(),
    ).toEqual([a.outs.cfApiId, aLeft, b.outs.cfApiId].sort());
    expect(
      t.emu
        .state()
        .aiSearchTokens.map((r) => r.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    expect(t.env.logs).toEqual([]);
    // A create costs no clean-up request: its marker is new.
    expect(
      (t.emu.requestCounts() as Record<string, number>)["GET /accounts/:account_id/tokens"],
    ).toBeUndefined();
  });

  it("the minted API token's name ends with the marker kept in state, at create and at a rename", async () => {
    const created = await provider.create(t.env.ctx, checked());
    const marker = created.outs[MINT_MARKER_KEY]!;
    expect(apiTokens().map((x) => x.name)).toEqual([`${NAME} (pulumi ${marker})`]);
    const news = checked(provider.check({ accountId: t.emu.accountId }, {}).inputs, { name: "Renamed" });
    const renamed = await provider.update(t.env.ctx, created.id, created.outs, {
      ...news,
      [MINT_MARKER_KEY]: marker,
    });
    expect(renamed[MINT_MARKER_KEY]).toBe(marker);
    expect(apiTokens().map((x) => x.name)).toEqual([`Renamed (pulumi ${marker})`]);
    // A refresh returns the marker with the inputs, so the next check keeps it.
    const read = await provider.read(t.env.ctx, created.id, renamed);
    expect(read.inputs?.[MINT_MARKER_KEY]).toBe(marker);
  });

  it("a re-mint after an interrupted one revokes the unregistered token with its marker, and nothing else", async () => {
    const created = await provider.create(t.env.ctx, checked());
    const marker = created.outs[MINT_MARKER_KEY]!;
    const refreshed = await withRevokedToken(created, `/accounts/${t.emu.accountId}/tokens`);
    // A killed earlier re-mint left a token with this marker; another stack's token has its own marker.
    const left = await leftToken(mintedTokenName(NAME, marker));
    const other = await provider.create(t.env.ctx, checked());
    const news = checked({ accountId: t.emu.accountId, [MINT_MARKER_KEY]: marker });
    const updated = await provider.update(t.env.ctx, created.id, refreshed, news);
    expect(updated.tokenId).toBe(created.id);
    expect(
      apiTokens()
        .map((x) => x.id)
        .sort(),
    ).toEqual([updated.cfApiId, other.outs.cfApiId].sort());
    expect(t.env.logs.join("\n")).toContain(`Revoked API token ${left}`);
  });

  it("a token with this marker that another registration holds is left in place, with a warning", async () => {
    const created = await provider.create(t.env.ctx, checked());
    const marker = created.outs[MINT_MARKER_KEY]!;
    const refreshed = await withRevokedToken(created, `/accounts/${t.emu.accountId}/tokens`);
    const held = await registerByHand(t.emu, NAME, mintedTokenName(NAME, marker));
    const news = checked({ accountId: t.emu.accountId, [MINT_MARKER_KEY]: marker });
    await provider.update(t.env.ctx, created.id, refreshed, news);
    expect(apiTokens().map((x) => x.id)).toContain(held.cfApiId);
    expect(t.emu.state().aiSearchTokens.map((r) => r.id)).toContain(held.id);
    expect(t.env.logs.join("\n")).toContain(`warning: API token ${held.cfApiId}`);
  });

  it("owner user: an interrupted re-mint's token is found among the user's tokens and revoked", async () => {
    const created = await provider.create(t.env.ctx, checked({}, { owner: "user" }));
    const marker = created.outs[MINT_MARKER_KEY]!;
    // The killed re-mint's token: a user token with this marker, never registered.
    const first = await provider.create(t.env.ctx, {
      ...checked({}, { owner: "user" }),
      [MINT_MARKER_KEY]: marker,
    });
    await cf(t.emu, "DELETE", `/accounts/${t.emu.accountId}/ai-search/tokens/${first.id}`);
    const refreshed = await withRevokedToken(created, "/user/tokens");
    const news = checked({ accountId: t.emu.accountId, [MINT_MARKER_KEY]: marker }, { owner: "user" });
    const updated = await provider.update(t.env.ctx, created.id, refreshed, news);
    expect(apiTokens().map((x) => x.id)).toEqual([updated.cfApiId]);
    expect(t.env.logs.join("\n")).toContain(`Revoked API token ${first.outs.cfApiId}`);
    const counts = t.emu.requestCounts() as Record<string, number>;
    expect(counts["GET /user/tokens"]).toBe(1);
    expect(counts["GET /accounts/:account_id/tokens"]).toBeUndefined();
  });
});
