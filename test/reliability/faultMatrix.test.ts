// The fault matrix under the real engine: every API call the package makes, each met by a 429 with
// Retry-After, a 500, a 502, a 503, a dropped connection and an answer slower than the client's
// timeout, during `pulumi up` (and `pulumi destroy` for the delete calls). A cell either succeeds,
// or fails with a message that names the failed call and says rerunning is safe, and then a second
// run (fault gone) converges. After every cell the emulator holds exactly the token, registration
// and instance the program declares (no orphan, no duplicate, nothing missing); at the end, after
// every stack's destroy, it holds nothing but the bootstrap token (so no id in state was stale).
//
// Faults on writes use `phase: "after"`: the API does the work and the answer is lost or replaced,
// the worst case for a client. A 429 is `before` (Cloudflare refused the call). Faults stay for the
// whole first run, so the client's retries (cut to one here, with a short timeout) meet them too.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import type { FaultSpec } from "../../emulator/faults";
import { recorder, startEngine, type Engine } from "../e2e/harness";
import { audit } from "../support/accountAudit";
import { cf } from "../support/outOfBand";
import { tokenWithInstance } from "../support/tokenWithInstance";

jest.setTimeout(40 * 60_000);

const REQUEST_TIMEOUT_MS = 2_000;
const FAST_CLIENT = {
  "cloudflare-ai-search:requestTimeoutMs": { value: String(REQUEST_TIMEOUT_MS) },
  "cloudflare-ai-search:httpRetries": { value: "1" },
  "cloudflare-ai-search:httpRetryDelayMs": { value: "10" },
};

interface FaultKind {
  readonly label: string;
  spec(write: boolean): Omit<FaultSpec, "method" | "path">;
}
const FAULTS: FaultKind[] = [
  { label: "429", spec: () => ({ status: 429, retryAfterSeconds: 1 }) },
  { label: "500", spec: (write) => ({ status: 500, phase: write ? "after" : "before" }) },
  { label: "502", spec: (write) => ({ status: 502, phase: write ? "after" : "before" }) },
  { label: "503", spec: (write) => ({ status: 503, phase: write ? "after" : "before" }) },
  { label: "drop", spec: (write) => ({ drop: true, phase: write ? "after" : "before" }) },
  {
    label: "slow",
    spec: (write) => ({ delayMs: REQUEST_TIMEOUT_MS + 1_500, phase: write ? "after" : "before" }),
  },
];

/** How a cell's first run exercises the call, and how the stack is put back for the next cell. */
type Scenario =
  | "create-token"
  | "create-provided-token"
  | "rotate"
  | "refresh"
  | "destroy"
  | "create-instance"
  | "update-instance"
  | "sync-on-create";

interface ApiCall {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly scenario: Scenario;
}
const A = "/accounts/*";
const CALLS: ApiCall[] = [
  {
    name: "permission groups",
    method: "GET",
    path: `${A}/tokens/permission_groups`,
    scenario: "create-token",
  },
  { name: "mint", method: "POST", path: `${A}/tokens`, scenario: "create-token" },
  { name: "register", method: "POST", path: `${A}/ai-search/tokens`, scenario: "create-token" },
  {
    name: "register (existingApiToken)",
    method: "POST",
    path: `${A}/ai-search/tokens`,
    scenario: "create-provided-token",
  },
  { name: "roll", method: "PUT", path: `${A}/tokens/*/value`, scenario: "rotate" },
  { name: "registration PUT", method: "PUT", path: `${A}/ai-search/tokens/*`, scenario: "rotate" },
  { name: "registration read", method: "GET", path: `${A}/ai-search/tokens/*`, scenario: "refresh" },
  { name: "API token read", method: "GET", path: `${A}/tokens/*`, scenario: "refresh" },
  { name: "registration delete", method: "DELETE", path: `${A}/ai-search/tokens/*`, scenario: "destroy" },
  { name: "token revoke", method: "DELETE", path: `${A}/tokens/*`, scenario: "destroy" },
  {
    name: "instance create",
    method: "POST",
    path: `${A}/ai-search/namespaces/*/instances`,
    scenario: "create-instance",
  },
  {
    name: "instance update",
    method: "PUT",
    path: `${A}/ai-search/namespaces/*/instances/*`,
    scenario: "update-instance",
  },
  {
    name: "instance read",
    method: "GET",
    path: `${A}/ai-search/namespaces/*/instances/*`,
    scenario: "refresh",
  },
  {
    name: "instance delete",
    method: "DELETE",
    path: `${A}/ai-search/namespaces/*/instances/*`,
    scenario: "destroy",
  },
  // A failed sync on create: the instance exists, the sync job's start fails. The rerun is
  // `up --refresh`, so the refresh reads the state that failed create left (issue 20, item 1).
  {
    name: "sync job start",
    method: "POST",
    path: `${A}/ai-search/namespaces/*/instances/*/jobs`,
    scenario: "sync-on-create",
  },
];

/**
 * One stack's program: a minted token (or, when `matrix:providedId` is set, the API token it names
 * with its secret `matrix:providedValue`) and, when `matrix:instance` is set, an instance using it
 * (synced on create when `matrix:sync` is true). A provided token takes no rotationTrigger (a
 * preview error: its secret is the program's input).
 */
const program = async () => {
  const cfg = new pulumi.Config("matrix");
  const instanceId = cfg.get("instance");
  const providedId = cfg.get("providedId");
  tokenWithInstance(
    {
      name: `matrix-${pulumi.getStack()}`,
      ...(providedId
        ? { existingApiToken: { id: providedId, value: cfg.requireSecret("providedValue") } }
        : { rotationTrigger: cfg.get("rotation") ?? "0" }),
    },
    instanceId
      ? {
          instanceId,
          source: "docs-bucket",
          maxNumResults: Number(cfg.get("maxResults") ?? "10"),
          ...(cfg.getBoolean("sync") ? { sync: { onCreate: true } } : {}),
        }
      : undefined,
  );
};

type Outcome = "one run" | "two runs" | "not converged";
interface Cell {
  call: string;
  fault: string;
  outcome: Outcome;
  hits: number;
  orphans: number;
  duplicates: number;
  /** The first run's error, when it failed without naming the call or saying rerunning is safe. */
  badMessage?: string;
}

/**
 * Two lanes, each an engine with its own emulator (faults are per emulator), run two rows at once:
 * engine runs mostly wait on process start-up, so two lanes nearly halve the matrix's time.
 */
let lanes: Engine[] = [];
const cells: Cell[] = [];
beforeAll(async () => {
  lanes = await Promise.all([startEngine("reliability-matrix"), startEngine("reliability-matrix")]);
  // No sync cooldown: a rerun after a failed sync on create starts the next job at once.
  for (const lane of lanes) lane.emulator.configure({ rateLimit: { enabled: false }, syncCooldownMs: 0 });
});
afterAll(async () => {
  writeReport();
  await Promise.all(lanes.map((lane) => lane.close()));
});

async function run(engine: Engine, stack: Stack, scenario: Scenario): Promise<string | undefined> {
  try {
    if (scenario === "destroy") await stack.destroy(recorder(engine.output));
    else {
      const refresh = scenario === "refresh" || scenario === "sync-on-create";
      await stack.up({ ...recorder(engine.output), refresh });
    }
    return undefined;
  } catch (err) {
    return String(err);
  }
}

/** The part of an engine error that the provider wrote: its diagnostics. */
function providerMessage(err: string): string {
  const lines = err.split("\n").filter((l) => /error:|Cloudflare|rerun|again/i.test(l));
  // Room for the engine's repeated lines (each naming the path) before the rerun hint.
  return lines.join("\n").slice(0, 3_000);
}

const SAYS_RERUN_IS_SAFE = /rerun|run `pulumi (up|destroy|refresh)` again|safe to run .* again/i;

async function cell(
  engine: Engine,
  stack: Stack,
  call: ApiCall,
  fault: FaultKind,
  index: number,
  expected: { tokens: number; instances: number },
) {
  const write = call.method !== "GET";
  engine.emulator.addFault({ method: call.method, path: call.path, ...fault.spec(write) });
  const first = await run(engine, stack, call.scenario);
  const hits = await faultHits(engine);
  engine.emulator.clearFaults();
  let outcome: Outcome = "one run";
  let badMessage: string | undefined;
  if (first !== undefined) {
    const message = providerMessage(first);
    const namesCall = message.includes(call.method) || message.toLowerCase().includes(call.name);
    if (!namesCall || !SAYS_RERUN_IS_SAFE.test(message)) badMessage = message || first.slice(0, 1_500);
    const second = await run(engine, stack, call.scenario);
    outcome = second === undefined ? "two runs" : "not converged";
    if (second !== undefined) badMessage = `second run: ${providerMessage(second) || second.slice(0, 1_500)}`;
  }
  const { orphans, duplicates, detail } = audit(engine.emulator, expected);
  if (detail)
    badMessage = `${badMessage ?? ""}\nemulator holds: ${detail}\nfirst run: ${first ? providerMessage(first) : "succeeded"}`;
  cells.push({
    call: call.name,
    fault: fault.label,
    outcome,
    hits,
    orphans,
    duplicates,
    ...(badMessage ? { badMessage } : {}),
  });
  void index;
}

/** How many calls the injected faults hit (the admin API's list), so a cell that never met its fault shows. */
async function faultHits(engine: Engine): Promise<number> {
  const res = await fetch(engine.emulator.url.replace(/\/client\/v4$/, "/__emulator/faults"));
  const body = (await res.json()) as
    { hits: number }[] | { faults?: { hits: number }[]; result?: { hits: number }[] };
  const list = Array.isArray(body) ? body : (body.faults ?? body.result ?? []);
  return list.reduce((n, f) => n + f.hits, 0);
}

async function setConfig(stack: Stack, values: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) await stack.removeConfig(`matrix:${key}`);
    else await stack.setConfig(`matrix:${key}`, { value });
  }
}

const NO_TOKEN = { tokens: 0, instances: 0 };
const TOKEN = { tokens: 1, instances: 0 };
const TOKEN_AND_INSTANCE = { tokens: 1, instances: 1 };

/** Runs every fault against one call, on a stack of its own, then destroys the stack. */
async function row(engine: Engine, call: ApiCall, index: number) {
  const stack = await engine.stack(`m${index}`, program, FAST_CLIENT);
  const withInstance = call.name.startsWith("instance") && call.scenario !== "create-instance";
  let n = 0;
  const instanceId = () => `matrix-${index}-${n}`;
  // The user's own API token, for `existingApiToken`: made by hand, revoked by hand at the end.
  let provided: { id: string; value: string } | undefined;
  if (call.scenario === "create-provided-token") {
    const { id, value } = await cf<{ id: string; value: string }>(
      engine.emulator,
      "POST",
      `/accounts/${engine.emulator.accountId}/tokens`,
      {
        name: `matrix-provided-${index}`,
        policies: [
          {
            effect: "allow",
            resources: { [`com.cloudflare.api.account.${engine.emulator.accountId}`]: "*" },
            permission_groups: [{ id: "9e9b428a0bcd46fd80e580b46a69963c" }],
          },
        ],
      },
    );
    provided = { id, value };
    await setConfig(stack, { providedId: id });
    await stack.setConfig("matrix:providedValue", { value, secret: true });
  }
  if (call.scenario !== "create-token" && call.scenario !== "create-provided-token") {
    await setConfig(stack, { instance: withInstance ? instanceId() : undefined });
    await stack.up(recorder(engine.output));
  }
  for (const fault of FAULTS) {
    n++;
    switch (call.scenario) {
      case "create-token":
      case "create-provided-token":
        await cell(engine, stack, call, fault, n, TOKEN);
        await stack.destroy(recorder(engine.output));
        break;
      case "rotate":
        await setConfig(stack, { rotation: String(n) });
        await cell(engine, stack, call, fault, n, TOKEN);
        break;
      case "refresh":
        await cell(engine, stack, call, fault, n, withInstance ? TOKEN_AND_INSTANCE : TOKEN);
        break;
      case "update-instance":
        await setConfig(stack, { maxResults: String(10 + n) });
        await cell(engine, stack, call, fault, n, TOKEN_AND_INSTANCE);
        break;
      case "sync-on-create":
        await setConfig(stack, { instance: instanceId(), sync: "true" });
        await cell(engine, stack, call, fault, n, TOKEN_AND_INSTANCE);
        await setConfig(stack, { instance: undefined, sync: undefined });
        await stack.up(recorder(engine.output));
        break;
      case "create-instance":
        await setConfig(stack, { instance: instanceId() });
        await cell(engine, stack, call, fault, n, TOKEN_AND_INSTANCE);
        await setConfig(stack, { instance: undefined });
        await stack.up(recorder(engine.output));
        break;
      case "destroy":
        await cell(engine, stack, call, fault, n, NO_TOKEN);
        if (n < FAULTS.length) {
          await setConfig(stack, { instance: withInstance ? instanceId() : undefined });
          await stack.up(recorder(engine.output));
        }
        break;
    }
  }
  await stack.destroy(recorder(engine.output));
  await stack.workspace.removeStack(stack.name);
  if (provided)
    await cf(engine.emulator, "DELETE", `/accounts/${engine.emulator.accountId}/tokens/${provided.id}`);
}

function writeReport() {
  const file = process.env.RELIABILITY_REPORT ?? path.join(__dirname, ".out", "fault-matrix.txt");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const names = [...new Set(cells.map((c) => c.call))];
  const width = Math.max(...names.map((n) => n.length), 4);
  const mark = (c: Cell | undefined) =>
    !c
      ? "-"
      : c.orphans || c.duplicates
        ? "ORPHAN"
        : c.outcome === "one run"
          ? "1"
          : c.outcome === "two runs"
            ? "2"
            : "X";
  const lines = [
    "Fault matrix (pulumi up / destroy under the real engine; 1 = converged in one run, 2 = failed safely and converged on the rerun, X = did not converge)",
    `${"call".padEnd(width)}  ${FAULTS.map((f) => f.label.padEnd(6)).join(" ")}`,
    ...names.map(
      (name) =>
        `${name.padEnd(width)}  ${FAULTS.map((f) => mark(cells.find((c) => c.call === name && c.fault === f.label)).padEnd(6)).join(" ")}`,
    ),
  ];
  const orphans = cells.reduce((n, c) => n + c.orphans, 0) + finalLeftovers;
  const duplicates = cells.reduce((n, c) => n + c.duplicates, 0);
  lines.push(
    "",
    `cells: ${cells.length}, converged in one run: ${cells.filter((c) => c.outcome === "one run").length}, ` +
      `in two: ${cells.filter((c) => c.outcome === "two runs").length}, ` +
      `not converged: ${cells.filter((c) => c.outcome === "not converged").length}, ` +
      `messages without the call or "rerun is safe": ${cells.filter((c) => c.badMessage).length}`,
    `orphans: ${orphans}, duplicates: ${duplicates}`,
  );
  for (const c of cells.filter((c) => c.badMessage)) lines.push(`  ${c.call} / ${c.fault}: ${c.badMessage}`);
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
}

/** Anything the emulator still holds once every stack is destroyed. */
let finalLeftovers = 0;

/** Rows in pairs, one row a lane. */
const PAIRS = Array.from({ length: Math.ceil(CALLS.length / 2) }, (_, i) =>
  CALLS.slice(2 * i, 2 * i + 2).map((call, j) => ({ call, index: 2 * i + j })),
);

it.each(PAIRS.map((pair) => [pair.map((p) => p.call.name).join(" | "), pair] as const))(
  "%s: each fault succeeds, or fails naming the call and saying rerunning is safe, then converges; no orphan, no duplicate",
  async (_names, pair) => {
    await Promise.all(pair.map(({ call, index }, lane) => row(lanes[lane] as Engine, call, index)));
    for (const { call } of pair) {
      const mine = cells.filter((c) => c.call === call.name);
      expect([call.name, mine.map((c) => [c.fault, c.hits > 0])]).toEqual([
        call.name,
        FAULTS.map((f) => [f.label, true]),
      ]);
      expect(mine.filter((c) => c.outcome === "not converged" || c.badMessage)).toEqual([]);
      expect(mine.filter((c) => c.orphans || c.duplicates)).toEqual([]);
    }
  },
);

it("after every stack is destroyed the emulators hold nothing but their bootstrap tokens", () => {
  const left = lanes.flatMap((lane) => {
    const state = lane.emulator.state();
    return [
      ...state.apiTokens.filter((t) => !t.bootstrap).map((t) => `API token ${t.name}`),
      ...state.aiSearchTokens.map((t) => `registration ${t.name}`),
      ...state.instances.map((i) => `instance ${i.id}`),
    ];
  });
  finalLeftovers = left.length;
  expect(left).toEqual([]);
});
