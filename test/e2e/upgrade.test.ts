// Pulumi runs refresh and destroy with the provider code stored in state. Ours is a shim that
// loads `<package>/runtime` from the program directory at call time, so upgrading the package is
// enough: this test writes state with one build of the package, changes the runtime's
// implementation, and checks that refresh and destroy run the new code without an `up` first.
// Then: state written by the release before the namespaced routes (built from its commit) keeps
// working with this build once Cloudflare retires the account-level instance routes.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { AiSearchInstance, AiSearchNamespace, ServiceApiToken } from "../../provider";
import { recorder, startEngine, type Engine } from "./harness";
import { copyInstalledPackage } from "../support/installedPackage";

jest.setTimeout(300_000);

/**
 * Builds whose state stacks hold today, both before the namespaced routes (they reached `default`'s
 * instances through the account-level routes and took any 404 for "gone"): release 0.1.0 (the last
 * commit of its date in CHANGELOG.md; no release is tagged or published) and main just before them.
 */
const EARLIER_BUILDS = [
  { label: "v010", commit: "39395dd" },
  { label: "main", commit: "54af236" },
] as const;

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

/** Replaces the installed copy's dist/provider and dist/nodeVersion with a build of `commit`. */
async function installBuildOf(commit: string, pkg: string, scratch: string): Promise<void> {
  const src = path.join(scratch, `src-${commit}`);
  fs.mkdirSync(src, { recursive: true });
  const tar = execFileSync(
    "git",
    ["archive", "--format=tar", commit, "provider", "nodeVersion", "package.json"],
    {
      cwd: REPO,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  execFileSync("tar", ["-x", "-C", src], { input: tar });
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(src, "node_modules"));
  const base = JSON.parse(fs.readFileSync(path.join(REPO, "tsconfig.json"), "utf8")) as {
    compilerOptions: Record<string, unknown>;
  };
  const { paths: _paths, ...compilerOptions } = base.compilerOptions;
  const out = path.join(scratch, `dist-${commit}`);
  fs.writeFileSync(
    path.join(src, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        ...compilerOptions,
        types: ["node"],
        declaration: false,
        sourceMap: false,
        outDir: out,
      },
      include: ["provider", "nodeVersion"],
    }),
  );
  // Asynchronous, so that the builds of both commits run side by side.
  await promisify(execFile)(
    process.execPath,
    [path.join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", src],
    {
      cwd: src,
    },
  );
  for (const dir of ["provider", "nodeVersion"]) {
    fs.rmSync(path.join(pkg, "dist", dir), { recursive: true, force: true });
    fs.cpSync(path.join(out, dir), path.join(pkg, "dist", dir), { recursive: true });
  }
}

it("state written by 0.1.0 and by main before the namespaced routes: refresh, a no-change up and destroy, with those routes retired", async () => {
  // The two stacks run side by side (one engine, one backend), each phase for both at once.
  engine.emulator.resetRequestCounts();
  const stacks = await Promise.all(
    EARLIER_BUILDS.map(async ({ label, commit }) => {
      const root = fs.mkdtempSync(path.join(engine.dir, `routes-${label}-`));
      const { programDir: dir, installed: pkg } = makeProgramDir(root);
      await installBuildOf(commit, pkg, root);
      const program = async () => {
        const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
        const token = new ServiceApiToken("token", { accountId });
        const team = new AiSearchNamespace("team", { accountId, name: `e2e-upgrade-${label}` });
        // No namespace given: `default`, reached by the old build through the account-level routes.
        new AiSearchInstance("docs", {
          accountId,
          instanceId: `e2e-${label}-docs`,
          tokenId: token.id,
          maxNumResults: 7,
        });
        new AiSearchInstance("site", {
          accountId,
          instanceId: `e2e-${label}-site`,
          namespace: team,
          type: "web-crawler",
          source: "example.com",
          tokenId: token.id,
        });
      };
      const stack = await engine.stack(`routes-${label}`, program, {}, dir);
      expect((await stack.up(recorder(engine.output))).summary.result).toBe("succeeded");
      return { label, stack, pkg };
    }),
  );
  // Both were written through the account-level routes.
  const counts = engine.emulator.requestCounts() as unknown as Record<string, number>;
  expect(counts["POST /accounts/:account_id/ai-search/instances"]).toBe(EARLIER_BUILDS.length);
  const placed = () =>
    engine.emulator
      .state()
      .instances.map((i) => `${i.namespace}/${i.id}`)
      .sort();
  const before = placed();

  engine.emulator.configure({ retireAccountLevelInstanceRoutes: true });
  try {
    await Promise.all(
      stacks.map(async ({ label, stack, pkg }) => {
        copyInstalledPackage(pkg); // the upgrade: this build
        await stack.refresh({ ...recorder(engine.output), expectNoChanges: true });
        const again = await stack.up({ ...recorder(engine.output), expectNoChanges: true });
        expect([label, again.summary.resourceChanges]).toEqual([label, { same: 5 }]);
      }),
    );
    expect(placed()).toEqual(before);
    await Promise.all(stacks.map(({ stack }) => stack.destroy(recorder(engine.output))));
    const end = engine.emulator.state();
    expect(end.instances).toEqual([]);
    expect(end.aiSearchTokens).toEqual([]);
    expect(end.namespaces.map((n) => n.name)).toEqual(["default"]);
  } finally {
    engine.emulator.configure({ retireAccountLevelInstanceRoutes: false });
  }
});
