// ServiceApiToken where the engine's own handling is part of the behaviour: what a partial
// failure leaves in state, and the order of a create-before-delete replacement.
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import adoptExisting from "../../examples/adopt-existing";
import { ServiceApiToken } from "../../provider";
import { recorder, startEngine, type Engine } from "./harness";
import { cf as cfAs, registerByHand } from "../support/outOfBand";

jest.setTimeout(600_000);

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine("e2e-token");
});
afterAll(async () => engine?.close());
afterEach(() => {
  engine.emulator.clearFaults();
});

const accountId = () => new pulumi.Config("cloudflare-ai-search").require("accountId");
const mintedTokens = () => engine.emulator.state().apiTokens.filter((t) => !t.bootstrap);

function expectEmulatorClean() {
  const state = engine.emulator.state();
  expect(state.aiSearchTokens).toEqual([]);
  expect(mintedTokens()).toEqual([]);
}

const cf = <T>(method: string, path: string, body?: unknown) => cfAs<T>(engine.emulator, method, path, body);
const handmadeRegistration = (name: string) => registerByHand(engine.emulator, name);

/** The outputs of one resource as the state holds them, secrets in plaintext (`--show-secrets`). */
async function storedOutputs(stack: Stack, type: string): Promise<Record<string, unknown>> {
  const deployment = await stack.exportStack();
  const resources = (deployment.deployment as { resources?: { type: string; outputs?: object }[] }).resources;
  const found = (resources ?? []).find((r) => r.type.endsWith(type));
  return (found?.outputs ?? {}) as Record<string, unknown>;
}

describe("pulumi preview --diff of token changes", () => {
  const shape: { name?: string; rotationTrigger?: string; permissionGroups?: string[] } = {};
  let stack: Stack;

  beforeAll(async () => {
    stack = await engine.stack("preview-diff", async () => {
      const token = new ServiceApiToken("token", { accountId: accountId(), ...shape });
      return { tokenId: token.id };
    });
    expect((await stack.up(recorder(engine.output))).summary.result).toBe("succeeded");
  });
  afterAll(async () => {
    await stack.destroy(recorder(engine.output));
  });

  /** The text of `pulumi preview --diff` with the program shaped by `change` (the state stays as it is). */
  async function previewDiff(change: typeof shape): Promise<string> {
    for (const key of Object.keys(shape)) delete shape[key as keyof typeof shape];
    Object.assign(shape, change);
    const lines: string[] = [];
    await stack.preview({ diff: true, onOutput: (line) => lines.push(line) });
    return lines.join("");
  }

  // Fields the provider keeps for itself (a mint marker, earlier versions' notInState): never a change to read.
  const INTERNAL = /mintMarker|notInState|__[A-Za-z]/;

  it.each([
    ["a rename", { name: "Renamed" }, /~ name\s*:\s*"AI Search Service API Token" => "Renamed"/],
    ["a rotation", { rotationTrigger: "r1" }, /\+ rotationTrigger\s*:\s*"r1"/],
    [
      "a permission change (a replacement)",
      { permissionGroups: ["AI Search Index Engine", "Workers R2 Storage Write"] },
      /\+ \[1\]: "Workers R2 Storage Write"/,
    ],
  ])("%s shows the user's change and no internal field", async (_what, change, shown) => {
    const text = await previewDiff(change);
    expect(text).toMatch(shown);
    expect(text).not.toMatch(INTERNAL);
  });
});

describe("a rotation whose AI Search PUT fails", () => {
  const shape: { rotationTrigger?: string } = {};
  let stack: Stack;

  beforeAll(async () => {
    stack = await engine.stack("rotation-fails", async () => {
      const token = new ServiceApiToken("token", { accountId: accountId(), ...shape });
      return { tokenId: token.id, value: token.value };
    });
  });

  it("stores the rolled secret (as a secret) and the provider, so refresh, up and destroy still work", async () => {
    const first = await stack.up(recorder(engine.output));
    expect(first.summary.result).toBe("succeeded");
    const oldValue = first.outputs.value!.value as string;

    // The roll succeeds; every PUT of the registration is refused with 7012 past its retries.
    engine.emulator.addFault({
      method: "PUT",
      path: "/accounts/*/ai-search/tokens/*",
      status: 400,
      code: 7012,
    });
    shape.rotationTrigger = "rotation-1";
    await expect(stack.up(recorder(engine.output))).rejects.toThrow(/7012/);
    engine.emulator.clearFaults();

    const stored = await storedOutputs(stack, "ServiceApiToken");
    expect(stored.__provider).toEqual(expect.any(String));
    expect(stored.registrationStale).toBe(true);
    // A secret in an export with --show-secrets: { <signature>, plaintext: "<JSON of the value>" }.
    const rolledValue = JSON.parse((stored.value as { plaintext: string }).plaintext) as string;
    expect(rolledValue).not.toBe("");
    expect(rolledValue).not.toBe(oldValue);
    for (const file of engine.stateFiles()) expect(fs.readFileSync(file, "utf8")).not.toContain(rolledValue);

    await stack.refresh(recorder(engine.output));
    const repaired = await stack.up(recorder(engine.output));
    expect(repaired.summary.result).toBe("succeeded");
    expect(repaired.outputs.value!.value).toBe(rolledValue);
    expect(repaired.outputs.value!.secret).toBe(true);

    await stack.destroy(recorder(engine.output));
    expectEmulatorClean();
  });

  it("refresh and destroy straight after the failed rotation succeed and leave nothing", async () => {
    shape.rotationTrigger = undefined;
    await stack.up(recorder(engine.output));
    engine.emulator.addFault({ method: "PUT", path: "/accounts/*/ai-search/tokens/*", status: 503 });
    shape.rotationTrigger = "rotation-2";
    await expect(stack.up(recorder(engine.output))).rejects.toThrow(/503/);
    engine.emulator.clearFaults();

    await stack.refresh(recorder(engine.output));
    await stack.destroy(recorder(engine.output));
    expectEmulatorClean();
  });
});

describe("adoption by a name other than the default", () => {
  it("examples/adopt-existing with existingTokenName settles: the next up changes nothing, destroy leaves it", async () => {
    const team = await handmadeRegistration("Team token");
    await cf("POST", `/accounts/${engine.emulator.accountId}/ai-search/instances`, {
      id: "team-docs",
      type: "r2",
      source: "team-bucket",
      token_id: team.id,
    });
    const stack = await engine.stack("adopt-by-name", adoptExisting, {
      "cloudflare-ai-search:existingTokenName": { value: "Team token" },
      "cloudflare-ai-search:existingInstanceId": { value: "team-docs" },
      "cloudflare-ai-search:existingInstanceSource": { value: "team-bucket" },
    });
    const up = await stack.up(recorder(engine.output));
    expect(up.outputs.tokenId!.value).toBe(team.id);
    await stack.up({ ...recorder(engine.output), expectNoChanges: true });
    await stack.refresh({ ...recorder(engine.output), expectNoChanges: true });
    await stack.preview({ ...recorder(engine.output), expectNoChanges: true });
    expect(engine.emulator.state().aiSearchTokens.map((t) => t.name)).toEqual(["Team token"]);

    await stack.destroy(recorder(engine.output));
    expect(engine.emulator.state().aiSearchTokens.map((t) => t.id)).toEqual([team.id]);
    expect(engine.emulator.state().instances.map((i) => i.id)).toEqual(["team-docs"]);
    engine.emulator.reset();
  });
});

describe("an adopted registration with deleteOnDestroy", () => {
  it("a changed adopt target naming the same registration, or new permissionGroups, never delete it", async () => {
    const team = await handmadeRegistration("Shared token");
    const shape: {
      adopt: { id?: string; name?: string; deleteOnDestroy: boolean };
      permissionGroups?: string[];
    } = { adopt: { name: "Shared token", deleteOnDestroy: true } };
    const stack = await engine.stack("adopt-delete-on-destroy", async () => {
      const token = new ServiceApiToken("shared", { accountId: accountId(), ...shape });
      return { tokenId: token.id };
    });
    expect((await stack.up(recorder(engine.output))).outputs.tokenId!.value).toBe(team.id);

    // The same registration, now by id, and permission groups that only a minted token would use.
    shape.adopt = { id: team.id, deleteOnDestroy: true };
    shape.permissionGroups = ["AI Search Index Engine", "Workers R2 Storage Write"];
    const up = await stack.up(recorder(engine.output));
    expect(engine.emulator.state().aiSearchTokens.map((t) => t.id)).toEqual([team.id]);
    expect(up.outputs.tokenId!.value).toBe(team.id);
    expect(up.summary.resourceChanges?.replace ?? 0).toBe(0);
    await stack.preview({ ...recorder(engine.output), expectNoChanges: true });

    // deleteOnDestroy still means what it says.
    await stack.destroy(recorder(engine.output));
    expect(engine.emulator.state().aiSearchTokens).toEqual([]);
    engine.emulator.reset();
  });
});

describe("a registration lost out of band", () => {
  it("preview --refresh and refresh revoke nothing; the next up replaces it and revokes the orphan", async () => {
    const stack = await engine.stack("lost-registration", async () => {
      const token = new ServiceApiToken("token", { accountId: accountId() });
      return { tokenId: token.id, cfApiId: token.cfApiId };
    });
    const first = await stack.up(recorder(engine.output));
    const lostId = first.outputs.tokenId!.value as string;
    const orphan = first.outputs.cfApiId!.value as string;
    const res = await fetch(`${engine.emulator.adminUrl}/ai-search/tokens/${lostId}`, { method: "DELETE" });
    expect(res.status).toBe(200);

    await stack.preview({ ...recorder(engine.output), refresh: true });
    expect(mintedTokens().map((t) => [t.id, t.status])).toEqual([[orphan, "active"]]);
    await stack.refresh(recorder(engine.output));
    expect(mintedTokens().map((t) => [t.id, t.status])).toEqual([[orphan, "active"]]);
    expect(engine.output.join("")).toContain(`the API token ${orphan} minted for it is still live`);

    const repaired = await stack.up(recorder(engine.output));
    expect(repaired.summary.resourceChanges).toMatchObject({ replace: 1 });
    expect(mintedTokens().map((t) => t.id)).toEqual([repaired.outputs.cfApiId!.value]);
    await stack.destroy(recorder(engine.output));
    expectEmulatorClean();
  });
});
