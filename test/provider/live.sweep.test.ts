// `npm run test:live` against the emulator: its instance steps (namespaced routes, a move and a
// refused one), and its sweep, which removes what interrupted live runs left (their instances and
// namespaces, registrations, then API tokens), spares recent ones and everything else.
import type { ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as provider from "../../provider/serviceApiToken/provider";
import {
  instanceLifecycle,
  LIVE_NAMESPACE_PREFIX,
  sweepInstances,
} from "../../scripts/live/aiSearchInstance";
import { Observations } from "../../scripts/live/observations";
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

describe("the instance steps of a live run, against the emulator", () => {
  it("go through the namespaced routes, move to a namespace and back, see a refused move, and leave nothing", async () => {
    const token = await make(`${LIVE_PREFIX}20260101000000-cafebabe`);
    const obs = new Observations();
    const runName = `${LIVE_PREFIX}20260101000000-cafebabe`;
    await instanceLifecycle(t.env.ctx, t.emu.accountId, runName, "cafebabe", token.id, obs);
    const observed = Object.fromEntries(obs.steps.map((s) => [s.step, s.observed]));
    expect(observed).toEqual({
      "instance create in default (namespaces/default/instances)": {
        namespace: "default",
        hasPublicEndpointId: true,
      },
      "instance read (refresh) through namespaces/default": { found: true, changes: false },
      "the deprecated account-level route still answers": { served: true },
      "an unserved path is an error, not gone": {
        failed: { error: "PathNotServedError", status: 404, codes: [7003, 7000] },
      },
      "namespace create": { created: true },
      "move to the namespace (PATCH {new_namespace})": { namespace: "target", samePublicEndpointId: true },
      "an instance with the same id in default": { created: true },
      "move to a namespace holding that id is refused": {
        refused: true,
        answer: { error: "InstanceAlreadyExistsError", status: 400, codes: [7022] },
      },
      "delete the same-id instance": { deleted: true },
      "move back to default": { namespace: "default" },
      "instance delete": { gone: true },
      "namespace delete": { deleted: true },
    });
    const counts = t.emu.requestCounts() as unknown as Record<string, number>;
    // Only the probe used an account-level instance route.
    expect(Object.keys(counts).filter((route) => route.includes("ai-search/instances"))).toEqual([
      "GET /accounts/:account_id/ai-search/instances/:id",
    ]);
    expect(t.emu.state().instances).toEqual([]);
    expect(t.emu.state().namespaces.map((n) => n.name)).toEqual(["default"]);
  });

  it("the sweep removes a live run's instances, in any namespace, then its namespace", async () => {
    const token = await make("production token");
    const api = t.env.ctx.management();
    await api.aiSearchNamespaces.create(t.emu.accountId, { name: "plive-deadbeef" });
    await api.aiSearchInstances.create(t.emu.accountId, "plive-deadbeef", {
      id: `${LIVE_PREFIX}x`,
      token_id: token.id,
    });
    await api.aiSearchInstances.create(t.emu.accountId, "default", {
      id: `${LIVE_PREFIX}y`,
      token_id: token.id,
    });
    await api.aiSearchInstances.create(t.emu.accountId, "default", { id: "production", token_id: token.id });
    const isLive = (name: string) => name.startsWith(LIVE_PREFIX) || name.startsWith(LIVE_NAMESPACE_PREFIX);
    const swept = await sweepInstances(t.env.ctx, t.emu.accountId, isLive, 0);
    expect(swept.failed).toEqual([]);
    expect(swept.removed.sort()).toEqual(
      [
        `instance default/${LIVE_PREFIX}y`,
        `instance plive-deadbeef/${LIVE_PREFIX}x`,
        "namespace plive-deadbeef",
      ].sort(),
    );
    expect(t.emu.state().instances.map((i) => i.id)).toEqual(["production"]);
  });
});
