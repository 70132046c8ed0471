// A namespace delete against the emulator, when AI Search answers 7066 (instances remain): it
// waits only while instances are being deleted, and fails at once, naming them, when they stay.
// The API's instance status values are undocumented (reference C9): only whether an instance is
// still listed counts.
import type { AiSearchInstanceInputs } from "../../provider/aiSearchInstance/args";
import * as instances from "../../provider/aiSearchInstance/provider";
import type { AiSearchNamespaceInputs } from "../../provider/aiSearchNamespace/args";
import * as namespaces from "../../provider/aiSearchNamespace/provider";
import { registerByHand } from "../support/outOfBand";
import { cfCall, emulatorContext, useEmulator } from "../support/emulatorContext";

jest.setTimeout(30_000);

// A long bound: a refusal that waited for it would outlast the test's timeout.
const t = useEmulator({}, { deleteTimeoutMs: 120_000, pollIntervalMs: 20 });

async function createNamespace(name: string) {
  const inputs = namespaces.check({ accountId: t.emu.accountId, name }).inputs as AiSearchNamespaceInputs;
  return namespaces.create(t.env.ctx, inputs);
}

function instanceIn(namespace: string, instanceId: string): AiSearchInstanceInputs {
  return instances.check({
    accountId: t.emu.accountId,
    instanceId,
    namespace,
    type: "web-crawler",
    source: "example.com",
  }).inputs as AiSearchInstanceInputs;
}

beforeEach(async () => {
  await registerByHand(t.emu, "account token");
});

it("fails at once naming the instances another stack keeps in it, and deletes nothing", async () => {
  const ns = await createNamespace("team");
  // Another stack's instance (or wrangler's), live in the namespace.
  const created = await cfCall(
    t.emu,
    "POST",
    `/accounts/${t.emu.accountId}/ai-search/namespaces/team/instances`,
    {
      id: "theirs",
      type: "web-crawler",
      source: "example.com",
    },
  );
  expect(created.status).toBe(200);

  const error = await namespaces.remove(t.env.ctx, ns.id, ns.outs).catch((e: unknown) => e);
  expect((error as Error).message).toContain(
    'still holds instances that are not being deleted: "theirs" (7066)',
  );
  expect(t.emu.requestCounts()["DELETE /accounts/:account_id/ai-search/namespaces/:name"]).toBe(1);
  expect(t.emu.state().namespaces.map((n) => n.name)).toContain("team");
  expect(t.emu.state().instances.map((i) => i.id)).toEqual(["theirs"]);
});

it("waits while its instance is being deleted by the same destroy, then deletes it", async () => {
  // An instance whose namespace is given by name (no graph edge to the namespace), so a destroy
  // deletes both in parallel. Its teardown keeps it listed for a while after its DELETE: here
  // 100 ms, well within the few polls (3 x 200 ms) the namespace delete waits for one to go.
  const env = emulatorContext(t.emu, { deleteTimeoutMs: 120_000, pollIntervalMs: 200 });
  try {
    t.emu.configure({ instanceDeleteMs: 100 });
    const ns = await createNamespace("team");
    const site = await instances.create(env.ctx, instanceIn("team", "site"));

    await Promise.all([
      instances.remove(env.ctx, site.id, site.outs),
      namespaces.remove(env.ctx, ns.id, ns.outs),
    ]);
    expect(t.emu.state().namespaces.map((n) => n.name)).not.toContain("team");
    expect(t.emu.state().instances).toEqual([]);
  } finally {
    await env.close();
  }
});
