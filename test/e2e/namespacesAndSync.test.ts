// Issues 13 and 19 under the real engine, against the emulator: a namespace and two instances in it are
// created in graph order (an instance in a namespace that does not exist yet would be 7063) and
// destroyed in reverse (a namespace that still holds instances is 7066); a sync runs on create
// and on a trigger change, waits through a cooldown (7020, HTTP 429, Retry-After), and a
// failing job fails `pulumi up` with its reason; `pulumi preview` of those changes sends no
// request that changes anything (the emulator's request counts).
import * as pulumi from "@pulumi/pulumi";
import { AiSearchInstance, AiSearchNamespace, ServiceApiToken } from "../../provider";
import { recorder, startEngine, type Engine } from "./harness";
import { cf } from "../support/outOfBand";

jest.setTimeout(300_000);

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine("e2e-namespaces");
});
afterAll(async () => engine?.close());

const cfCall = (method: string, route: string, body?: unknown) => cf(engine.emulator, method, route, body);

interface StateResource {
  urn: string;
  type: string;
  dependencies?: string[];
  outputs?: Record<string, unknown>;
}

/** Requests per route that change something (anything but GET), from the emulator's counts. */
function writes(): Record<string, number> {
  const counts = engine.emulator.requestCounts() as unknown as Record<string, number>;
  return Object.fromEntries(
    Object.entries(counts).filter(([route, n]) => /^(POST|PUT|PATCH|DELETE) /.test(route) && n > 0),
  );
}

function jobStarts(): number {
  const counts = engine.emulator.requestCounts() as unknown as Record<string, number>;
  return Object.entries(counts)
    .filter(([route]) => route.startsWith("POST ") && route.endsWith("/jobs"))
    .reduce((sum, [, n]) => sum + n, 0);
}

it("namespace and instances in graph order, sync on create and on a trigger change, preview writes nothing, a failed job fails up", async () => {
  engine.emulator.configure({ jobDurationMs: 300, syncCooldownMs: 0 });
  let trigger = "v1";
  const program = async () => {
    const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
    const token = new ServiceApiToken("token", { accountId });
    const team = new AiSearchNamespace("team", { accountId, name: "e2e-team", description: "e2e" });
    const docs = new AiSearchInstance("docs", {
      accountId,
      instanceId: "e2e-docs",
      namespace: team,
      type: "r2",
      source: "docs-bucket",
      tokenId: token.id,
      sync: { onCreate: true, onChangeOf: trigger, waitSeconds: 60 },
    });
    new AiSearchInstance("site", {
      accountId,
      instanceId: "e2e-site",
      namespace: team,
      type: "web-crawler",
      source: "example.com",
      tokenId: token.id,
    });
    return { jobId: docs.lastSyncJobId, endReason: docs.lastSyncEndReason, stats: docs.stats };
  };
  const stack = await engine.stack("namespaces", program);

  // Create: the namespace first (the instances' creates would be 7063 otherwise), then a sync.
  const first = await stack.up(recorder(engine.output));
  expect(first.summary.result).toBe("succeeded");
  const state = engine.emulator.state();
  expect(state.namespaces.map((n) => n.name)).toContain("e2e-team");
  expect(state.instances.map((i) => [i.id, i.namespace]).sort()).toEqual([
    ["e2e-docs", "e2e-team"],
    ["e2e-site", "e2e-team"],
  ]);
  expect(jobStarts()).toBe(1);
  const firstJob = first.outputs.jobId!.value as string;
  expect(firstJob).toBeTruthy();
  expect(first.outputs.endReason!.value).toBe("completed");
  expect((first.outputs.stats!.value as { completed: number }).completed).toBeGreaterThan(0);

  const deployment = (await stack.exportStack()).deployment as { resources: StateResource[] };
  const nsUrn = deployment.resources.find((r) => r.type.endsWith("AiSearchNamespace"))!.urn;
  const instances = deployment.resources.filter((r) => r.type.endsWith("AiSearchInstance"));
  expect(instances).toHaveLength(2);
  for (const instance of instances) expect(instance.dependencies).toContain(nsUrn);

  // Preview of a trigger change: an update, and no request that changes anything.
  trigger = "v2";
  engine.emulator.resetRequestCounts();
  const preview = await stack.preview(recorder(engine.output));
  expect(preview.changeSummary.update).toBe(1);
  expect(writes()).toEqual({});

  // The change syncs again, waiting through a cooldown: the next start is refused once with the
  // emulator's own 7020 answer (a fault, so that the test does not depend on how long a preview takes).
  engine.emulator.addFault({
    method: "POST",
    path: "/accounts/*/ai-search/namespaces/*/instances/*/jobs",
    status: 429,
    code: 7020,
    message: "sync_in_cooldown",
    retryAfterSeconds: 1,
    times: 1,
  });
  engine.emulator.resetRequestCounts();
  const second = await stack.up(recorder(engine.output));
  expect(second.summary.result).toBe("succeeded");
  expect(jobStarts()).toBe(2); // one 7020, then the start
  expect(second.outputs.jobId!.value).not.toBe(firstJob);
  expect(second.outputs.endReason!.value).toBe("completed");
  expect(Object.keys(writes()).some((route) => route.startsWith("PUT "))).toBe(false);

  // A job that ends in error fails `pulumi up` with its reason, and the next up tries again.
  engine.emulator.configure({ jobOutcome: "error" });
  trigger = "v3";
  const output: string[] = [];
  await expect(stack.up(recorder(output))).rejects.toThrow();
  expect(output.join("")).toContain("the data source could not be read");
  const after = (await stack.exportStack()).deployment as { resources: StateResource[] };
  const docs = after.resources.find((r) => r.urn.endsWith("::docs"))!;
  expect(docs.outputs?.sync).toMatchObject({ onChangeOf: "v2" });
  expect(docs.outputs?.lastSyncEndReason).toContain("error");

  engine.emulator.configure({ jobOutcome: "success" });
  const retried = await stack.up(recorder(engine.output));
  expect(retried.summary.result).toBe("succeeded");
  expect(retried.outputs.endReason!.value).toBe("completed");

  // Destroy in reverse: instances, then the namespace (7066 otherwise), then the token.
  await stack.destroy(recorder(engine.output));
  const end = engine.emulator.state();
  expect(end.instances).toEqual([]);
  expect(end.namespaces.map((n) => n.name)).not.toContain("e2e-team");
  expect(end.aiSearchTokens).toEqual([]);
});

it("namespace changes move instances in place: to a renamed namespace, back to default, and one refused move", async () => {
  engine.emulator.configure({ jobOutcome: "success" });
  let name = "e2e-old";
  let target: "ns" | "default" | "taken" = "ns";
  const program = async () => {
    const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
    const token = new ServiceApiToken("token", { accountId });
    const ns = target === "ns" ? new AiSearchNamespace("ns", { accountId, name }) : undefined;
    // `default` is only ever adopted: read, never changed, left in place on destroy.
    new AiSearchNamespace("default", { accountId, name: "default", adopt: true });
    for (const id of ["e2e-one", "e2e-two"]) {
      const namespace = id === "e2e-one" && target === "taken" ? "e2e-taken" : (ns ?? "default");
      new AiSearchInstance(id, { accountId, instanceId: id, namespace, tokenId: token.id, maxNumResults: 5 });
    }
  };
  const stack = await engine.stack("rename", program);
  expect((await stack.up(recorder(engine.output))).summary.result).toBe("succeeded");
  const placed = () =>
    engine.emulator
      .state()
      .instances.map((i) => [i.id, i.namespace])
      .sort();
  expect(placed()).toEqual([
    ["e2e-one", "e2e-old"],
    ["e2e-two", "e2e-old"],
  ]);
  /** Each instance's public endpoint id (state) and creation time (emulator): a move keeps both. */
  const endpoints = async () => {
    const { resources } = (await stack.exportStack()).deployment as { resources: StateResource[] };
    const created = Object.fromEntries(engine.emulator.state().instances.map((i) => [i.id, i.created_at]));
    return resources
      .filter((r) => r.type.endsWith(":AiSearchInstance"))
      .map((r) => [
        r.outputs?.instanceId,
        r.outputs?.publicEndpointId,
        created[r.outputs?.instanceId as string],
      ])
      .sort();
  };
  const endpointIds = await endpoints();

  /** Runs `up` and returns the steps that changed something, in the order they finished. */
  const upWithSteps = async () => {
    const steps: string[] = [];
    const result = await stack.up({
      ...recorder(engine.output),
      onEvent: (event) => {
        const step = event.resOutputsEvent?.metadata;
        if (step && step.op !== "same") steps.push(`${step.op} ${step.urn.split("::").at(-1)}`);
      },
    });
    const at = (step: string) => {
      expect(steps).toContain(step);
      return steps.indexOf(step);
    };
    return { result, at };
  };

  // A rename replaces the namespace; the instances move (an update: `~ namespace`), keeping their
  // index and public endpoint id. The new namespace exists before the moves, and the old one is
  // deleted after them (it would be 7066 while it holds instances), with no dependsOn written.
  name = "e2e-new";
  const preview = await stack.preview(recorder(engine.output));
  expect(preview.changeSummary).toMatchObject({ replace: 1, update: 2 });
  const renamed = await upWithSteps();
  expect(renamed.result.summary.resourceChanges).toMatchObject({ replace: 1, update: 2 });
  expect(placed()).toEqual([
    ["e2e-one", "e2e-new"],
    ["e2e-two", "e2e-new"],
  ]);
  expect(await endpoints()).toEqual(endpointIds);
  expect(renamed.at("create-replacement ns")).toBeLessThan(renamed.at("update e2e-one"));
  expect(renamed.at("update e2e-one")).toBeLessThan(renamed.at("delete-replaced ns"));
  expect(renamed.at("update e2e-two")).toBeLessThan(renamed.at("delete-replaced ns"));
  const names = () => engine.emulator.state().namespaces.map((n) => n.name);
  expect(names()).toEqual(["default", "e2e-new"]);

  // Back to `default`, the namespace resource removed from the program: moved first, the empty
  // namespace deleted after.
  target = "default";
  const home = await upWithSteps();
  expect(home.result.summary.resourceChanges).toMatchObject({ update: 2, delete: 1 });
  expect(home.at("update e2e-one")).toBeLessThan(home.at("delete ns"));
  expect(placed()).toEqual([
    ["e2e-one", "default"],
    ["e2e-two", "default"],
  ]);
  expect(await endpoints()).toEqual(endpointIds);
  expect(names()).toEqual(["default"]);
  await stack.refresh({ ...recorder(engine.output), expectNoChanges: true });

  // A refused move: the target already holds an instance "e2e-one" (made outside the program).
  const accountPath = `/accounts/${engine.emulator.accountId}/ai-search`;
  await cfCall("POST", `${accountPath}/namespaces`, { name: "e2e-taken" });
  await cfCall("POST", `${accountPath}/namespaces/e2e-taken/instances`, { id: "e2e-one" });
  target = "taken";
  const output: string[] = [];
  await expect(stack.up(recorder(output))).rejects.toThrow();
  expect(output.join("")).toContain(
    'Cannot move AI Search instance "e2e-one" from namespace "default" to "e2e-taken"',
  );
  expect(output.join("")).toContain('already holds an instance with id "e2e-one"');
  // Nothing lost: the instance is still in `default`, and so is the state.
  const refused = (await stack.exportStack()).deployment as { resources: StateResource[] };
  expect(refused.resources.find((r) => r.urn.endsWith("::e2e-one"))?.outputs?.namespace).toBe("default");
  expect(placed()).toEqual([
    ["e2e-one", "default"],
    ["e2e-one", "e2e-taken"],
    ["e2e-two", "default"],
  ]);
  await cfCall("DELETE", `${accountPath}/namespaces/e2e-taken/instances/e2e-one`);
  await cfCall("DELETE", `${accountPath}/namespaces/e2e-taken`);

  target = "default";
  await stack.destroy(recorder(engine.output));
  expect(names()).toEqual(["default"]);
  expect(engine.emulator.state().instances).toEqual([]);
});

it("a sync that fails right after create keeps the instance in state, and the next up syncs it again", async () => {
  engine.emulator.configure({ jobOutcome: "error", jobDurationMs: 200, syncCooldownMs: 0 });
  const program = async () => {
    const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
    const token = new ServiceApiToken("token", { accountId });
    const docs = new AiSearchInstance("docs", {
      accountId,
      instanceId: "e2e-fresh",
      type: "r2",
      source: "fresh-bucket",
      tokenId: token.id,
      sync: { onCreate: true, waitSeconds: 30 },
    });
    return { endReason: docs.lastSyncEndReason };
  };
  const stack = await engine.stack("create-sync", program);
  const output: string[] = [];
  await expect(stack.up(recorder(output))).rejects.toThrow();
  expect(output.join("")).toContain("the data source could not be read");
  // Kept (not orphaned), recorded without `sync`, so that it counts as newly declared next time.
  const deployment = (await stack.exportStack()).deployment as { resources: StateResource[] };
  const docs = deployment.resources.find((r) => r.urn.endsWith("::docs"))!;
  expect(docs.outputs?.instanceId).toBe("e2e-fresh");
  expect(docs.outputs?.sync).toBeUndefined();
  expect(engine.emulator.state().instances.map((i) => i.id)).toEqual(["e2e-fresh"]);

  engine.emulator.configure({ jobOutcome: "success" });
  const retried = await stack.up(recorder(engine.output));
  expect(retried.summary.resourceChanges).toMatchObject({ update: 1 });
  expect(retried.outputs.endReason!.value).toBe("completed");
  // Only the failed create's job and the retry's.
  expect(engine.emulator.state().jobs.map((j) => j.end_reason)).toEqual([
    "error: the data source could not be read",
    "completed",
  ]);

  await stack.destroy(recorder(engine.output));
  expect(engine.emulator.state().instances).toEqual([]);
});

it("removing a namespace's publicEndpointParams turns it off and an instance's customDomains unbinds it; a type-less instance has no diff on the second up", async () => {
  let declared = true;
  const program = async () => {
    const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
    const token = new ServiceApiToken("token", { accountId });
    const ns = new AiSearchNamespace("ns", {
      accountId,
      name: "e2e-endpoint",
      ...(declared ? { publicEndpointParams: { enabled: true, customDomains: ["ns.example.com"] } } : {}),
    });
    // No `type`: the API infers "web-crawler" from the URL.
    new AiSearchInstance("site", {
      accountId,
      instanceId: "e2e-typeless",
      namespace: ns,
      source: "https://example.com/docs",
      tokenId: token.id,
      publicEndpointParams: declared
        ? { enabled: true, customDomains: ["search.example.com"] }
        : { enabled: true },
    });
  };
  const stack = await engine.stack("endpoint", program);
  expect((await stack.up(recorder(engine.output))).summary.result).toBe("succeeded");
  const namespace = () => engine.emulator.state().namespaces.find((n) => n.name === "e2e-endpoint")!;
  const site = () => engine.emulator.state().instances.find((i) => i.id === "e2e-typeless")!;
  expect(site().settings.type).toBe("web-crawler");
  expect(namespace().public_endpoint_params).toMatchObject({
    enabled: true,
    custom_domains: ["ns.example.com"],
  });

  // The type the API answered is in state; neither a second up nor a refresh sees a change.
  const again = await stack.up(recorder(engine.output));
  expect(again.summary.resourceChanges).not.toHaveProperty("update");
  expect(again.summary.resourceChanges).not.toHaveProperty("replace");
  const refreshed = await stack.refresh(recorder(engine.output));
  expect(refreshed.summary.resourceChanges).not.toHaveProperty("update");

  // Removed from the program: the namespace endpoint goes off, both domains are unbound.
  declared = false;
  const removed = await stack.up(recorder(engine.output));
  expect(removed.summary.resourceChanges).toMatchObject({ update: 2 });
  expect(namespace().public_endpoint_params).toEqual({ enabled: false, custom_domains: [] });
  expect(site().settings.public_endpoint_params).toEqual({ enabled: true, custom_domains: [] });

  await stack.destroy(recorder(engine.output));
  expect(engine.emulator.state().instances).toEqual([]);
});
