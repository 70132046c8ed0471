// Pulumi runs refresh and destroy with the provider code stored in state. Ours is a shim that
// loads `<package>/runtime` from the program directory at call time, so upgrading the package is
// enough: this test writes state with one build of the package, changes the runtime's
// implementation, and checks that refresh and destroy run the new code without an `up` first.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ServiceApiToken } from "../../provider";
import { recorder, startEngine, type Engine } from "./harness";
import { copyInstalledPackage } from "../support/installedPackage";

jest.setTimeout(300_000);

const REPO = path.resolve(__dirname, "../..");
let engine: Engine;
let programDir: string;
let installed: string;

/** A program directory whose node_modules holds its own copy of this package (and links to the rest). */
function makeProgramDir(root: string): { programDir: string; installed: string } {
  const dir = path.join(root, "program");
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(modules, { recursive: true });
  for (const entry of fs.readdirSync(path.join(REPO, "node_modules"))) {
    if (entry === "pulumi-cloudflare-ai-search" || entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(REPO, "node_modules", entry), path.join(modules, entry));
  }
  const pkg = path.join(modules, "pulumi-cloudflare-ai-search");
  copyInstalledPackage(pkg);
  return { programDir: dir, installed: pkg };
}

/** "Release 2": the runtime marks what it refreshes and leaves a file when it deletes. */
function upgradeRuntime(pkg: string): void {
  const runtime = path.join(pkg, "dist", "provider", "runtime.js");
  fs.appendFileSync(
    runtime,
    `
const v1Read = exports.serviceApiToken.read;
exports.serviceApiToken.read = async (...args) => {
  const result = await v1Read(...args);
  if (result.props) result.props.refreshedBy = "runtime-v2";
  return result;
};
const v1Delete = exports.serviceApiToken.delete;
exports.serviceApiToken.delete = async (...args) => {
  require("node:fs").writeFileSync(require("node:path").join(__dirname, "deleted-by-v2"), args[0]);
  return v1Delete(...args);
};
`,
  );
}

beforeAll(async () => {
  engine = await startEngine("e2e-upgrade");
  ({ programDir, installed } = makeProgramDir(engine.dir));
});
afterAll(async () => engine?.close());

it("refresh and destroy run the upgraded runtime without an up first", async () => {
  const program = async () => {
    const token = new ServiceApiToken("token", {
      accountId: new pulumi.Config("cloudflare-ai-search").require("accountId"),
    });
    return { tokenId: token.id };
  };
  const stack = await engine.stack("upgrade", program, {}, programDir);
  const up = await stack.up(recorder(engine.output));
  const tokenId = up.outputs.tokenId!.value as string;
  const stored = () =>
    (
      stack.exportStack() as Promise<{
        deployment: { resources: { type: string; outputs?: Record<string, unknown> }[] };
      }>
    ).then((s) => s.deployment.resources.find((r) => r.type.endsWith(":ServiceApiToken"))!);
  expect((await stored()).outputs?.refreshedBy).toBeUndefined();

  upgradeRuntime(installed);

  await stack.refresh(recorder(engine.output));
  expect((await stored()).outputs?.refreshedBy).toBe("runtime-v2");

  await stack.destroy(recorder(engine.output));
  expect(fs.readFileSync(path.join(installed, "dist", "provider", "deleted-by-v2"), "utf8")).toBe(tokenId);
  expect(engine.emulator.state().aiSearchTokens).toEqual([]);
});
