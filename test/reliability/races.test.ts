// Races (issue 12): two stacks of one project in one account, their `pulumi up` run at the same
// moment under the real engine, against one emulator. Two that adopt the account's token by name,
// two that both mint, and one that adopts while the other mints: each pair ends with what the
// README's "Two stacks in one account" promises, and each stack's destroy leaves the other stack's
// instance working (its registration enabled, its API token active, no token problem).
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { recorder, startEngine, type Engine } from "../e2e/harness";
import { inventory, type AccountInventory } from "../support/accountAudit";
import { registerServiceToken } from "../emulator/helpers";
import { tokenWithInstance } from "../support/tokenWithInstance";

jest.setTimeout(20 * 60_000);

/** The README's default registration name. */
const DEFAULT_NAME = "AI Search Service API Token";

/**
 * One program for every stack, steered by its `race:*` config: a token (adopted by `adoptName` or
 * `adoptId`, else minted under `name`) and, with `instance` set, one r2 instance using it.
 */
const program = async () => {
  const cfg = new pulumi.Config("race");
  const adoptName = cfg.get("adoptName");
  const adoptId = cfg.get("adoptId");
  const deleteOnDestroy = cfg.getBoolean("deleteOnDestroy") ?? false;
  const name = cfg.get("name");
  const instanceId = cfg.get("instance");
  const token = tokenWithInstance(
    {
      ...(name ? { name } : {}),
      ...(adoptId ? { adopt: { id: adoptId, deleteOnDestroy } } : {}),
      ...(adoptName ? { adopt: { name: adoptName, deleteOnDestroy } } : {}),
    },
    instanceId ? { instanceId, source: `${instanceId}-bucket`, maxNumResults: 10 } : undefined,
  );
  return { tokenId: token.id, cfApiId: token.cfApiId, adopted: token.adopted, minted: token.minted };
};

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine("reliability-races");
});
afterAll(async () => {
  await engine?.close();
});
beforeEach(() => engine.emulator.reset());

async function raceStack(name: string, config: Record<string, string>): Promise<Stack> {
  const stack = await engine.stack(name, program);
  for (const [key, value] of Object.entries(config)) await stack.setConfig(`race:${key}`, { value });
  return stack;
}

interface Outputs {
  tokenId: string;
  cfApiId: string;
  adopted: boolean;
  minted: boolean;
}
async function up(stack: Stack): Promise<Outputs> {
  const result = await stack.up(recorder(engine.output));
  expect(result.summary.result).toBe("succeeded");
  const o = result.outputs;
  return {
    tokenId: o.tokenId?.value as string,
    cfApiId: o.cfApiId?.value as string,
    adopted: o.adopted?.value as boolean,
    minted: o.minted?.value as boolean,
  };
}

/** Runs `up` of both stacks at once; each settles on its own (one failing does not stop the other). */
async function raceUps(
  a: Stack,
  b: Stack,
): Promise<[PromiseSettledResult<Outputs>, PromiseSettledResult<Outputs>]> {
  const [ra, rb] = await Promise.allSettled([up(a), up(b)]);
  return [ra, rb];
}

function fulfilled(r: PromiseSettledResult<Outputs>): Outputs {
  if (r.status === "rejected") throw r.reason;
  return r.value;
}

/** The instance `id` as the emulator holds it: the registration it uses, and whether that still works. */
function instanceUsing(id: string): { token: string | undefined; how: string | undefined; problem: unknown } {
  const i = engine.emulator.state().instances.find((x) => x.id === id);
  if (!i) throw new Error(`instance ${id} is gone`);
  return { token: i.token?.id, how: i.token?.how, problem: i.token_problem };
}

/** The instance as any API client reads it: 200 and not in `error`. */
async function readable(id: string): Promise<{ status: number; instanceStatus?: string }> {
  const emu = engine.emulator;
  const res = await fetch(`${emu.url}/accounts/${emu.accountId}/ai-search/instances/${id}`, {
    headers: { authorization: `Bearer ${emu.apiToken}` },
  });
  const body = (await res.json()) as { result?: { status?: string } };
  return { status: res.status, ...(body.result?.status ? { instanceStatus: body.result.status } : {}) };
}

async function destroy(stack: Stack): Promise<void> {
  const result = await stack.destroy(recorder(engine.output));
  expect(result.summary.result).toBe("succeeded");
}

/**
 * The account holds exactly these registrations, API tokens (the bootstrap token aside) and
 * instances (`namespace/id`), in any order, and all of them work: no API token that no
 * registration holds, no broken registration, no instance that lost its token.
 */
function expectAccountHolds(
  holds: Pick<AccountInventory, "registrations" | "apiTokens" | "instances">,
): void {
  // inventory() sorts each list; sorting what is expected makes the order the caller's to choose.
  const sorted = (ids: string[]) => [...ids].sort();
  expect(inventory(engine.emulator)).toEqual({
    registrations: sorted(holds.registrations),
    apiTokens: sorted(holds.apiTokens),
    instances: sorted(holds.instances),
    unregisteredApiTokens: [],
    brokenRegistrations: [],
    brokenInstances: [],
  });
}

/**
 * The last of two adopting stacks is destroyed: the account keeps the token it had before either
 * stack (adopted, so never deleted) and nothing else; then both stacks are removed.
 */
async function destroyLastKeepingTheAccountsToken(
  last: Stack,
  other: Stack,
  existing: { aiSearchTokenId: string; apiTokenId: string },
): Promise<void> {
  await destroy(last);
  expectAccountHolds({
    registrations: [existing.aiSearchTokenId],
    apiTokens: [existing.apiTokenId],
    instances: [],
  });
  await other.workspace.removeStack(other.name);
  await last.workspace.removeStack(last.name);
}

describe("two stacks adopt the account's token by name at the same moment", () => {
  it("both hold the one registration, nothing is duplicated, and each destroy leaves it and the other's instance working", async () => {
    const existing = await registerServiceToken(engine.emulator, "shared-service-token");
    const a = await raceStack("adopt-a", { adoptName: "shared-service-token", instance: "race-adopt-a" });
    const b = await raceStack("adopt-b", { adoptName: "shared-service-token", instance: "race-adopt-b" });

    const [ra, rb] = await raceUps(a, b);
    const outA = fulfilled(ra);
    const outB = fulfilled(rb);
    expect(outA).toEqual({
      tokenId: existing.aiSearchTokenId,
      cfApiId: existing.apiTokenId,
      adopted: true,
      minted: false,
    });
    expect(outB).toEqual(outA);
    expectAccountHolds({
      registrations: [existing.aiSearchTokenId],
      apiTokens: [existing.apiTokenId],
      instances: ["default/race-adopt-a", "default/race-adopt-b"],
    });
    expect(instanceUsing("race-adopt-a")).toEqual({
      token: existing.aiSearchTokenId,
      how: "explicit",
      problem: null,
    });
    expect(instanceUsing("race-adopt-b")).toEqual({
      token: existing.aiSearchTokenId,
      how: "explicit",
      problem: null,
    });

    // A's destroy deletes A's instance and leaves the adopted registration (deleteOnDestroy false).
    await destroy(a);
    expectAccountHolds({
      registrations: [existing.aiSearchTokenId],
      apiTokens: [existing.apiTokenId],
      instances: ["default/race-adopt-b"],
    });
    expect(instanceUsing("race-adopt-b")).toEqual({
      token: existing.aiSearchTokenId,
      how: "explicit",
      problem: null,
    });
    expect(await readable("race-adopt-b")).toEqual({ status: 200, instanceStatus: "waiting" });

    // B's likewise: the account keeps its token, as it had before either stack.
    await destroyLastKeepingTheAccountsToken(b, a, existing);
  });

  it("a stack adopting with deleteOnDestroy cannot delete the registration while the other stack's instance uses it", async () => {
    const existing = await registerServiceToken(engine.emulator, "shared-service-token");
    const a = await raceStack("owner-a", {
      adoptName: "shared-service-token",
      deleteOnDestroy: "true",
      instance: "race-owner-a",
    });
    const b = await raceStack("owner-b", { adoptName: "shared-service-token", instance: "race-owner-b" });
    const [ra, rb] = await raceUps(a, b);
    expect(fulfilled(ra).tokenId).toBe(existing.aiSearchTokenId);
    expect(fulfilled(rb).tokenId).toBe(existing.aiSearchTokenId);

    // A's destroy deletes A's own instance, then its token delete refuses, naming B's instance.
    const output: string[] = [];
    await expect(a.destroy(recorder(output))).rejects.toThrow();
    const printed = output.join("");
    expect(printed).toContain(`Not deleting AI Search token ${existing.aiSearchTokenId}`);
    expect(printed).toContain("default/race-owner-b (r2)");
    expect(printed).toContain("set adopt.deleteOnDestroy to false");
    expectAccountHolds({
      registrations: [existing.aiSearchTokenId],
      apiTokens: [existing.apiTokenId],
      instances: ["default/race-owner-b"],
    });
    expect(await readable("race-owner-b")).toEqual({ status: 200, instanceStatus: "waiting" });

    // What the README tells the user to do: stop deleting it on destroy (state only, no call to the
    // token's routes), and destroy again. The registration stays for B.
    await a.setConfig("race:deleteOnDestroy", { value: "false" });
    engine.emulator.resetRequestCounts();
    await up(a);
    const counts = engine.emulator.requestCounts() as Record<string, number>;
    expect(Object.keys(counts).filter((k) => /\/tokens\b/.test(k))).toEqual([]);
    await destroy(a);
    expect(instanceUsing("race-owner-b")).toEqual({
      token: existing.aiSearchTokenId,
      how: "explicit",
      problem: null,
    });
    expect(inventory(engine.emulator).brokenInstances).toEqual([]);
    expect(inventory(engine.emulator).registrations).toEqual([existing.aiSearchTokenId]);

    await destroyLastKeepingTheAccountsToken(b, a, existing);
  });
});

describe("two stacks mint at the same moment", () => {
  it("each mints and registers its own token; a third adopting by the shared name is refused; each destroy leaves the other working", async () => {
    const a = await raceStack("mint-a", { instance: "race-mint-a" });
    const b = await raceStack("mint-b", { instance: "race-mint-b" });
    const [ra, rb] = await raceUps(a, b);
    const outA = fulfilled(ra);
    const outB = fulfilled(rb);
    expect([outA.minted, outA.adopted, outB.minted, outB.adopted]).toEqual([true, false, true, false]);
    expect(outA.tokenId).not.toBe(outB.tokenId);
    expect(outA.cfApiId).not.toBe(outB.cfApiId);

    const state = engine.emulator.state();
    // Two registrations under the README's default name, each holding its stack's own API token,
    // whose names differ by the stack's marker.
    expect(state.aiSearchTokens.map((r) => [r.id, r.name, r.cf_api_id]).sort()).toEqual(
      [
        [outA.tokenId, DEFAULT_NAME, outA.cfApiId],
        [outB.tokenId, DEFAULT_NAME, outB.cfApiId],
      ].sort(),
    );
    const names = state.apiTokens.filter((t) => !t.bootstrap).map((t) => t.name);
    expect(names).toHaveLength(2);
    for (const n of names) expect(n).toMatch(/^AI Search Service API Token \(pulumi [0-9a-f]{16}\)$/);
    expect(new Set(names).size).toBe(2);
    expectAccountHolds({
      registrations: [outA.tokenId, outB.tokenId],
      apiTokens: [outA.cfApiId, outB.cfApiId],
      instances: ["default/race-mint-a", "default/race-mint-b"],
    });
    expect(instanceUsing("race-mint-a")).toEqual({ token: outA.tokenId, how: "explicit", problem: null });
    expect(instanceUsing("race-mint-b")).toEqual({ token: outB.tokenId, how: "explicit", problem: null });

    // A third stack adopting by that name cannot tell the two apart: it fails before creating
    // anything, naming both ids and the fix.
    const c = await raceStack("mint-c", { adoptName: DEFAULT_NAME, instance: "race-mint-c" });
    const output: string[] = [];
    await expect(c.up(recorder(output))).rejects.toThrow();
    const printed = output.join("");
    expect(printed).toContain(`2 AI Search tokens are named "${DEFAULT_NAME}"`);
    expect(printed).toContain(outA.tokenId);
    expect(printed).toContain(outB.tokenId);
    expect(printed).toContain("adopt: { id:");
    expect(inventory(engine.emulator).instances).toEqual(["default/race-mint-a", "default/race-mint-b"]);
    expect(inventory(engine.emulator).registrations).toHaveLength(2);
    // With the id, as the message says, it adopts B's.
    await c.setConfig("race:adoptId", { value: outB.tokenId });
    await c.removeConfig("race:adoptName");
    expect(await up(c)).toEqual({ ...outB, adopted: true, minted: false });
    await destroy(c);

    // A's destroy removes A's instance, registration and API token, and nothing of B's.
    await destroy(a);
    expectAccountHolds({
      registrations: [outB.tokenId],
      apiTokens: [outB.cfApiId],
      instances: ["default/race-mint-b"],
    });
    expect(instanceUsing("race-mint-b")).toEqual({ token: outB.tokenId, how: "explicit", problem: null });
    expect(await readable("race-mint-b")).toEqual({ status: 200, instanceStatus: "waiting" });

    // B's destroy leaves the account with nothing but the bootstrap token.
    await destroy(b);
    expectAccountHolds({ registrations: [], apiTokens: [], instances: [] });
    for (const s of [a, b, c]) await s.workspace.removeStack(s.name);
  });
});

/**
 * Which of the two calls that decide the race is slowed down (once), to lean the race one way: the
 * minter's registration (the adopter then most likely lists before it exists), or the adopter's
 * list of registrations (the minter then most likely registers first). Either outcome is accepted
 * in both: the order still depends on the machine.
 */
const LEANS = [
  ["the minter's registration is slow", "reg", { method: "POST", path: "/accounts/*/ai-search/tokens" }],
  ["the adopter's list is slow", "list", { method: "GET", path: "/accounts/*/ai-search/tokens" }],
] as const;

describe("one stack adopts by name while the other mints that name", () => {
  it.each(LEANS)(
    "%s: the adopter adopts the new registration or fails cleanly; nothing is orphaned either way",
    async (_lean, key, slow) => {
      const name = "race-shared-name";
      const minter = await raceStack(`${key}-minter`, { name, instance: "race-minter" });
      const adopter = await raceStack(`${key}-adopter`, { adoptName: name, instance: "race-adopter" });
      engine.emulator.addFault({ ...slow, delayMs: 10_000, times: 1 });
      const [rm, ra] = await raceUps(minter, adopter);
      engine.emulator.clearFaults();
      const minted = fulfilled(rm);
      expect(minted).toMatchObject({ minted: true, adopted: false });

      if (ra.status === "fulfilled") {
        // The registration existed by the time the adopter listed them: it took that one over.
        expect(ra.value).toEqual({ ...minted, adopted: true, minted: false });
        expect(instanceUsing("race-adopter")).toEqual({
          token: minted.tokenId,
          how: "explicit",
          problem: null,
        });
      } else {
        // Not yet: the adoption failed before anything was created, naming the name and the fix.
        const message = String(ra.reason);
        expect(message).toContain(`adopt.name: no AI Search token named "${name}"`);
        expect(message).toContain("remove adopt to create one");
        expect(inventory(engine.emulator).instances).toEqual(["default/race-minter"]);
        // Rerun once the other stack's token exists: it adopts it.
        expect(await up(adopter)).toEqual({ ...minted, adopted: true, minted: false });
      }
      expectAccountHolds({
        registrations: [minted.tokenId],
        apiTokens: [minted.cfApiId],
        instances: ["default/race-adopter", "default/race-minter"],
      });

      // The minter owns the token: its destroy refuses while the adopter's instance uses it...
      const output: string[] = [];
      await expect(minter.destroy(recorder(output))).rejects.toThrow();
      expect(output.join("")).toContain("default/race-adopter (r2)");
      expect(inventory(engine.emulator).brokenInstances).toEqual([]);
      // ...so the adopter goes first (leaving the token), then the minter's destroy removes it.
      await destroy(adopter);
      expect(inventory(engine.emulator).registrations).toEqual([minted.tokenId]);
      await destroy(minter);
      expectAccountHolds({ registrations: [], apiTokens: [], instances: [] });
      for (const s of [minter, adopter]) await s.workspace.removeStack(s.name);
    },
  );
});
