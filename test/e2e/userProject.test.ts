// A user's own project, made on the fly outside the repository as the README's Install section
// says: the package from `npm pack` installed under its node_modules with @pulumi/pulumi and
// typescript, the README's Pulumi.yaml and its Quickstart program as index.ts, then the CLI's own
// commands (stack init, config set, preview, up, up again, destroy). The Node.js language host
// runs the TypeScript program from that folder, against the emulator. Then, in the same project,
// the offline job of the CI workflow the README offers (examples/ci/github-actions.yml), its shell
// steps run as a runner runs them.
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { workflowJob } from "../support/githubWorkflow";
import { installPacked, packPackage } from "../support/packedPackage";
import { readmeBlock } from "../support/readmeBlocks";
import { startEngine, type Engine } from "./harness";

jest.setTimeout(600_000);

const REPO = path.resolve(__dirname, "../..");
const MARKER = "test/e2e/userProject.test.ts";
const run = promisify(execFile);
let engine: Engine;
let project: string;
/** Process groups of the workflow's steps (its emulator keeps running in one of them). */
const groups: number[] = [];

beforeAll(async () => {
  engine = await startEngine("e2e-user-project");
  project = path.join(engine.dir, "my-ai-search");
  fs.mkdirSync(project);
});
afterAll(async () => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, "SIGTERM");
    } catch {
      // that step's processes have all exited
    }
  }
  await engine?.close();
});

/** Runs a command in the project folder with the offline CLI environment (asynchronously: the emulator is in this process). */
async function sh(file: string, args: string[], cwd = project): Promise<string> {
  const { stdout } = await run(file, args, {
    cwd,
    env: { ...process.env, ...engine.stackEnv() },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

it("npm install of the packed package, the README's program and a plain `pulumi up` in that folder", async () => {
  // README: npm install pulumi-cloudflare-ai-search @pulumi/pulumi typescript
  const { tarball } = await packPackage(engine.dir);
  await installPacked(project, tarball);
  // One copy of the SDK: the package's peer dependency is the project's own @pulumi/pulumi.
  expect(
    fs.existsSync(path.join(project, "node_modules/pulumi-cloudflare-ai-search/node_modules/@pulumi")),
  ).toBe(false);
  expect(fs.lstatSync(path.join(project, "node_modules/pulumi-cloudflare-ai-search")).isSymbolicLink()).toBe(
    false,
  );
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), readmeBlock(MARKER, "yaml"));
  fs.writeFileSync(path.join(project, "index.ts"), readmeBlock(MARKER, "ts"));

  const { emulator } = engine;
  await sh("pulumi", ["stack", "init", "dev"]);
  await sh("pulumi", ["config", "set", "cloudflare-ai-search:accountId", emulator.accountId]);
  await sh("pulumi", ["config", "set", "--secret", "cloudflare:apiToken", emulator.apiToken]);
  await sh("pulumi", ["config", "set", "cloudflare-ai-search:baseUrl", emulator.url]);

  const preview = JSON.parse(await sh("pulumi", ["preview", "--json"])) as {
    steps: { op: string; urn: string }[];
  };
  const planned = preview.steps
    .filter((s) => s.op === "create" && !s.urn.includes("::pulumi:providers:"))
    .map((s) => s.urn.split("::").slice(-2).join("::"))
    .sort();
  expect(planned).toEqual([
    "pulumi-nodejs:dynamic/cloudflare-ai-search:AiSearchInstance::docs",
    "pulumi-nodejs:dynamic/cloudflare-ai-search:AiSearchInstance::support",
    "pulumi-nodejs:dynamic/cloudflare-ai-search:AiSearchInstance::website",
    "pulumi-nodejs:dynamic/cloudflare-ai-search:AiSearchNamespace::namespace",
    "pulumi-nodejs:dynamic/cloudflare-ai-search:ServiceApiToken::ai-search-token",
    "pulumi:pulumi:Stack::my-ai-search-dev",
  ]);

  await sh("pulumi", ["up", "--yes"]);
  const state = emulator.state();
  expect(state.instances.map((i) => i.id).sort()).toEqual(["docs", "support", "website"]);
  expect(state.aiSearchTokens).toHaveLength(1);
  const outputs = JSON.parse(await sh("pulumi", ["stack", "output", "--json"])) as Record<string, unknown>;
  expect(outputs.tokenId).toBe(state.aiSearchTokens[0]!.id);

  await sh("pulumi", ["up", "--yes", "--expect-no-changes"]);
  await sh("pulumi", ["destroy", "--yes"]);
  const after = emulator.state();
  expect(after.instances).toEqual([]);
  expect(after.aiSearchTokens).toEqual([]);
  expect(after.apiTokens.filter((t) => !t.bootstrap)).toEqual([]);
});

/** Runs a workflow step's script as GitHub's runner does (bash -eo pipefail) in its own process group. */
function runStep(script: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
    cwd: project,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  groups.push(child.pid!);
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => void (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => void (out += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`step failed (${code}):\n${script}\n${out}`)),
    ),
  );
}

it("the offline job of examples/ci/github-actions.yml runs green in that project", async () => {
  const job = workflowJob(path.join(REPO, "examples", "ci", "github-actions.yml"), "offline");
  // checkout and setup-node are this folder and this Node; pulumi/actions installs the CLI, which
  // is on PATH here (with its language host).
  expect(job.steps.filter((s) => "uses" in s).map((s) => ("uses" in s ? s.uses : ""))).toEqual([
    "actions/checkout@v5",
    "actions/setup-node@v5",
    "pulumi/actions@v6",
  ]);
  const runnerTemp = path.join(engine.dir, "runner-temp");
  fs.mkdirSync(runnerTemp);
  const env = { ...process.env, ...engine.stackEnv(), ...job.env, RUNNER_TEMP: runnerTemp };
  let last = "";
  for (const step of job.steps) if ("run" in step) last = await runStep(step.run, env);
  // The last step ends with the emulator's state after destroy: up made the resources, destroy removed them.
  expect(last).toMatch(/\+ 6 created/);
  const state = JSON.parse(last.trim().split("\n").at(-1)!) as {
    aiSearchTokens: unknown[];
    instances: unknown[];
    apiTokens: { bootstrap?: boolean }[];
  };
  expect(state.aiSearchTokens).toEqual([]);
  expect(state.instances).toEqual([]);
  expect(state.apiTokens.filter((t) => !t.bootstrap)).toEqual([]);
});
