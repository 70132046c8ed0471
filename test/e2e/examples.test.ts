// Every example under examples/ that can run offline previews, applies and destroys under the real
// engine against the emulator. (examples/with-cloudflare-provider needs the @pulumi/cloudflare
// resource plugin, a binary that cannot be had offline; its wiring is proved with mocks in
// test/unit.)
import type { ConfigMap } from "@pulumi/pulumi/automation";
import adoptExisting from "../../examples/adopt-existing";
import quickstart from "../../examples/quickstart";
import { recorder, startEngine, type Engine } from "./harness";

jest.setTimeout(600_000);

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine("e2e-examples");
});
afterAll(async () => engine?.close());

/** A Cloudflare API call with the emulator's bootstrap token. */
async function cf<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${engine.emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${engine.emulator.apiToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const envelope = (await res.json()) as { success: boolean; result: T; errors: unknown[] };
  if (!envelope.success) throw new Error(`${method} ${path}: ${JSON.stringify(envelope.errors)}`);
  return envelope.result;
}

async function roundTrip(
  name: string,
  program: () => Promise<Record<string, unknown>>,
  config: ConfigMap = {},
) {
  const stack = await engine.stack(name, program, config);
  const preview = await stack.preview(recorder(engine.output));
  expect(preview.changeSummary.create).toBeGreaterThan(1);
  const up = await stack.up(recorder(engine.output));
  expect(up.summary.result).toBe("succeeded");
  await stack.up({ ...recorder(engine.output), expectNoChanges: true });
  await stack.destroy(recorder(engine.output));
  return up;
}

it("quickstart: a token, two R2 instances and a web crawler", async () => {
  const up = await roundTrip("quickstart", quickstart);
  expect(up.summary.resourceChanges?.create).toBe(5); // stack, token, three instances
  const state = engine.emulator.state();
  expect(state.instances).toEqual([]);
  expect(state.aiSearchTokens).toEqual([]);
  expect(state.apiTokens.filter((t) => !t.bootstrap)).toEqual([]);
});

it("adopt-existing: adopts a token and an instance, and leaves both in place on destroy", async () => {
  const accountId = engine.emulator.accountId;
  const minted = await cf<{ id: string; value: string }>("POST", `/accounts/${accountId}/tokens`, {
    name: "made by hand",
    policies: [
      {
        effect: "allow",
        resources: { [`com.cloudflare.api.account.${accountId}`]: "*" },
        permission_groups: [{ id: "9e9b428a0bcd46fd80e580b46a69963c" }],
      },
    ],
  });
  const registration = await cf<{ id: string }>("POST", `/accounts/${accountId}/ai-search/tokens`, {
    cf_api_id: minted.id,
    cf_api_key: minted.value,
    name: "AI Search Service API Token",
    legacy: false,
  });
  await cf("POST", `/accounts/${accountId}/ai-search/instances`, {
    id: "handmade",
    type: "r2",
    source: "handmade-bucket",
    token_id: registration.id,
  });

  await roundTrip("adopt-existing", adoptExisting, {
    "cloudflare-ai-search:existingInstanceId": { value: "handmade" },
    "cloudflare-ai-search:existingInstanceSource": { value: "handmade-bucket" },
  });
  const state = engine.emulator.state();
  expect(state.aiSearchTokens.map((t) => t.id)).toEqual([registration.id]);
  expect(state.instances.map((i) => i.id)).toEqual(["handmade"]);
  expect(state.apiTokens.filter((t) => !t.bootstrap).map((t) => t.id)).toEqual([minted.id]);
});
