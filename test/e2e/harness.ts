// The real Pulumi engine, offline: the CLI from scripts/ensure-pulumi, a file:// backend and a
// PULUMI_HOME in a temporary folder, a passphrase, no update checks, no plugin downloads, and
// the emulator on loopback as the Cloudflare API. Programs run either inline through the
// Automation API (`stack`), or as project folders under the Node.js language host (`project`),
// the way `pulumi up` in that folder runs them.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  LocalWorkspace,
  PulumiCommand,
  type ConfigMap,
  type PulumiFn,
  type Stack,
} from "@pulumi/pulumi/automation";
import * as pulumiSettings from "@pulumi/pulumi/runtime/settings";
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../../emulator";

const REPO = path.resolve(__dirname, "../..");

/** Where the CLI is: PULUMI_CLI_ROOT, or what scripts/ensure-pulumi prints (it builds it if needed). */
export function cliRoot(): string {
  if (process.env.PULUMI_CLI_ROOT) return process.env.PULUMI_CLI_ROOT;
  const out = execFileSync(path.join(REPO, "scripts/ensure-pulumi"), { cwd: REPO, encoding: "utf8" });
  const root = out.trim().split("\n").at(-1) ?? "";
  if (!fs.existsSync(path.join(root, "bin", "pulumi"))) {
    throw new Error(`scripts/ensure-pulumi printed ${JSON.stringify(root)}, which has no bin/pulumi`);
  }
  return root;
}

/** The Node.js language host beside the CLI (scripts/ensure-pulumi puts it there), or a clear error. */
export function languageHost(root: string): string {
  const host = path.join(root, "bin", "pulumi-language-nodejs");
  if (!fs.existsSync(host)) {
    throw new Error(
      `${host} is missing: project folders run under the Node.js language host. ` +
        "Run scripts/ensure-pulumi (it builds the host from the Go module proxy) and try again.",
    );
  }
  return host;
}

export interface Engine {
  readonly emulator: EmulatorHandle;
  readonly dir: string;
  readonly command: PulumiCommand;
  /** Everything the CLI printed, across all stacks, for secret scans. */
  readonly output: string[];
  /**
   * A stack of an inline program. `programDir` is the program directory the provider host starts
   * in (and resolves this package from); by default the test's cwd, the repository root.
   */
  stack(name: string, program: PulumiFn, config?: ConfigMap, programDir?: string): Promise<Stack>;
  /**
   * A stack of the project in `workDir` (its Pulumi.yaml), run by the Node.js language host as
   * `pulumi up` there runs it. Its Pulumi.<name>.yaml is removed again by `close`. `backend` names
   * another file:// backend than the engine's own (as another developer's), in the same account:
   * commands run through the CLI take it from the stack's `workspace.envVars`.
   */
  project(name: string, workDir: string, config?: ConfigMap, backend?: string): Promise<Stack>;
  /** The environment every stack runs with (backend, home, passphrase, no update checks...). */
  stackEnv(): Record<string, string>;
  /** The config every stack gets: the emulator as the Cloudflare API, and fast waits. */
  stackConfig(): ConfigMap;
  /** Runs the CLI itself (for commands the Automation API does not offer as they are). */
  cli(args: string[], stack: Stack): string;
  /** The state files the file:// backend holds, as Pulumi wrote them (secrets encrypted). */
  stateFiles(): string[];
  close(): Promise<void>;
}

/** Waits for the provider's own loops: small, so a test never sits in a 5-minute poll. */
export const FAST_WAITS: ConfigMap = {
  "cloudflare-ai-search:propagationRetryDelayMs": { value: "50" },
  "cloudflare-ai-search:pollIntervalMs": { value: "50" },
  "cloudflare-ai-search:deleteTimeoutSeconds": { value: "20" },
};

/**
 * The environment for the CLI (the engine, and the programs and plugins it starts) that keeps it
 * offline and inside `dir`: a file:// backend and a PULUMI_HOME there, a passphrase, no update
 * checks, no plugin downloads, no real Cloudflare token, and the CLI's bin/ (where the language
 * host and the dynamic provider plugin are) first on PATH: the CLI looks beside its own resolved
 * executable first, which is elsewhere when bin/pulumi links to a PATH CLI.
 */
export function offlineCliEnv(root: string, dir: string): Record<string, string> {
  const backend = path.join(dir, "backend");
  const home = path.join(dir, "home");
  fs.mkdirSync(backend, { recursive: true });
  fs.mkdirSync(home, { recursive: true });
  // Our own copy of the dynamic provider plugin, next on PATH: the CLI's bin/ is shared with other
  // checkouts on this machine, and a link there to another checkout's node_modules can go away mid-run.
  const plugins = path.join(dir, "plugins");
  fs.mkdirSync(plugins, { recursive: true });
  const shim = path.join(
    path.dirname(require.resolve("@pulumi/pulumi/package.json")),
    "pulumi-resource-pulumi-nodejs",
  );
  if (fs.existsSync(shim)) {
    fs.copyFileSync(shim, path.join(plugins, "pulumi-resource-pulumi-nodejs"));
    fs.chmodSync(path.join(plugins, "pulumi-resource-pulumi-nodejs"), 0o755);
  }
  return {
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    PULUMI_HOME: home,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_CREDENTIAL_STORE: "plaintext",
    // The dynamic provider host inherits this environment: make sure it cannot reach real Cloudflare.
    CLOUDFLARE_API_TOKEN: "",
    PATH: [path.join(root, "bin"), plugins, process.env.PATH ?? ""].join(path.delimiter),
  };
}

/**
 * Inline programs run in this process, and every run talks to a new engine on a new port through
 * @pulumi/pulumi's gRPC clients, which it never closes. grpc-js shares connections between
 * channels in a process-wide pool keyed by address: when a new engine happens to get the port of
 * an earlier one that has exited, the new client inherits that dead connection's backoff and its
 * first call fails at once with `14 UNAVAILABLE: No connection established. Last error: null`
 * (reproduced with two grpc-js servers on one port; it failed reliability runs that start
 * hundreds of engines). A pool per channel gives each run its own connection. A program run by
 * the language host (how users run projects) is one process per run and never shares a pool.
 */
function giveEachInlineRunItsOwnConnection(): void {
  // Internal (not in the .d.ts), hence the cast: a plain object of channel options the SDK passes
  // to every ResourceMonitorClient and EngineClient it makes.
  const settings = pulumiSettings as unknown as { grpcClientOptions?: Record<string, unknown> };
  if (!settings.grpcClientOptions)
    throw new Error("@pulumi/pulumi/runtime/settings has no grpcClientOptions");
  settings.grpcClientOptions["grpc.use_local_subchannel_pool"] = 1;
}

export async function startEngine(
  projectName = "e2e",
  emulatorOptions: Omit<EmulatorOptions, "port"> = {},
): Promise<Engine> {
  giveEachInlineRunItsOwnConnection();
  const root = cliRoot();
  const command = await PulumiCommand.get({ root });
  const emulator = await startEmulator({ ...emulatorOptions, port: 0 });
  const stackFiles: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-ai-search-e2e-"));
  const backend = path.join(dir, "backend");
  const output: string[] = [];
  const stackConfig = (): ConfigMap => ({
    "cloudflare:apiToken": { value: emulator.apiToken, secret: true },
    "cloudflare-ai-search:baseUrl": { value: emulator.url },
    "cloudflare-ai-search:accountId": { value: emulator.accountId },
    ...FAST_WAITS,
  });
  const envVars = { ...offlineCliEnv(root, dir), CLOUDFLARE_API_BASE_URL: emulator.url };

  return {
    emulator,
    dir,
    command,
    output,
    async stack(name, program, config = {}, programDir) {
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: name, projectName, program },
        // No workDir: the temporary one Automation makes keeps Pulumi.yaml and stack files out of the
        // repo, while the program directory (main) stays process.cwd(), where the package resolves.
        {
          pulumiCommand: command,
          envVars,
          ...(programDir
            ? { projectSettings: { name: projectName, runtime: "nodejs", main: programDir } }
            : {}),
        },
      );
      await stack.setAllConfig({ ...stackConfig(), ...config });
      return stack;
    },
    async project(name, workDir, config = {}, otherBackend) {
      languageHost(root);
      // A file left by an interrupted run would carry an old encryption salt: start clean.
      const stackFile = path.join(workDir, `Pulumi.${name}.yaml`);
      fs.rmSync(stackFile, { force: true });
      stackFiles.push(stackFile);
      const backendVars: Record<string, string> = {};
      if (otherBackend) {
        const other = path.join(dir, `backend-${otherBackend}`);
        fs.mkdirSync(other, { recursive: true });
        backendVars.PULUMI_BACKEND_URL = `file://${other}`;
      }
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: name, workDir },
        { pulumiCommand: command, envVars: { ...envVars, ...backendVars } },
      );
      await stack.setAllConfig({ ...stackConfig(), ...config });
      return stack;
    },
    stackEnv: () => ({ ...envVars }),
    stackConfig,
    cli(args, stack) {
      return execFileSync(command.command, args, {
        cwd: stack.workspace.workDir,
        env: { ...process.env, ...envVars },
        encoding: "utf8",
      });
    },
    stateFiles() {
      const stacks = path.join(backend, ".pulumi", "stacks");
      const found: string[] = [];
      const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(full);
          else if (entry.name.endsWith(".json")) found.push(full);
        }
      };
      if (fs.existsSync(stacks)) walk(stacks);
      return found;
    },
    async close() {
      for (const file of stackFiles) fs.rmSync(file, { force: true });
      await emulator.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Collects a command's output lines into `sink` as well as returning them. */
export function recorder(sink: string[]): { onOutput: (line: string) => void } {
  return { onOutput: (line: string) => void sink.push(line) };
}
