// A user's project on a Node.js older than 22 (the machine's own, or this Node.js reporting itself
// as 20.20.2), under the real engine: the first `pulumi preview` fails with the package's one
// message naming the version found, the version needed and the fix, not with an error from inside
// undici; and so does a refresh of state written under Node.js 24, whose dynamic-provider host
// starts the older `node` on PATH and loads the package's runtime there.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as path from "node:path";
import { cliRoot, startEngine, type Engine } from "./harness";
import { copyInstalledPackage } from "../support/installedPackage";
import { olderNode, type OlderNode } from "../support/olderNode";

jest.setTimeout(300_000);

const REPO = path.resolve(__dirname, "../..");
let engine: Engine;
let project: string;
// Made while collecting tests, so that the test names say which Node.js ran them.
const older: OlderNode = olderNode();

/** A project with the package installed under node_modules, and a driver running one operation. */
function userProject(root: string): string {
  const dir = path.join(root, "user-project");
  copyInstalledPackage(path.join(dir, "node_modules", "pulumi-cloudflare-ai-search"));
  for (const entry of fs.readdirSync(path.join(REPO, "node_modules"))) {
    if (entry === "pulumi-cloudflare-ai-search" || entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(REPO, "node_modules", entry), path.join(dir, "node_modules", entry));
  }
  // The program loads the package when it runs, as a program file's imports load when the
  // language host runs it. The driver prints what the operation did, or the error it failed with.
  fs.writeFileSync(
    path.join(dir, "driver.js"),
    `
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
const pulumi = require("@pulumi/pulumi");

const program = async () => {
  const { ServiceApiToken } = require("pulumi-cloudflare-ai-search");
  const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
  const token = new ServiceApiToken("token", { accountId });
  return { tokenId: token.id };
};

(async () => {
  const command = await PulumiCommand.get({ root: process.env.CLI_ROOT });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "older-node", projectName: "older-node", program },
    { pulumiCommand: command, envVars: JSON.parse(process.env.STACK_ENV) },
  );
  await stack.setAllConfig(JSON.parse(process.env.STACK_CONFIG));
  const operation = process.argv[2];
  try {
    const result = await stack[operation]();
    process.stdout.write(JSON.stringify({ node: process.version, summary: result.summary && result.summary.result }));
  } catch (err) {
    process.stdout.write(JSON.stringify({ node: process.version, error: String(err && err.message) }));
  }
})().catch((err) => { console.error(err); process.exit(1); });
`,
  );
  return dir;
}

interface Outcome {
  node: string;
  summary?: string;
  error?: string;
}

/** Runs the driver with `node` (and `node` first on PATH, which the provider host starts). */
async function drive(node: string, operation: string): Promise<Outcome> {
  const nodeFirst = (rest = "") => `${path.dirname(node)}${path.delimiter}${rest}`;
  // The stack's own environment sets PATH too (the CLI's bin/ first): that `node` must come first
  // there as well, or the provider host would start another one.
  const stackEnv = engine.stackEnv();
  stackEnv.PATH = nodeFirst(stackEnv.PATH);
  const { stdout } = await promisify(execFile)(node, ["driver.js", operation], {
    cwd: project,
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: nodeFirst(process.env.PATH),
      NODE_NO_WARNINGS: "1",
      CLI_ROOT: cliRoot(),
      STACK_ENV: JSON.stringify(stackEnv),
      STACK_CONFIG: JSON.stringify(engine.stackConfig()),
    },
  });
  return JSON.parse(stdout) as Outcome;
}

const expectTheOneMessage = (error: string | undefined) => {
  expect(error).toContain(
    `pulumi-cloudflare-ai-search needs Node.js 22 or newer (package.json "engines": node >=22), ` +
      `but this is Node.js v${older.version} (`,
  );
  expect(error).toContain(
    "Fix: install Node.js 22+ (24 LTS, e.g. `nvm install 24`) and put it first on PATH",
  );
  expect(error).not.toMatch(/undici|Cannot read properties/);
};

beforeAll(async () => {
  engine = await startEngine("e2e-older-node");
  project = userProject(engine.dir);
});
afterAll(async () => {
  older.remove();
  await engine?.close();
});

describe(`a user's project on ${older.description}`, () => {
  it("the first pulumi preview fails with the package's one message, creating nothing", async () => {
    const outcome = await drive(older.node, "preview");
    expect(outcome.node).toBe(`v${older.version}`);
    expectTheOneMessage(outcome.error);
    expect(engine.emulator.state().apiTokens.filter((t) => !t.bootstrap)).toEqual([]);
  });

  it("refresh of state written under Node.js 22+ fails in the provider host with the same message", async () => {
    const up = await drive(process.execPath, "up");
    expect(up.summary).toBe("succeeded");

    const refresh = await drive(older.node, "refresh");
    expectTheOneMessage(refresh.error);

    const destroy = await drive(process.execPath, "destroy");
    expect(destroy.summary).toBe("succeeded");
    const state = engine.emulator.state();
    expect(state.aiSearchTokens).toEqual([]);
    expect(state.apiTokens.filter((t) => !t.bootstrap)).toEqual([]);
  });
});
