// scripts/with-supported-node.js, which the npm scripts (test, pretest, demo, bench*, emulator,
// test:e2e) run through: on a supported Node.js it just runs the command; on an older one it runs
// it under the Node.js 22+ that scripts/ensure-node provides and says so in one line, or stops
// before running anything with one line naming the version found, the version needed and the fix.
// Real processes throughout; the older Node.js is the machine's own when it has one.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { olderNode, type OlderNode } from "../support/olderNode";

const REPO = path.resolve(__dirname, "../..");
const LAUNCHER = path.join(REPO, "scripts", "with-supported-node.js");
const PRINT_VERSION = ["node", "-p", "process.version"];

/** The environment without what npm sets for the running script, plus `extra`. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("npm_")));
  return { ...base, ...extra };
}

function launch(node: string, args: string[], environment: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync(node, [LAUNCHER, ...args], {
    cwd: REPO,
    env: environment,
    encoding: "utf8",
    timeout: 60_000,
  });
}

function stderrLines(run: SpawnSyncReturns<string>): string[] {
  return run.stderr.split("\n").filter(Boolean);
}

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe(`on this Node.js (${process.version})`, () => {
  it("runs the command as given, says nothing, and exits with its code", () => {
    const script = "console.log(JSON.stringify(process.argv.slice(1))); process.exit(3)";
    const run = launch(process.execPath, ["node", "-e", script, "a", "b c"], env({}));
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual(["a", "b c"]);
    expect(run.status).toBe(3);
  });

  it("ends with the signal that ended the command", () => {
    const run = launch(process.execPath, ["node", "-e", "process.kill(process.pid, 'SIGTERM')"], env({}));
    expect(run.signal).toBe("SIGTERM");
  });

  it("names a command that cannot be run, on one line, and exits 127", () => {
    const run = launch(process.execPath, ["no-such-command-here"], env({ npm_lifecycle_event: "demo" }));
    expect(stderrLines(run)).toEqual([
      expect.stringMatching(/^npm run demo: cannot run no-such-command-here: /),
    ]);
    expect(run.status).toBe(127);
  });
});

// Made while collecting tests, so that the test names say which Node.js ran them.
const older: OlderNode = olderNode();

describe(`on ${older.description}`, () => {
  let scratch: string;
  /** A scripts/ensure-node cache (NODE_TOOLS_CACHE) holding this Node.js where ensure-node installs node@24. */
  let cache: string;
  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "with-supported-node-"));
    cache = path.join(scratch, "cache");
    const bin = path.join(cache, "node_modules", "node", "bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.symlinkSync(process.execPath, path.join(bin, "node"));
  });
  afterAll(() => {
    older.remove();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** The older node first on PATH, as on a machine whose system Node.js is older. */
  const olderFirst = (extra: Record<string, string>) =>
    env({ PATH: `${older.bin}${path.delimiter}${process.env.PATH ?? ""}`, ...extra });

  it("npm test: runs the command under ensure-node's Node.js and says so in one line", () => {
    const run = launch(
      older.node,
      PRINT_VERSION,
      olderFirst({ NODE_TOOLS_CACHE: cache, npm_lifecycle_event: "test" }),
    );
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(process.version);
    expect(stderrLines(run)).toEqual([
      `npm test: Node.js v${older.version} is older than 22; running under Node.js ${process.version} from scripts/ensure-node`,
    ]);
  });

  it.each([
    ["demo", "npm run demo"],
    ["bench:engine", "npm run bench:engine"],
    ["pretest", "npm test"],
  ])("the line names the npm command (script %s: %s)", (event, label) => {
    const run = launch(
      older.node,
      PRINT_VERSION,
      olderFirst({ NODE_TOOLS_CACHE: cache, npm_lifecycle_event: event }),
    );
    expect(run.status).toBe(0);
    expect(stderrLines(run)).toEqual([
      `${label}: Node.js v${older.version} is older than 22; running under Node.js ${process.version} from scripts/ensure-node`,
    ]);
  });

  it("--quiet (npm test's pretest build) runs it under ensure-node's Node.js without the line", () => {
    const run = launch(
      older.node,
      ["--quiet", ...PRINT_VERSION],
      olderFirst({ NODE_TOOLS_CACHE: cache, npm_lifecycle_event: "pretest" }),
    );
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(process.version);
    expect(run.stderr).toBe("");
  });

  it("stops before running anything, in one line, when ensure-node cannot install Node.js", async () => {
    // An empty cache and a registry that refuses connections: ensure-node's `npm install node@24` fails.
    const marker = path.join(scratch, "ran");
    const run = launch(
      older.node,
      ["node", "-e", `require("fs").writeFileSync(${JSON.stringify(marker)}, "ran")`],
      olderFirst({
        NODE_TOOLS_CACHE: path.join(scratch, "empty-cache"),
        npm_config_registry: `http://127.0.0.1:${await closedPort()}/`,
        npm_config_fetch_retries: "0",
        npm_config_cache: path.join(scratch, "npm-cache"),
        npm_lifecycle_event: "pretest",
      }),
    );
    expect(run.status).toBe(1);
    expect(fs.existsSync(marker)).toBe(false);
    const lines = stderrLines(run);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^npm test: Node\\.js v${older.version.replace(/\./g, "\\.")} is older than 22 \\(package\\.json engines: node >=22\\) ` +
          `and scripts/ensure-node could not provide it \\(.*ECONNREFUSED.*\\); fix: `,
      ),
    );
    expect(lines[0]).toContain(
      'run export PATH="$(scripts/ensure-node):$PATH", or install Node.js 22+ yourself',
    );
  });
});
