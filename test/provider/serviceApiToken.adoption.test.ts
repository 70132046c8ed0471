// Adopting an existing AI Search registration against the emulator: the adopted resource settles
// (no diff on the next up), keeps the registration's own name, and state-only inputs call nothing.
import type { ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as provider from "../../provider/serviceApiToken/provider";
import { useEmulator } from "../support/emulatorContext";

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
