// Issue 10 under the real engine: instances of every type (r2, web-crawler, built-in storage)
// take the service token, so the graph makes each one depend on it (created after it, deleted
// before it: the state's dependencies, and the engine's events of the destroy); and an instance without a token on an account with none fails at its create with
// the ServiceApiToken advice, creating nothing.
import * as pulumi from "@pulumi/pulumi";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { AiSearchInstance, ServiceApiToken } from "../../provider";
import { recorder, startEngine, type Engine } from "./harness";

jest.setTimeout(300_000);

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine("e2e-every-instance");
});
afterAll(async () => engine?.close());

interface StateResource {
  urn: string;
  type: string;
  dependencies?: string[];
}

it("instances of every type depend on the token, and destroy leaves nothing", async () => {
  const program = async () => {
    const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
    const token = new ServiceApiToken("token", { accountId });
    const tokenId = token.id;
    new AiSearchInstance("r2", { accountId, instanceId: "e2e-r2", type: "r2", source: "bucket", tokenId });
    new AiSearchInstance("site", {
      accountId,
      instanceId: "e2e-site",
      type: "web-crawler",
      source: "example.com",
      tokenId,
    });
    new AiSearchInstance("uploads", { accountId, instanceId: "e2e-uploads", tokenId });
  };
  const stack = await engine.stack("every", program);
  expect((await stack.up(recorder(engine.output))).summary.result).toBe("succeeded");

  const registered = engine.emulator.state().aiSearchTokens.map((t) => t.id);
  expect(registered).toHaveLength(1);
  const instances = engine.emulator.state().instances;
  expect(instances.map((i) => [i.id, i.token_id]).sort()).toEqual([
    ["e2e-r2", registered[0]],
    ["e2e-site", registered[0]],
    ["e2e-uploads", registered[0]],
  ]);

  // (exportStack shows secrets in plain text; this test only reads the dependency graph.)
  const deployment = (await stack.exportStack()).deployment as { resources: StateResource[] };
  const resources = deployment.resources;
  const tokenUrn = resources.find((r) => r.type.endsWith("ServiceApiToken"))!.urn;
  const dependents = resources.filter((r) => r.type.endsWith("AiSearchInstance"));
  expect(dependents).toHaveLength(3);
  for (const instance of dependents) expect(instance.dependencies).toContain(tokenUrn);

  // Deletion order, from the engine's own events: the token's delete starts only after every
  // instance's delete has finished.
  const events: EngineEvent[] = [];
  await stack.destroy({ ...recorder(engine.output), onEvent: (e) => void events.push(e) });
  expect(engine.emulator.state().instances).toEqual([]);
  expect(engine.emulator.state().aiSearchTokens).toEqual([]);
  const deleteStarted = (type: string) =>
    events.findIndex(
      (e) => e.resourcePreEvent?.metadata.op === "delete" && e.resourcePreEvent.metadata.type.endsWith(type),
    );
  const deletesDone = events
    .map((e, index) => ({ index, metadata: e.resOutputsEvent?.metadata }))
    .filter((e) => e.metadata?.op === "delete" && e.metadata.type.endsWith("AiSearchInstance"));
  expect(deletesDone).toHaveLength(3);
  const tokenDelete = deleteStarted("ServiceApiToken");
  expect(tokenDelete).toBeGreaterThan(-1);
  for (const done of deletesDone) expect(done.index).toBeLessThan(tokenDelete);
});

it("an instance without tokenId on an account with no token fails at its create, creating nothing", async () => {
  const program = async () => {
    const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
    new AiSearchInstance("site", {
      accountId,
      instanceId: "e2e-lonely",
      type: "web-crawler",
      source: "example.com",
    });
  };
  const stack = await engine.stack("tokenless", program);
  const output: string[] = [];
  await expect(stack.up(recorder(output))).rejects.toThrow();
  const printed = output.join("");
  expect(printed).toContain("declares no tokenId");
  expect(printed).toContain('new ServiceApiToken("ai-search-token", { accountId })');
  expect(engine.emulator.state().instances).toEqual([]);
});
