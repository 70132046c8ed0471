// A user's project: the package installed under node_modules and the program run by plain Node
// (not jest). Under the real engine, up stores the compact provider (one require of the shim
// module), and refresh and destroy run through it.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as path from "node:path";
import { cliRoot, startEngine, type Engine } from "./harness";
import { copyInstalledPackage } from "../support/installedPackage";

jest.setTimeout(300_000);

const REPO = path.resolve(__dirname, "../..");
let engine: Engine;

/** A project directory with its own copy of the package in node_modules, as `npm install` leaves it. */
function userProject(root: string): string {
  const project = path.join(root, "user-project");
  const pkg = path.join(project, "node_modules", "pulumi-cloudflare-ai-search");
  copyInstalledPackage(pkg);
  for (const entry of fs.readdirSync(path.join(REPO, "node_modules"))) {
    if (entry === "pulumi-cloudflare-ai-search" || entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(REPO, "node_modules", entry), path.join(project, "node_modules", entry));
  }
  // The driver: an inline Automation API program, as a user's CI script would run one.
  fs.writeFileSync(
    path.join(project, "deploy.js"),
    `
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
const pulumi = require("@pulumi/pulumi");
const { AiSearchInstance, ServiceApiToken } = require("pulumi-cloudflare-ai-search");

const program = async () => {
  const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
  const token = new ServiceApiToken("token", { accountId });
  new AiSearchInstance("docs", { accountId, instanceId: "installed-docs", type: "r2", source: "docs-bucket", tokenId: token.id });
  return { tokenId: token.id };
};

(async () => {
  const command = await PulumiCommand.get({ root: process.env.CLI_ROOT });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "installed", projectName: "installed", program },
    { pulumiCommand: command, envVars: JSON.parse(process.env.STACK_ENV) },
  );
  await stack.setAllConfig(JSON.parse(process.env.STACK_CONFIG));
  const up = await stack.up();
  const state = await stack.exportStack();
  const providers = state.deployment.resources.filter((r) => r.inputs && r.inputs.__provider).map((r) => r.inputs.__provider);
  await stack.refresh({ expectNoChanges: true });
  await stack.destroy();
  process.stdout.write(JSON.stringify({ result: up.summary.result, providers }));
})().catch((err) => { console.error(err); process.exit(1); });
`,
  );
  return project;
}

beforeAll(async () => {
  engine = await startEngine("e2e-installed");
});
afterAll(async () => engine?.close());

it("a program using the installed package stores the compact provider and runs its whole lifecycle", async () => {
  const project = userProject(engine.dir);
  const env = engine.stackEnv();
  // Asynchronously: the emulator serving it runs in this process.
  const { stdout: out } = await promisify(execFile)(process.execPath, ["deploy.js"], {
    cwd: project,
    encoding: "utf8",
    env: {
      ...process.env,
      NODE_NO_WARNINGS: "1",
      CLI_ROOT: cliRoot(),
      STACK_ENV: JSON.stringify(env),
      STACK_CONFIG: JSON.stringify(engine.stackConfig()),
    },
  });
  const { result, providers } = JSON.parse(out) as { result: string; providers: string[] };
  expect(result).toBe("succeeded");
  expect(providers).toHaveLength(2);
  for (const text of providers) {
    expect(text).toMatch(
      /require\("pulumi-cloudflare-ai-search\/dist\/provider\/shims\/(serviceApiToken|aiSearchInstance)\.js"\)/,
    );
    expect(Buffer.byteLength(text)).toBeLessThan(512);
  }
  const state = engine.emulator.state();
  expect(state.instances).toEqual([]);
  expect(state.aiSearchTokens).toEqual([]);
  expect(state.apiTokens.filter((t) => !t.bootstrap)).toEqual([]);
});
