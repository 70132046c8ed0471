// Pulumi's program-test checklist, under the real engine against the emulator: preview, up, an
// up and a refresh with no changes, out-of-band deletion repaired (refresh revoking nothing), rename, rotation, an owner
// change that replaces the token and re-points its instances, adoption by a second stack, a
// destroy that leaves nothing, and no secret in any output or in the exported state.
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { AiSearchInstance, ServiceApiToken } from "../../provider";
import { recorder, startEngine, type Engine } from "./harness";

jest.setTimeout(600_000);

/** What the program builds; tests change it between runs. */
interface Shape {
  name?: string;
  owner?: "account" | "user";
  rotationTrigger?: string;
}

let engine: Engine;
let stack: Stack;
const shape: Shape = {};
const secrets = new Set<string>();

function program() {
  return async () => {
    const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
    const token = new ServiceApiToken("token", { accountId, ...shape });
    const docs = new AiSearchInstance("docs", {
      accountId,
      instanceId: "e2e-docs",
      type: "r2",
      source: "docs-bucket",
      tokenId: token.id,
    });
    const wiki = new AiSearchInstance("wiki", {
      accountId,
      instanceId: "e2e-wiki",
      type: "r2",
      source: "wiki-bucket",
      tokenId: token.id,
    });
    return { tokenId: token.id, cfApiId: token.cfApiId, value: token.value, docs: docs.id, wiki: wiki.id };
  };
}

/** The secret outputs and the management token, remembered for the final scans. */
function remember(outputs: Record<string, { value: unknown; secret: boolean }>) {
  for (const output of Object.values(outputs)) {
    if (output.secret && typeof output.value === "string") secrets.add(output.value);
  }
}

async function up(): Promise<Awaited<ReturnType<Stack["up"]>>> {
  const result = await stack.up(recorder(engine.output));
  expect(result.summary.result).toBe("succeeded");
  remember(result.outputs);
  return result;
}

const tokenIds = () => engine.emulator.state().aiSearchTokens.map((t) => t.id);
const instanceIds = () =>
  engine.emulator
    .state()
    .instances.map((i) => i.id)
    .sort();
const mintedTokens = () => engine.emulator.state().apiTokens.filter((t) => !t.bootstrap);

async function cf(method: string, path: string): Promise<number> {
  const res = await fetch(`${engine.emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${engine.emulator.apiToken}` },
  });
  await res.arrayBuffer();
  return res.status;
}

/** The emulator's admin API: out-of-band changes the real API would refuse. */
async function admin(method: string, path: string): Promise<number> {
  const res = await fetch(`${engine.emulator.adminUrl}${path}`, { method });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  engine = await startEngine("e2e-lifecycle");
  secrets.add(engine.emulator.apiToken);
  stack = await engine.stack("lifecycle", program());
});
afterAll(async () => engine?.close());

describe("the token and its instances under the real engine", () => {
  it("1. preview shows the creates and no secret", async () => {
    const preview = await stack.preview(recorder(engine.output));
    expect(preview.changeSummary.create).toBe(4); // stack, token, two instances
    expect(engine.emulator.state().aiSearchTokens).toEqual([]); // preview changed nothing
  });

  it("2. up creates the token first, then the instances; a second up and a refresh change nothing", async () => {
    const result = await up();
    expect(result.summary.resourceChanges?.create).toBe(4);
    expect(tokenIds()).toEqual([result.outputs.tokenId!.value]);
    expect(instanceIds()).toEqual(["e2e-docs", "e2e-wiki"]);
    expect(result.outputs.value!.secret).toBe(true);

    await stack.up({ ...recorder(engine.output), expectNoChanges: true });
    await stack.refresh({ ...recorder(engine.output), expectNoChanges: true });
    await stack.preview({ ...recorder(engine.output), expectNoChanges: true });
  });

  it("3a. refresh and up repair an out-of-band deletion of the registration and of an instance", async () => {
    const accountId = engine.emulator.accountId;
    const before = (await stack.outputs()).tokenId!.value as string;
    expect(await cf("DELETE", `/accounts/${accountId}/ai-search/instances/e2e-wiki`)).toBe(200);
    // The API refuses to delete a registration that an instance still uses (7076); the emulator's
    // admin route does it anyway, as a lost registration would look.
    expect(await cf("DELETE", `/accounts/${accountId}/ai-search/tokens/${before}`)).toBe(409);
    expect(await admin("DELETE", `/ai-search/tokens/${before}`)).toBe(200);

    const lostCfApiId = (await stack.outputs()).cfApiId!.value as string;
    const refresh = await stack.refresh(recorder(engine.output));
    expect(refresh.summary.resourceChanges).toMatchObject({ delete: 1, update: 1 }); // wiki gone; token marked
    // A refresh changes nothing in the account: the token minted for the lost registration is still live.
    expect(mintedTokens().map((t) => t.id)).toEqual([lostCfApiId]);
    const result = await up();
    // The token is replaced (its delete revokes the orphan), wiki created, docs re-pointed.
    expect(result.summary.resourceChanges).toMatchObject({ replace: 1, create: 1, update: 1 });
    expect(tokenIds()).toEqual([result.outputs.tokenId!.value]);
    expect(instanceIds()).toEqual(["e2e-docs", "e2e-wiki"]);
    expect(mintedTokens().map((t) => t.id)).toEqual([result.outputs.cfApiId!.value]);
    await stack.preview({ ...recorder(engine.output), expectNoChanges: true });
  });

  it("3b. a revoked underlying token shows as drift that up repairs in place, keeping the token id", async () => {
    const before = await stack.outputs();
    expect(engine.emulator.setTokenStatus(before.cfApiId!.value as string, "revoked (exposed)")).toBe(true);
    await stack.refresh(recorder(engine.output));
    const result = await up();
    expect(result.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(result.outputs.tokenId!.value).toBe(before.tokenId!.value);
    expect(result.outputs.cfApiId!.value).not.toBe(before.cfApiId!.value);
    expect(mintedTokens().map((t) => t.status)).toEqual(["active"]); // the revoked one is gone
    await stack.preview({ ...recorder(engine.output), expectNoChanges: true });
  });

  it("4a. a rename updates the token in place", async () => {
    const before = (await stack.outputs()).tokenId!.value as string;
    shape.name = "Renamed service token";
    const result = await up();
    expect(result.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(result.outputs.tokenId!.value).toBe(before);
    expect(engine.emulator.state().aiSearchTokens[0]!.name).toBe("Renamed service token");
  });

  it("4b. a new rotationTrigger rotates the secret with the same token id and no instance change", async () => {
    const before = await stack.outputs();
    shape.rotationTrigger = "rotation-1";
    const result = await up();
    expect(result.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(result.outputs.tokenId!.value).toBe(before.tokenId!.value);
    expect(result.outputs.cfApiId!.value).toBe(before.cfApiId!.value);
    expect(result.outputs.value!.value).not.toBe(before.value!.value);
    await stack.preview({ ...recorder(engine.output), expectNoChanges: true });
  });

  it("4c. an owner change replaces the token; the instances move to the new one before the old is deleted", async () => {
    const before = (await stack.outputs()).tokenId!.value as string;
    shape.owner = "user";
    const result = await up();
    expect(result.summary.resourceChanges).toMatchObject({ replace: 1, update: 2 });
    expect(result.outputs.tokenId!.value).not.toBe(before);
    expect(tokenIds()).toEqual([result.outputs.tokenId!.value]);
    expect(mintedTokens().map((t) => t.owner.type)).toEqual(["user"]);
    expect(instanceIds()).toEqual(["e2e-docs", "e2e-wiki"]);
  });

  it("5. a second stack adopts the token; destroying it leaves the token and the instances", async () => {
    const tokenId = (await stack.outputs()).tokenId!.value as string;
    const adopter = await engine.stack("adopter", async () => {
      const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
      const token = new ServiceApiToken("adopted", { accountId, adopt: { id: tokenId } });
      return { tokenId: token.id, adopted: token.adopted };
    });
    const result = await adopter.up(recorder(engine.output));
    expect(result.outputs).toMatchObject({ tokenId: { value: tokenId }, adopted: { value: true } });
    expect(tokenIds()).toEqual([tokenId]); // no duplicate

    await adopter.destroy(recorder(engine.output));
    expect(tokenIds()).toEqual([tokenId]);
    expect(instanceIds()).toEqual(["e2e-docs", "e2e-wiki"]);
    await stack.refresh({ ...recorder(engine.output), expectNoChanges: true });
  });

  it("6. destroy leaves no token, registration or instance behind", async () => {
    await stack.destroy(recorder(engine.output));
    const state = engine.emulator.state();
    expect(state.aiSearchTokens).toEqual([]);
    expect(state.instances).toEqual([]);
    expect(mintedTokens()).toEqual([]);
  });

  it("7. no secret appears in the stored state, in `pulumi stack export` or in any command's output", async () => {
    // Recreate, so the state holds live resources with secrets in them.
    const result = await up();
    const stored = engine.stateFiles().map((f) => fs.readFileSync(f, "utf8"));
    // Without --show-secrets: what a person (or a CI log) sees of the state.
    const exported = engine.cli(["stack", "export", "--stack", "lifecycle"], stack);
    const printed = engine.output.join("");
    expect(secrets.size).toBeGreaterThanOrEqual(4); // management token + three service-token values
    expect(stored.length).toBeGreaterThan(0);
    for (const secret of [...secrets, result.outputs.value!.value as string]) {
      for (const text of [...stored, exported, printed]) expect(text).not.toContain(secret);
    }
    expect(exported).toContain("4dabf18193072939515e22adb298388d"); // Pulumi's secret signature is there
    await stack.destroy(recorder(engine.output));
  });
});
