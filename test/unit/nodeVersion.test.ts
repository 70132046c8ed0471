// The package on a Node.js older than it supports: every entry point a user's program, the
// provider host or a shell reaches fails first with one message naming the version found, the
// version needed and the fix, never with an error from inside undici (which fails to load on
// Node.js 20). The real-process checks run the built package (dist/, as `npm test` builds it)
// installed in a user's project the way npm leaves it (package.json "files").
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MINIMUM_NODE_MAJOR, unsupportedNodeMessage } from "../../nodeVersion/requirement";
import { copyInstalledPackage } from "../support/installedPackage";
import { olderNode, type OlderNode } from "../support/olderNode";

const REPO = path.resolve(__dirname, "../..");
const PACKAGE = "pulumi-cloudflare-ai-search";
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
  engines: { node: string };
  dependencies: Record<string, string>;
};

describe("unsupportedNodeMessage", () => {
  it.each(["20.20.2", "21.7.3", "18.20.8", "16.0.0"])("names v%s, the version needed and the fix", (v) => {
    const message = unsupportedNodeMessage(v, "/opt/node/bin/node");
    expect(message).toContain(`this is Node.js v${v} (/opt/node/bin/node)`);
    expect(message).toContain('needs Node.js 22 or newer (package.json "engines": node >=22)');
    expect(message).toContain(
      "Fix: install Node.js 22+ (24 LTS, e.g. `nvm install 24`) and put it first on PATH",
    );
  });

  it.each(["22.0.0", "22.12.0", "24.21.0", "25.1.0"])("accepts v%s", (v) => {
    expect(unsupportedNodeMessage(v, "/opt/node/bin/node")).toBeUndefined();
  });

  it("needs the version that package.json engines and scripts/ensure-node name", () => {
    expect(manifest.engines.node).toBe(`>=${MINIMUM_NODE_MAJOR}`);
    expect(fs.readFileSync(path.join(REPO, "scripts", "ensure-node"), "utf8")).toMatch(
      new RegExp(`^min_major=${MINIMUM_NODE_MAJOR}$`, "m"),
    );
  });
});

/** A user's project with the built package installed under node_modules as `npm install` leaves it. */
function userProject(): string {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "older-node-project-"));
  const modules = path.join(project, "node_modules");
  copyInstalledPackage(path.join(modules, PACKAGE));
  // The dependencies are there too, so an entry point that loaded undici before checking would get that far.
  for (const dep of [...Object.keys(manifest.dependencies), "@pulumi"]) {
    fs.symlinkSync(path.join(REPO, "node_modules", dep), path.join(modules, dep));
  }
  return project;
}

// Made while collecting tests, so that the test names say which Node.js ran them.
const older: OlderNode = olderNode();

describe(`the built package, installed, on ${older.description}`, () => {
  let project: string;
  beforeAll(() => {
    project = userProject();
  });
  afterAll(() => {
    older.remove();
    fs.rmSync(project, { recursive: true, force: true });
  });

  it.each([PACKAGE, `${PACKAGE}/runtime`, `${PACKAGE}/emulator`])(
    "require(%j) throws the one message before undici loads",
    (entry) => {
      const script = `
        let message;
        try { require(${JSON.stringify(entry)}); } catch (e) { message = e.message; }
        const undiciLoaded = Object.keys(require.cache).some((f) => /node_modules[\\\\/]undici[\\\\/]/.test(f));
        process.stdout.write(JSON.stringify({ message, execPath: process.execPath, undiciLoaded }));`;
      const run = spawnSync(older.node, ["-e", script], { cwd: project, encoding: "utf8" });
      expect(run.stderr).toBe("");
      const seen = JSON.parse(run.stdout) as { message?: string; execPath: string; undiciLoaded: boolean };
      expect(seen.message).toBe(unsupportedNodeMessage(older.version, seen.execPath));
      expect(seen.message).toContain(`but this is Node.js v${older.version}`);
      expect(seen.undiciLoaded).toBe(false);
    },
  );

  it("the cf-ai-search-emulator bin prints the one message as one line and exits 1", () => {
    const bin = path.join(project, "node_modules", PACKAGE, "dist", "emulator", "cli.js");
    const run = spawnSync(older.node, [bin, "--port", "0"], { encoding: "utf8", timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^cf-ai-search-emulator: pulumi-cloudflare-ai-search needs Node\\.js 22 or newer .* but this is Node\\.js v${older.version.replace(/\./g, "\\.")} `,
      ),
    );
  });

  it(`runs on ${process.version} (this test's Node.js)`, () => {
    const run = spawnSync(
      process.execPath,
      [
        "-e",
        `require(${JSON.stringify(PACKAGE)}); require("${PACKAGE}/runtime"); require("${PACKAGE}/emulator")`,
      ],
      {
        cwd: project,
        encoding: "utf8",
      },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
