// Adopting an existing AI Search registration against the emulator: the adopted resource settles
// (no diff on the next up), keeps the registration's own name, and state-only inputs call nothing.
import type { ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as provider from "../../provider/serviceApiToken/provider";
import { cfCall, useEmulator } from "../support/emulatorContext";

const t = useEmulator();

const inputs = (extra: Record<string, unknown> = {}) => {
  const checked = provider.check({ accountId: t.emu.accountId, ...extra });
  expect(checked.failures).toEqual([]);
  return checked.inputs as ServiceApiTokenInputs;
};
const registrationNames = () => t.emu.state().aiSearchTokens.map((r) => r.name);

/** A registration someone else made, named "Team token". */
async function teamToken() {
  return provider.create(t.env.ctx, inputs({ name: "Team token" }));
}

describe("ServiceApiToken adoption", () => {
  it("adopting by a name other than the default settles: state takes the registration's name, no diff", async () => {
    const team = await teamToken();
    const news = inputs({ adopt: { name: "Team token" } });
    const adopted = await provider.create(t.env.ctx, news);
    expect(adopted.id).toBe(team.id);
    expect(adopted.outs.name).toBe("Team token");
    expect(provider.diff(adopted.outs, news)).toMatchObject({ changes: false, replaces: [] });
  });

  it("with existingApiToken, adoption keeps the registration's name (no silent rename)", async () => {
    const team = await teamToken();
    const news = inputs({
      adopt: { id: team.id },
      existingApiToken: { id: team.outs.cfApiId, value: team.outs.value },
    });
    const adopted = await provider.create(t.env.ctx, news);
    expect(registrationNames()).toEqual(["Team token"]);
    expect(provider.diff(adopted.outs, news).changes).toBe(false);
  });

  it("a change of adopt.deleteOnDestroy alone is recorded in state without calling the API", async () => {
    const team = await teamToken();
    const adopted = await provider.create(t.env.ctx, inputs({ adopt: { id: team.id } }));
    const news = inputs({ adopt: { id: team.id, deleteOnDestroy: true } });
    expect(provider.diff(adopted.outs, news)).toMatchObject({ changes: true, replaces: [] });
    t.emu.resetRequestCounts();

    const updated = await provider.update(t.env.ctx, adopted.id, adopted.outs, news);

    expect(t.emu.requestCounts().total).toBe(0);
    expect(updated.adopt).toEqual({ id: team.id, deleteOnDestroy: true });
    expect(provider.diff(updated, news).changes).toBe(false);
  });

  it("naming an adopted registration differently without its secret is refused up front, naming the fix", async () => {
    const team = await teamToken();
    const err = (await provider
      .create(t.env.ctx, inputs({ adopt: { id: team.id }, name: "Other name" }))
      .catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/^name: .*"Team token".*existingApiToken/);
    expect(registrationNames()).toEqual(["Team token"]);
  });
});

describe("adopting a legacy registration", () => {
  /** A registration made the dashboard's way: legacy (per-token GET and DELETE answer 401). */
  async function legacyRegistration() {
    const team = await teamToken();
    const made = await cfCall<{ id: string; legacy: boolean }>(
      t.emu,
      "POST",
      `/accounts/${t.emu.accountId}/ai-search/tokens`,
      { cf_api_id: team.outs.cfApiId, cf_api_key: team.outs.value, name: "Dashboard token", legacy: true },
    );
    expect(made.result.legacy).toBe(true);
    return { ...team, legacyId: made.result.id };
  }

  it("without the token's secret is refused up front, naming legacy and the fix", async () => {
    const { legacyId, outs } = await legacyRegistration();
    for (const adopt of [{ name: "Dashboard token" }, { id: legacyId }]) {
      const err = (await provider.create(t.env.ctx, inputs({ adopt })).catch((e: Error) => e)) as Error;
      expect(err.message).toContain(`adopt: AI Search token ${legacyId} ("Dashboard token") is legacy`);
      expect(err.message).toContain(`existingApiToken: { id: "${outs.cfApiId}"`);
    }
  });

  it("with existingApiToken is re-registered off legacy under the same id; refresh and delete then work", async () => {
    const { legacyId, outs } = await legacyRegistration();
    const news = inputs({
      adopt: { id: legacyId, deleteOnDestroy: true },
      existingApiToken: { id: outs.cfApiId, value: outs.value },
    });
    const adopted = await provider.create(t.env.ctx, news);
    expect(adopted.id).toBe(legacyId);
    expect(t.emu.state().aiSearchTokens.find((r) => r.id === legacyId)?.legacy).toBe(false);

    const refreshed = await provider.read(t.env.ctx, adopted.id, adopted.outs);
    expect(refreshed.id).toBe(legacyId);
    await provider.remove(t.env.ctx, adopted.id, refreshed.props!);
    expect(t.emu.state().aiSearchTokens.map((r) => r.id)).not.toContain(legacyId);
  });
});
