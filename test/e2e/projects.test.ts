// Every project folder of this repository that can run offline, run the way `pulumi up` in that
// folder runs it: a local program (Pulumi.yaml, package.json `main`) under the Node.js language
// host, never an inline function. Against the emulator: preview plans exactly the resources the
// program declares, up succeeds, a second up changes nothing, destroy leaves the emulator as it
// was. (examples/with-cloudflare-provider needs the @pulumi/cloudflare resource plugin, which
// cannot be had offline; it is loaded by the same rule under mocks in test/unit.)
import * as path from "node:path";
import type { ConfigMap, EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { recorder, startEngine, type Engine } from "./harness";
import { cf as cfAs, registerByHand } from "../support/outOfBand";

jest.setTimeout(600_000);

const REPO = path.resolve(__dirname, "../..");
const TOKEN = "pulumi-nodejs:dynamic/cloudflare-ai-search:ServiceApiToken";
const INSTANCE = "pulumi-nodejs:dynamic/cloudflare-ai-search:AiSearchInstance";
const NAMESPACE = "pulumi-nodejs:dynamic/cloudflare-ai-search:AiSearchNamespace";
const STACK = "pulumi:pulumi:Stack";

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine("e2e-projects");
});
afterAll(async () => engine?.close());

const cf = <T>(method: string, route: string, body?: unknown) =>
  cfAs<T>(engine.emulator, method, route, body);

/** What the emulator holds besides its bootstrap token, as ids. */
function emulatorContents() {
  const state = engine.emulator.state();
  return {
    aiSearchTokens: state.aiSearchTokens.map((t) => t.id).sort(),
    instances: state.instances.map((i) => i.id).sort(),
    apiTokens: state.apiTokens
      .filter((t) => !t.bootstrap)
      .map((t) => t.id)
      .sort(),
  };
}

/**
 * Runs `op` and returns the [type, name] of every resource it planned to create, sorted (the
 * engine's own default provider aside).
 */
async function plannedCreates(op: (onEvent: (e: EngineEvent) => void) => Promise<unknown>) {
  const planned: [string, string][] = [];
  await op((event) => {
    const step = event.resourcePreEvent?.metadata;
    if (step?.op === "create" && !step.type.startsWith("pulumi:providers:"))
      planned.push([step.type, step.urn.split("::").at(-1) ?? ""]);
  });
  return planned.sort();
}

/**
 * preview (exactly `declared`), up, a second up with no changes, a refresh with no changes, and
 * destroy, in the project's own folder. `whileUp` looks at the emulator between up and destroy.
 */
async function roundTrip(
  stack: Stack,
  declared: [string, string][],
  whileUp: (up: Awaited<ReturnType<Stack["up"]>>) => void,
) {
  const planned = await plannedCreates((onEvent) => stack.preview({ ...recorder(engine.output), onEvent }));
  expect(planned).toEqual([...declared].sort());
  const up = await stack.up(recorder(engine.output));
  expect(up.summary.result).toBe("succeeded");
  expect(up.summary.resourceChanges?.create).toBe(declared.length);
  whileUp(up);
  const again = await stack.up({ ...recorder(engine.output), expectNoChanges: true });
  expect(again.summary.resourceChanges).toEqual({ same: declared.length });
  await stack.refresh({ ...recorder(engine.output), expectNoChanges: true });
  await stack.destroy(recorder(engine.output));
  await stack.workspace.removeStack(stack.name);
}

const QUICKSTART: [string, string][] = [
  [STACK, `cloudflare-ai-search-quickstart-`], // completed with the stack's name below
  [TOKEN, "ai-search-token"],
  [NAMESPACE, "namespace"],
  [INSTANCE, "docs"],
  [INSTANCE, "support"],
  [INSTANCE, "website"],
];
const quickstartPlan = (stackName: string): [string, string][] =>
  QUICKSTART.map(([type, name]) => [type, type === STACK ? name + stackName : name]);

function expectQuickstartCreated(up: Awaited<ReturnType<Stack["up"]>>) {
  const held = emulatorContents();
  expect(held.instances).toEqual(["quickstart-docs", "quickstart-support", "quickstart-website"]);
  expect(held.aiSearchTokens).toEqual([up.outputs.tokenId?.value]);
  expect(held.apiTokens).toHaveLength(1);
  // The instances are in the stack's namespace, and the docs instance synced once, to the end.
  const state = engine.emulator.state();
  expect(state.instances.map((i) => i.namespace)).toEqual(["quickstart", "quickstart", "quickstart"]);
  expect(state.jobs.map((j) => [j.namespace, j.instance, j.end_reason])).toEqual([
    ["quickstart", "quickstart-docs", "completed"],
  ]);
}

/** Nothing of the quickstart is left: its namespace included. */
function expectQuickstartGone() {
  expect(emulatorContents()).toEqual({ aiSearchTokens: [], instances: [], apiTokens: [] });
  expect(engine.emulator.state().namespaces.map((n) => n.name)).toEqual(["default"]);
}

it("the root project (Pulumi.yaml at the top: the compiled quickstart)", async () => {
  const stack = await engine.project("e2e-root", REPO);
  await roundTrip(stack, quickstartPlan("e2e-root"), expectQuickstartCreated);
  expectQuickstartGone();
});

it("examples/quickstart, with the account-level instance routes retired (404 7003+7000): the whole lifecycle", async () => {
  // The day Cloudflare stops serving the deprecated routes: nothing of the lifecycle may need them.
  engine.emulator.configure({ retireAccountLevelInstanceRoutes: true });
  try {
    const stack = await engine.project("e2e-quickstart", path.join(REPO, "examples", "quickstart"));
    engine.emulator.resetRequestCounts();
    await roundTrip(stack, quickstartPlan("e2e-quickstart"), expectQuickstartCreated);
    expectQuickstartGone();
    // Every request was one the emulator serves: no route was missed and none was retired.
    expect(engine.emulator.requestCounts().unmatched ?? 0).toBe(0);
  } finally {
    engine.emulator.configure({ retireAccountLevelInstanceRoutes: false });
  }
});

it("examples/quickstart whose first sync fails: refresh and destroy work on what the failed up left, and leave nothing", async () => {
  // The docs instance is created, then its sync job ends in error: a partial failure of its
  // create. The engine stores what it returns as the instance's state; without the serialized
  // provider in it, refresh and destroy would fail in the provider host (issue 20, item 1).
  engine.emulator.configure({ jobOutcome: "error", jobDurationMs: 0 });
  try {
    const stack = await engine.project(
      "e2e-quickstart-sync-fails",
      path.join(REPO, "examples", "quickstart"),
    );
    const output: string[] = [];
    await expect(stack.up(recorder(output))).rejects.toThrow();
    expect(output.join("")).toContain("the data source could not be read");
    expect(emulatorContents().instances).toContain("quickstart-docs");

    const refreshed = await stack.refresh(recorder(engine.output));
    expect(refreshed.summary.result).toBe("succeeded");
    const destroyed = await stack.destroy(recorder(engine.output));
    expect(destroyed.summary.result).toBe("succeeded");
    expectQuickstartGone();
    await stack.workspace.removeStack(stack.name);
  } finally {
    engine.emulator.configure({ jobOutcome: "success" });
  }
});

it("examples/adopt-existing: adopts a token and an instance, and leaves both in place on destroy", async () => {
  const accountId = engine.emulator.accountId;
  const registration = await registerByHand(engine.emulator, "AI Search Service API Token", "made by hand");
  await cf("POST", `/accounts/${accountId}/ai-search/instances`, {
    id: "handmade",
    type: "r2",
    source: "handmade-bucket",
    token_id: registration.id,
  });
  const before = emulatorContents();

  const config: ConfigMap = {
    "cloudflare-ai-search:existingInstanceId": { value: "handmade" },
    "cloudflare-ai-search:existingInstanceSource": { value: "handmade-bucket" },
  };
  const stack = await engine.project(
    "e2e-adopt-existing",
    path.join(REPO, "examples", "adopt-existing"),
    config,
  );
  const declared: [string, string][] = [
    [STACK, "cloudflare-ai-search-adopt-existing-e2e-adopt-existing"],
    [TOKEN, "ai-search-token"],
    [INSTANCE, "existing"],
  ];
  await roundTrip(stack, declared, (up) => {
    expect(up.outputs.tokenId?.value).toBe(registration.id);
    expect(up.outputs.tokenAdopted?.value).toBe(true);
    expect(up.outputs.instanceAdopted?.value).toBe(true);
    expect(emulatorContents()).toEqual(before); // adopted, nothing new made
  });
  expect(emulatorContents()).toEqual(before); // and left in place
  expect(before).toEqual({
    aiSearchTokens: [registration.id],
    instances: ["handmade"],
    apiTokens: [registration.cfApiId],
  });
});
