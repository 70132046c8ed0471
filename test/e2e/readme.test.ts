// The README's "Try it here, against the emulator" commands, word for word, in the repository
// root: the emulator started by its `npm run emulator` line, then every `pulumi` line through the
// CLI (and so the root project through the Node.js language host), with a file:// backend. After
// `pulumi up --yes` the emulator holds the token and the instances; after `pulumi destroy --yes`
// nothing. `npm ci` is the line this suite already stands on (it built dist/), so it is not rerun.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readmeBlock } from "../support/readmeBlocks";
import { cliRoot, languageHost, offlineCliEnv } from "./harness";

jest.setTimeout(300_000);

const REPO = path.resolve(__dirname, "../..");
const COMMANDS = readmeBlock("test/e2e/readme.test.ts", "sh").trim().split("\n");
const STACK_FILE = path.join(REPO, "Pulumi.dev.yaml");

interface EmulatorState {
  aiSearchTokens: { id: string }[];
  instances: { id: string }[];
  apiTokens: { id: string; bootstrap?: boolean }[];
}

let dir: string;
let env: NodeJS.ProcessEnv;
let emulator: ChildProcess | undefined;
let adminUrl = "";

beforeAll(() => {
  // The README's `pulumi stack init dev` writes this file; never overwrite a developer's own.
  if (fs.existsSync(STACK_FILE)) {
    throw new Error(
      `${STACK_FILE} exists: this test runs \`pulumi stack init dev\` in the root; move it away first`,
    );
  }
  const root = cliRoot();
  languageHost(root);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-ai-search-readme-"));
  env = { ...process.env, ...offlineCliEnv(root, dir) };
});

afterAll(() => {
  if (emulator?.pid) process.kill(-emulator.pid, "SIGTERM");
  fs.rmSync(STACK_FILE, { force: true });
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts a README line that ends in `&` as its own process group; resolves with the URL it prints. */
function startInBackground(line: string): Promise<string> {
  const child = spawn("sh", ["-c", line.replace(/\s*&$/, "")], {
    cwd: REPO,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  emulator = child;
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /^(http:\/\/\S+\/client\/v4)$/m.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.stderr.on("data", (chunk: Buffer) => void (out += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`\`${line}\` exited with ${code}:\n${out}`)));
  });
}

async function emulatorState(): Promise<EmulatorState> {
  const res = await fetch(`${adminUrl}/state`);
  return (await res.json()) as EmulatorState;
}

it("the README's commands create the quickstart in the emulator, and destroy it", async () => {
  expect(COMMANDS[0]).toBe("npm ci");
  const seen: string[] = [];
  for (const line of COMMANDS.slice(1)) {
    if (line.endsWith("&")) {
      const url = await startInBackground(line);
      adminUrl = url.replace(/\/client\/v4$/, "/__emulator");
      seen.push("emulator");
      continue;
    }
    execFileSync("sh", ["-c", line], { cwd: REPO, env, encoding: "utf8", stdio: "pipe" });
    if (line.startsWith("pulumi up")) {
      const state = await emulatorState();
      expect(state.aiSearchTokens).toHaveLength(1);
      expect(state.instances.map((i) => i.id).sort()).toEqual([
        "quickstart-docs",
        "quickstart-support",
        "quickstart-website",
      ]);
      expect(state.apiTokens.filter((t) => !t.bootstrap)).toHaveLength(1);
      seen.push("up");
    }
    if (line.startsWith("pulumi destroy")) {
      const state = await emulatorState();
      expect(state.aiSearchTokens).toEqual([]);
      expect(state.instances).toEqual([]);
      expect(state.apiTokens.filter((t) => !t.bootstrap)).toEqual([]);
      seen.push("destroy");
    }
  }
  expect(seen).toEqual(["emulator", "up", "destroy"]);
  execFileSync("sh", ["-c", "pulumi stack rm --yes dev"], { cwd: REPO, env, stdio: "pipe" });
  expect(fs.existsSync(STACK_FILE)).toBe(false);
});
