// A killed run: `pulumi up` and `pulumi destroy` of a real project folder, SIGKILLed (the CLI, the
// language host and the dynamic provider host together, as when a CI runner dies) at a precise
// point: the emulator holds one call, the test waits until it arrived, then kills the CLI's
// process group and every process below it (the CLI starts its plugins in groups of their own).
// The "Interrupted runs" recipe's steps are then followed literally, and the emulator must hold
// exactly what the stack declares: no orphan, no duplicate, no pending operation. Destroy must
// leave nothing but the bootstrap token. Two more tests pin what the recipe says about
// `--import-pending-creates` in v3.274.1, and `pulumi up --replace` of the token.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import type { FaultSpec } from "../../emulator/faults";
import { startEngine, type Engine } from "../e2e/harness";
import { cf } from "../support/outOfBand";
import { readmeBlock } from "../support/readmeBlocks";

jest.setTimeout(20 * 60_000);

const PROJECT_DIR = path.join(__dirname, "fixtures", "killed-run");

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine("reliability-killed");
  engine.emulator.configure({ rateLimit: { enabled: false } });
});
afterAll(async () => engine?.close());

/** A CLI command's result. */
interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Starts the CLI as the leader of its own process group, so that it can be killed with its children. */
function startCli(stack: Stack, args: string[]): { child: ChildProcess; done: Promise<Ran> } {
  const child = spawn(engine.command.command, [...args, "--stack", stack.name], {
    cwd: stack.workspace.workDir,
    // The stack's own environment: its backend may be another than the engine's.
    env: { ...process.env, ...engine.stackEnv(), ...stack.workspace.envVars },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const done = new Promise<Ran>((resolve) =>
    child.on("close", (code, signal) => {
      engine.output.push(output);
      resolve({ code, signal, output });
    }),
  );
  return { child, done };
}

/** Fails with the command's whole output unless it succeeded. */
function expectSucceeded(ran: Ran): void {
  if (ran.code !== 0) throw new Error(`pulumi exited with ${ran.code ?? ran.signal}:\n${ran.output}`);
}

/** Runs a CLI command to its end. */
function cli(stack: Stack, args: string[]): Promise<Ran> {
  return startCli(stack, args).done;
}

const UP = ["up", "--yes", "--skip-preview", "--non-interactive"];
const DESTROY = ["destroy", "--yes", "--skip-preview", "--non-interactive"];

async function waitFor(what: string, ready: () => boolean | Promise<boolean>, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Calls of `route` (a template such as `POST /accounts/:account_id/tokens`) the emulator has answered or holds. */
function calls(route: string): number {
  return (engine.emulator.requestCounts() as Record<string, number>)[route] ?? 0;
}

/** The stack's checkpoint as the file backend holds it (undefined before the first write). */
function checkpoint(stack: Stack): string {
  const file = engine.stateFiles().find((f) => path.basename(f) === `${stack.name}.json`);
  return file ? fs.readFileSync(file, "utf8") : "";
}

/** The ids of `pid`'s descendants, from /proc (Linux). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent is the 2nd field after the command in parentheses (which may hold spaces).
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      found.push(c);
      walk(c);
    }
  };
  walk(pid);
  return found;
}

/**
 * SIGKILLs the CLI, its process group and every process below it, as a dying CI runner takes
 * them all. Killing the group alone is not enough: the CLI starts the language host and the
 * dynamic provider host in process groups of their own, and they would go on calling the API.
 */
function killTree(pid: number): number[] {
  const tree = [pid, ...descendants(pid)];
  process.kill(-pid, "SIGKILL");
  for (const p of tree) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      // Already gone with the group.
    }
  }
  return tree;
}

/** Whether process `pid` still runs (a zombie, dead but not yet reaped, does not). */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/**
 * Runs `args`, holds the calls of `route` (a template such as `POST /accounts/:account_id/tokens`)
 * on the emulator with `hold`'s phase (and `times`), waits until `count` more of them than before
 * have arrived (default 1) and `also()` says the run got where it should, and SIGKILLs the CLI's
 * whole process group: the run must end by that kill.
 */
async function killAt(
  stack: Stack,
  args: string[],
  route: string,
  hold: Omit<FaultSpec, "method" | "path">,
  until: { count?: number; also?: () => boolean } = {},
): Promise<void> {
  // The fault's path is the route's, each `:param` segment matched by `*`.
  const [method, template] = route.split(" ") as [string, string];
  const before = calls(route);
  const arrived = () => calls(route) >= before + (until.count ?? 1) && (until.also?.() ?? true);
  engine.emulator.addFault({ delayMs: 600_000, method, path: template.replace(/:\w+/g, "*"), ...hold });
  const { child, done } = startCli(stack, args);
  let ended: Ran | undefined;
  void done.then((ran) => (ended = ran));
  await waitFor(`${route} to arrive`, () => {
    if (ended) throw new Error(`pulumi ${args[0]} ended before the held call arrived:\n${ended.output}`);
    return arrived();
  });
  const tree = killTree(child.pid!);
  const ran = await done;
  // Nothing of the killed run may go on calling the API behind the recovery's back.
  await waitFor("every process of the killed run to be gone", () => !tree.some(alive));
  expect(tree.length).toBeGreaterThan(2); // the CLI, the language host, the provider host
  engine.emulator.clearFaults();
  expect(ran.signal).toBe("SIGKILL");
}

const TOKEN_TYPE = "pulumi-nodejs:dynamic/cloudflare-ai-search:ServiceApiToken";
const INSTANCE_TYPE = "pulumi-nodejs:dynamic/cloudflare-ai-search:AiSearchInstance";
const NAMESPACE_TYPE = "pulumi-nodejs:dynamic/cloudflare-ai-search:AiSearchNamespace";
const REGISTER = "POST /accounts/:account_id/ai-search/tokens";
const CREATE_NAMESPACE = "POST /accounts/:account_id/ai-search/namespaces";
// Every instance call goes through the namespaced routes, `default` included.
const CREATE_INSTANCE = "POST /accounts/:account_id/ai-search/namespaces/:namespace/instances";
const DELETE_INSTANCE = "DELETE /accounts/:account_id/ai-search/namespaces/:namespace/instances/:id";
const DELETE_REGISTRATION = "DELETE /accounts/:account_id/ai-search/tokens/:id";
const REVOKE = "DELETE /accounts/:account_id/tokens/:token_id";

interface PendingOperation {
  type: string;
  resource: { urn: string; type: string; inputs?: Record<string, unknown> };
}

/** The part of the checkpoint these tests read. */
interface Deployment {
  resources?: { urn: string; type: string; id?: string }[];
  pending_operations?: PendingOperation[];
}

/** The stack's latest deployment as the file backend holds it. */
function latest(stack: Stack): Deployment {
  const text = checkpoint(stack);
  return text ? (JSON.parse(text) as { checkpoint: { latest: Deployment } }).checkpoint.latest : {};
}

/** The ids of the stack's resources of `type` in the checkpoint. */
function inState(stack: Stack, type: string): string[] {
  return (latest(stack).resources ?? []).filter((r) => r.type === type).map((r) => r.id ?? "");
}

/** The lock files the file backend holds for the stack. */
function locks(stack: Stack): string[] {
  const dir = path.join(engine.dir, "backend", ".pulumi", "locks", "organization", "killed-run", stack.name);
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

/** Whether the account holds an instance with this id (what a user checks in the dashboard). */
const instanceExists = (id: string) => engine.emulator.state().instances.some((i) => i.id === id);

/** Whether the account holds a namespace with this name. */
const namespaceExists = (name: string) => engine.emulator.state().namespaces.some((n) => n.name === name);

/** The "Interrupted runs" recipe's commands, each without the leading `pulumi`. */
const RECOVERY: string[][] = readmeBlock(
  "test/reliability/killedRun.test.ts",
  "sh",
  "docs/recipes/interrupted-runs.md",
)
  .split("\n")
  .map((line) => line.replace(/#.*/, "").trim())
  .filter((line) => line.length > 0)
  .map((line) => line.split(/\s+/).slice(1));

it("the recipe's recovery is cancel, stack export, refresh clearing pending creates, then the command again", () => {
  expect(RECOVERY.map((args) => args.slice(0, 2).join(" "))).toEqual([
    "cancel --yes",
    "stack export",
    "refresh --yes",
    "up --yes",
  ]);
  expect(RECOVERY[2]).toContain("--clear-pending-creates");
});

/**
 * The "Interrupted runs" recipe's steps, literally: `pulumi cancel`; the instances and namespaces
 * of pending creates that exist (the killed run made them) deleted; a refresh that clears the
 * pending creates; then the command that was interrupted, run again.
 */
async function recover(
  stack: Stack,
  command: "up" | "destroy",
): Promise<{ locked: boolean; outputs: string[]; deletedByHand: string[] }> {
  const outputs: string[] = [];
  const deletedByHand: string[] = [];
  const [cancelStep, exportStep, refreshStep, rerunStep] = RECOVERY;
  // A killed run leaves the file backend's lock behind; `pulumi cancel` removes it.
  const locked = locks(stack).length > 0;
  const cancel = await cli(stack, cancelStep!);
  expectSucceeded(cancel);
  expect(locks(stack)).toEqual([]);
  const exported = JSON.parse((await cli(stack, exportStep!)).output) as {
    deployment: { pending_operations?: PendingOperation[] };
  };
  // An instance whose create was pending and that exists was made by the killed run: delete it,
  // and wait until it is gone (`--import-pending-creates` does not import it in v3.274.1).
  for (const op of exported.deployment.pending_operations ?? []) {
    if (op.type !== "creating" || op.resource.type !== INSTANCE_TYPE) continue;
    const id = String(op.resource.inputs?.instanceId);
    if (!instanceExists(id)) continue;
    await cf(engine.emulator, "DELETE", `/accounts/${engine.emulator.accountId}/ai-search/instances/${id}`);
    await waitFor(`instance ${id} to be gone`, () => !instanceExists(id));
    deletedByHand.push(id);
  }
  // A service token's pending create names its mint marker: what the killed create minted carries it
  // in its name. Delete the registration that holds such a token, if there is one, then revoke it.
  for (const op of exported.deployment.pending_operations ?? []) {
    if (op.type !== "creating" || op.resource.type !== TOKEN_TYPE) continue;
    const marker = String(op.resource.inputs?.__mintMarker);
    const accountPath = `/accounts/${engine.emulator.accountId}`;
    const left = (
      await cf<{ id: string; name: string }[]>(engine.emulator, "GET", `${accountPath}/tokens`)
    ).filter((t) => t.name.endsWith(`(pulumi ${marker})`));
    const registrations = await cf<{ id: string; cf_api_id: string }[]>(
      engine.emulator,
      "GET",
      `${accountPath}/ai-search/tokens`,
    );
    for (const token of left) {
      for (const r of registrations.filter((x) => x.cf_api_id === token.id)) {
        await cf(engine.emulator, "DELETE", `${accountPath}/ai-search/tokens/${r.id}`);
        deletedByHand.push(r.id);
      }
      await cf(engine.emulator, "DELETE", `${accountPath}/tokens/${token.id}`);
      deletedByHand.push(token.id);
    }
  }
  // A namespace is the same, by its name.
  for (const op of exported.deployment.pending_operations ?? []) {
    if (op.type !== "creating" || op.resource.type !== NAMESPACE_TYPE) continue;
    const name = String(op.resource.inputs?.name);
    if (!namespaceExists(name)) continue;
    await cf(
      engine.emulator,
      "DELETE",
      `/accounts/${engine.emulator.accountId}/ai-search/namespaces/${name}`,
    );
    await waitFor(`namespace ${name} to be gone`, () => !namespaceExists(name));
    deletedByHand.push(name);
  }
  const refresh = await cli(stack, refreshStep!);
  outputs.push(refresh.output);
  expectSucceeded(refresh);
  // `pulumi up --yes`, or the same with destroy after a killed destroy.
  const rerun = rerunStep!.map((arg) => (arg === "up" ? command : arg));
  const again = await cli(stack, rerun);
  outputs.push(again.output);
  expectSucceeded(again);
  return { locked, outputs, deletedByHand };
}

/**
 * What the emulator holds for this stack, compared with what it should: every minted API token is
 * registered (or revoked), every registration and instance is the stack's own in state, nothing
 * twice (as faultMatrix.test.ts's audit counts them).
 */
function audit(stack: Stack, instances: number) {
  const state = engine.emulator.state();
  const mine = `killed-${stack.name}`;
  const tokens = state.apiTokens.filter((t) => !t.bootstrap && t.name.startsWith(`${mine} (pulumi `));
  const registrations = state.aiSearchTokens.filter((r) => r.name === mine);
  const made = state.instances.filter((i) => i.id.startsWith(`${stack.name}-`));
  const namespaces = state.namespaces.filter((n) => n.name.startsWith(`${stack.name}-`));
  const registered = new Set(registrations.map((r) => r.cf_api_id));
  return {
    unregisteredTokens: tokens.filter((t) => !registered.has(t.id)).length,
    tokens: tokens.length,
    registrations: registrations.map((r) => r.id),
    instances: made.map((i) => i.id).sort(),
    namespaces: namespaces.map((n) => n.name),
    expected: {
      registrations: inState(stack, TOKEN_TYPE),
      instances: Array.from({ length: instances }, (_, n) => `${stack.name}-${n + 1}`),
      inStateInstances: inState(stack, INSTANCE_TYPE).sort(),
      inStateNamespaces: inState(stack, NAMESPACE_TYPE),
    },
    pending: (latest(stack).pending_operations ?? []).length,
  };
}

/** One token, registered and in state; the declared instances, all in state; no pending operation. */
function expectConverged(stack: Stack, instances: number) {
  const a = audit(stack, instances);
  expect(a.expected.registrations).toHaveLength(1);
  expect([a.unregisteredTokens, a.tokens, a.registrations, a.instances, a.pending]).toEqual([
    0,
    1,
    a.expected.registrations,
    a.expected.instances,
    0,
  ]);
  expect(a.expected.inStateInstances).toEqual(a.expected.instances);
}

/** Destroys the stack and checks that nothing of it is left in the emulator. */
async function destroyed(stack: Stack) {
  const down = await cli(stack, DESTROY);
  expectSucceeded(down);
  const a = audit(stack, 0);
  expect([a.tokens, a.registrations, a.instances, a.namespaces]).toEqual([0, [], [], []]);
  await stack.workspace.removeStack(stack.name);
}

/**
 * Recovers a killed destroy by the recipe's steps (destroy as the command run again), then checks
 * that nothing of the stack is left in the emulator and nothing is pending in its state.
 */
async function recoverDestroy(stack: Stack) {
  await recover(stack, "destroy");
  const a = audit(stack, 0);
  expect([a.tokens, a.registrations, a.instances, a.namespaces, a.pending]).toEqual([0, [], [], [], 0]);
  await stack.workspace.removeStack(stack.name);
}

/** Whether the checkpoint records `count` resources of `type` (the engine wrote them before the kill). */
const recorded = (stack: Stack, type: string, count: number) => inState(stack, type).length >= count;

/** The API tokens (ids) whose name carries the mint marker of the stack's pending token create. */
function pendingMintedTokens(stack: Stack): string[] {
  const op = (latest(stack).pending_operations ?? []).find((o) => o.resource.type === TOKEN_TYPE);
  const marker = String(op?.resource.inputs?.__mintMarker);
  expect(marker).toMatch(/^[0-9a-f]{16}$/);
  return engine.emulator
    .state()
    .apiTokens.filter((t) => t.name.endsWith(`(pulumi ${marker})`))
    .map((t) => t.id);
}

it("up killed right after the mint: the token the pending create's marker names is revoked in step 2", async () => {
  const stack = await engine.project("k-mint", PROJECT_DIR);
  await killAt(stack, UP, REGISTER, { phase: "before" });
  expect(audit(stack, 1)).toMatchObject({ unregisteredTokens: 1, registrations: [], pending: 1 });
  const left = pendingMintedTokens(stack);
  expect(left).toHaveLength(1);
  const { locked, deletedByHand } = await recover(stack, "up");
  // v3.274.1's file backend leaves the killed run's lock.
  expect(locked).toBe(true);
  expect(deletedByHand).toEqual(left);
  expectConverged(stack, 1);
  await destroyed(stack);
});

it("up killed after the registration: step 2 deletes the registration holding the marked token, and revokes it", async () => {
  const stack = await engine.project("k-register", PROJECT_DIR);
  await killAt(
    stack,
    UP,
    REGISTER,
    { phase: "after" },
    {
      also: () => engine.emulator.state().aiSearchTokens.some((r) => r.name === "killed-k-register"),
    },
  );
  expect(audit(stack, 1)).toMatchObject({ unregisteredTokens: 0, tokens: 1, pending: 1 });
  expect(inState(stack, TOKEN_TYPE)).toEqual([]);
  const [left] = pendingMintedTokens(stack);
  const registration = engine.emulator.state().aiSearchTokens.find((r) => r.cf_api_id === left)!;
  const { deletedByHand } = await recover(stack, "up");
  expect(deletedByHand).toEqual([registration.id, left]);
  expectConverged(stack, 1);
  await destroyed(stack);
});

it("up killed in the middle of the instances: the one created but not recorded is deleted and made again", async () => {
  const stack = await engine.project("k-instances", PROJECT_DIR, { "killed-run:instances": { value: "3" } });
  // All three created in the account, two of them recorded: the third's answer is held.
  await killAt(
    stack,
    UP,
    CREATE_INSTANCE,
    { phase: "after", times: 1 },
    {
      count: 3,
      also: () => recorded(stack, INSTANCE_TYPE, 2),
    },
  );
  const pending = latest(stack).pending_operations ?? [];
  expect(pending.map((op) => [op.type, op.resource.type])).toEqual([["creating", INSTANCE_TYPE]]);
  expect(audit(stack, 3).instances).toEqual(["k-instances-1", "k-instances-2", "k-instances-3"]);
  const pendingId = String(pending[0]?.resource.inputs?.instanceId);
  expect(inState(stack, INSTANCE_TYPE)).not.toContain(pendingId);
  const { deletedByHand } = await recover(stack, "up");
  expect(deletedByHand).toEqual([pendingId]);
  expectConverged(stack, 3);
  await destroyed(stack);
});

it("destroy killed in the middle of the instance deletes: refresh and destroy again remove the rest", async () => {
  const stack = await engine.project("k-del-instances", PROJECT_DIR, {
    "killed-run:instances": { value: "3" },
  });
  expect((await cli(stack, UP)).code).toBe(0);
  expectConverged(stack, 3);
  await killAt(
    stack,
    DESTROY,
    DELETE_INSTANCE,
    { phase: "after", times: 1 },
    {
      count: 3,
      also: () => inState(stack, INSTANCE_TYPE).length <= 1,
    },
  );
  expect(inState(stack, TOKEN_TYPE)).toHaveLength(1);
  await recoverDestroy(stack);
});

it("destroy killed after the registration delete, before the token revoke: destroy again revokes it", async () => {
  const stack = await engine.project("k-del-token", PROJECT_DIR);
  expect((await cli(stack, UP)).code).toBe(0);
  expectConverged(stack, 1);
  await killAt(stack, DESTROY, REVOKE, { phase: "before" });
  expect(calls(DELETE_REGISTRATION)).toBeGreaterThan(0);
  expect(audit(stack, 0)).toMatchObject({ tokens: 1, registrations: [], instances: [] });
  await recoverDestroy(stack);
});

it("up killed while the namespace create's answer is held: the namespace is deleted by hand and made again", async () => {
  const stack = await engine.project("k-namespace", PROJECT_DIR, {
    "killed-run:namespace": { value: "true" },
  });
  const name = "k-namespace-ns";
  // An instance in a namespace other than `default` is created through the namespaced route.
  const callsBefore = calls(CREATE_INSTANCE);
  // The token is made alongside the namespace (neither needs the other): wait until it is
  // recorded, so that the namespace's create is the one step in flight.
  await killAt(
    stack,
    UP,
    CREATE_NAMESPACE,
    { phase: "after" },
    { also: () => recorded(stack, TOKEN_TYPE, 1) && namespaceExists(name) },
  );
  const pending = latest(stack).pending_operations ?? [];
  expect(pending.map((op) => [op.type, op.resource.type, op.resource.inputs?.name])).toEqual([
    ["creating", NAMESPACE_TYPE, name],
  ]);
  // The namespace is in the account, not in state; its instance was never asked for.
  expect(inState(stack, NAMESPACE_TYPE)).toEqual([]);
  expect(audit(stack, 1)).toMatchObject({ namespaces: [name], instances: [], pending: 1 });
  expect(calls(CREATE_INSTANCE)).toBe(callsBefore);
  const { deletedByHand } = await recover(stack, "up");
  expect(deletedByHand).toEqual([name]);
  expectConverged(stack, 1);
  const a = audit(stack, 1);
  expect([a.namespaces, a.expected.inStateNamespaces]).toEqual([[name], [name]]);
  const instance = engine.emulator.state().instances.find((i) => i.id === "k-namespace-1");
  expect(instance?.namespace).toBe(name);
  expect(calls(CREATE_INSTANCE)).toBe(callsBefore + 1);
  await destroyed(stack);
});

it("v3.274.1 drops a pending create given to --import-pending-creates; the 7022 that follows names the recovery", async () => {
  const stack = await engine.project("k-import", PROJECT_DIR);
  await killAt(stack, UP, CREATE_INSTANCE, { phase: "after" });
  expectSucceeded(await cli(stack, ["cancel", "--yes"]));
  const urn = `urn:pulumi:k-import::killed-run::${INSTANCE_TYPE}::docs-1`;
  expect((latest(stack).pending_operations ?? []).map((op) => op.resource.urn)).toEqual([urn]);
  const imported = await cli(stack, [
    "refresh",
    ...["--yes", "--skip-preview", "--non-interactive"],
    ...["--import-pending-creates", urn, "--import-pending-creates", "k-import-1"],
  ]);
  expectSucceeded(imported);
  // Neither imported nor pending any more: the instance is in the account and not in state.
  expect(inState(stack, INSTANCE_TYPE)).toEqual([]);
  expect(latest(stack).pending_operations ?? []).toEqual([]);
  expect(instanceExists("k-import-1")).toBe(true);

  const up = await cli(stack, UP);
  expect(up.code).not.toBe(0);
  const path = `/accounts/${engine.emulator.accountId}/ai-search/namespaces/default/instances/k-import-1`;
  expect(up.output).toContain(`"k-import-1" already exists`);
  expect(up.output).toContain(`DELETE ${path}`);
  // The recovery the message names, word for word.
  await cf(engine.emulator, "DELETE", path);
  await waitFor("instance k-import-1 to be gone", () => !instanceExists("k-import-1"));
  expectSucceeded(await cli(stack, ["refresh", "--yes", "--clear-pending-creates", "--non-interactive"]));
  expectSucceeded(await cli(stack, UP));
  expectConverged(stack, 1);
  await destroyed(stack);
});

it("pulumi up --replace of the token (check sees no old inputs): the registration its instance uses is kept until re-pointed", async () => {
  const stack = await engine.project("k-replace", PROJECT_DIR);
  expectSucceeded(await cli(stack, UP));
  const [old] = inState(stack, TOKEN_TYPE);
  const replaced = await cli(stack, [
    ...UP,
    "--replace",
    `urn:pulumi:k-replace::killed-run::${TOKEN_TYPE}::token`,
  ]);
  expectSucceeded(replaced);
  // The replacement's marker is new: its create leaves the old registration to its own delete.
  expect(replaced.output).not.toContain("warning:");
  expect(inState(stack, TOKEN_TYPE)).not.toEqual([old]);
  expectConverged(stack, 1);
  await destroyed(stack);
});

it("two backends, same project, stack and resource names, one account: neither touches the other's token, one killed between mint and registration", async () => {
  // Another developer's checkout of the same project, with its own file:// backend.
  const twinDir = fs.mkdtempSync(path.join(PROJECT_DIR, "..", ".twin-"));
  try {
    for (const file of ["Pulumi.yaml", "index.ts", "tsconfig.json"]) {
      fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(twinDir, file));
    }
    const noInstances = { "killed-run:instances": { value: "0" } };
    const a = await engine.project("twin", PROJECT_DIR, noInstances);
    const b = await engine.project("twin", twinDir, noInstances, "other-developer");
    const registrationsNamed = () =>
      engine.emulator.state().aiSearchTokens.filter((r) => r.name === "killed-twin");
    const token = (id: string) => engine.emulator.state().apiTokens.find((t) => t.id === id);

    // A is killed between its mint and its registration.
    await killAt(a, UP, REGISTER, { phase: "before" });
    const aLeft = engine.emulator.state().apiTokens.find((t) => t.name.startsWith("killed-twin "))?.id;
    // B's first up creates its token beside A's leftover, and does not touch it.
    expectSucceeded(await cli(b, UP));
    const [bRegistration] = registrationsNamed();
    expect(registrationsNamed()).toHaveLength(1);
    expect(token(aLeft!)?.status).toBe("active");
    expect(pendingMintedTokens(a)).toEqual([aLeft]);
    // A recovers by the README's steps, its create running while B's token is up and unused by any instance.
    const { deletedByHand } = await recover(a, "up");
    expect(deletedByHand).toEqual([aLeft]);
    const [aRegistration] = inState(a, TOKEN_TYPE);
    expect(
      registrationsNamed()
        .map((r) => r.id)
        .sort(),
    ).toEqual([aRegistration, bRegistration!.id].sort());
    // B's registration and API token are as B made them, and enabled.
    expect(registrationsNamed().find((r) => r.id === bRegistration!.id)).toMatchObject({
      cf_api_id: bRegistration!.cf_api_id,
      credential: "valid",
    });
    expect(token(bRegistration!.cf_api_id)?.status).toBe("active");
    // Each destroy removes its own only.
    expectSucceeded(await cli(b, DESTROY));
    expect(registrationsNamed().map((r) => r.id)).toEqual([aRegistration]);
    expectSucceeded(await cli(a, DESTROY));
    expect(registrationsNamed()).toEqual([]);
    expect(engine.emulator.state().apiTokens.filter((t) => t.name.startsWith("killed-twin"))).toEqual([]);
    await a.workspace.removeStack(a.name);
    await b.workspace.removeStack(b.name);
  } finally {
    fs.rmSync(twinDir, { recursive: true, force: true });
  }
});

it("after every stack is destroyed the emulator holds nothing but its bootstrap token", () => {
  const state = engine.emulator.state();
  expect([
    ...state.apiTokens.filter((t) => !t.bootstrap).map((t) => `API token ${t.name}`),
    ...state.aiSearchTokens.map((t) => `registration ${t.name}`),
    ...state.instances.map((i) => `instance ${i.id}`),
    ...state.namespaces.filter((n) => n.name !== "default").map((n) => `namespace ${n.name}`),
  ]).toEqual([]);
});
