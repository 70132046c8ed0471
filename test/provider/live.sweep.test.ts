// The sweep of `npm run test:live` against the emulator: it removes what interrupted live runs left
// (their registrations, then their API tokens), spares recent ones and everything else.
import type { ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as provider from "../../provider/serviceApiToken/provider";
import { LIVE_PREFIX, sweep } from "../../scripts/live/serviceApiToken";
import { useEmulator } from "../support/emulatorContext";

const t = useEmulator();

const make = (name: string) =>
  provider.create(
    t.env.ctx,
    provider.check({ accountId: t.emu.accountId, name }).inputs as ServiceApiTokenInputs,
  );
const names = () => ({
  registrations: t.emu.state().aiSearchTokens.map((r) => r.name),
  tokens: t.emu
    .state()
    .apiTokens.filter((k) => !k.bootstrap)
    .map((k) => k.name),
});

it("removes a live run's leftovers, registration first, and nothing else; recent ones are spared", async () => {
  await make(`${LIVE_PREFIX}20260101000000-deadbeef`);
  await make("production token");
  const isLive = (name: string) => name.startsWith(LIVE_PREFIX);

  const recent = await sweep(t.env.ctx, t.emu.accountId, isLive, 10 * 60_000);
  expect(recent).toEqual({ removed: [], failed: [] });

  const swept = await sweep(t.env.ctx, t.emu.accountId, isLive, 0);
  expect(swept.failed).toEqual([]);
  expect(swept.removed).toEqual([
    expect.stringMatching(/^registration .* "pulumi-live-20260101000000-deadbeef"$/),
    expect.stringMatching(/^API token .* "pulumi-live-20260101000000-deadbeef \(pulumi [0-9a-f]{16}\)"$/),
  ]);
  expect(names()).toEqual({
    registrations: ["production token"],
    tokens: [expect.stringMatching(/^production token \(pulumi [0-9a-f]{16}\)$/)],
  });
});
