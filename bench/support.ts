// Shared pieces of `npm run bench`: the emulator in its own process (the built bin), the Pulumi
// CLI offline (as the e2e harness runs it), a user's project with this package installed under
// node_modules, and small statistics. Figures, not tests.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import {
  LocalWorkspace,
  PulumiCommand,
  type ConfigMap,
  type EngineEvent,
  type PulumiFn,
  type Stack,
} from "@pulumi/pulumi/automation";
import type * as Package from "../provider";
import type { HostCpuRecord } from "./hostCpu";

export const REPO = path.resolve(__dirname, "../..");
export const PACKAGE_NAME = "pulumi-cloudflare-ai-search";

// --- The emulator, in its own process ------------------------------------------------------

export interface EmulatorProcess {
  readonly url: string;
  readonly adminUrl: string;
  readonly accountId: string;
  readonly apiToken: string;
  /** Requests the emulator counted since the last reset: total and by "<METHOD> <template>". */
  counts(): Promise<Record<string, number>>;
  resetCounts(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `node dist/emulator/cli.js --port 0 --quiet <args>` and waits for its URL. */
export async function startEmulatorProcess(args: string[] = []): Promise<EmulatorProcess> {
  const apiToken = "fake-benchBootstrapToken000000000000000000000000";
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(REPO, "dist/emulator/cli.js"), "--port", "0", "--quiet", "--api-token", apiToken, ...args],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const rl = createInterface({ input: child.stdout! });
  const [url] = (await Promise.race([
    once(rl, "line"),
    once(child, "exit").then(() => {
      throw new Error("the emulator exited before printing its URL");
    }),
  ])) as [string];
  rl.close();
  const adminUrl = url.replace("/client/v4", "/__emulator");
  const info = (await (await fetch(`${adminUrl}/info`)).json()) as { accountId: string };
  return {
    url,
    adminUrl,
    accountId: info.accountId,
    apiToken,
    counts: async () => (await (await fetch(`${adminUrl}/requests`)).json()) as Record<string, number>,
    resetCounts: async () => void (await fetch(`${adminUrl}/requests`, { method: "DELETE" })),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

/** Writes (POST, PUT, PATCH, DELETE) among request counts. */
export function writesOf(counts: Record<string, number>): number {
  return Object.entries(counts)
    .filter(([k]) => /^(POST|PUT|PATCH|DELETE) /.test(k))
    .reduce((n, [, v]) => n + v, 0);
}

// --- The engine -----------------------------------------------------------------------------

/** The CLI root: PULUMI_CLI_ROOT, or what scripts/ensure-pulumi prints (as the e2e harness). */
export function cliRoot(): string {
  if (process.env.PULUMI_CLI_ROOT) return process.env.PULUMI_CLI_ROOT;
  const out = execFileSync(path.join(REPO, "scripts/ensure-pulumi"), { cwd: REPO, encoding: "utf8" });
  return out.trim().split("\n").at(-1) ?? "";
}

export interface Engine {
  readonly dir: string;
  /** The user's project folder: the package under node_modules, where the provider host starts. */
  readonly project: string;
  /** The package as the user's program loads it (from the project's node_modules). */
  readonly pkg: typeof Package;
  stack(name: string, program: PulumiFn, config: ConfigMap): Promise<Stack>;
  /**
   * The CPU ms of the dynamic-provider hosts that ended since the last call (one per command):
   * waits until `hosts` have written their figure (the engine stops its host as the command ends).
   */
  hostCpuMs(hosts?: number): Promise<number>;
  close(): void;
}

/** Provider waits small enough for loopback runs (the latency part uses the defaults). */
export const FAST_WAITS: ConfigMap = {
  "cloudflare-ai-search:propagationRetryDelayMs": { value: "50" },
  "cloudflare-ai-search:pollIntervalMs": { value: "50" },
  "cloudflare-ai-search:deleteTimeoutSeconds": { value: "60" },
};

export function emulatorConfig(emu: EmulatorProcess): ConfigMap {
  return {
    "cloudflare:apiToken": { value: emu.apiToken, secret: true },
    "cloudflare-ai-search:baseUrl": { value: emu.url },
  };
}

export async function startEngine(): Promise<Engine> {
  const root = cliRoot();
  const command = await PulumiCommand.get({ root });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-ai-search-bench-"));
  const project = userProject(dir);
  fs.mkdirSync(path.join(dir, "backend"));
  // The dynamic provider plugin from this checkout, on PATH as well: the CLI looks beside itself
  // first, but a link there may point at another checkout (the CLI cache is shared).
  const plugins = path.join(dir, "plugins");
  fs.mkdirSync(plugins);
  fs.symlinkSync(
    path.join(REPO, "node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"),
    path.join(plugins, "pulumi-resource-pulumi-nodejs"),
  );
  // Every provider host records its CPU time (hostCpu.ts); BENCH_PROVIDER_NODE_OPTIONS adds
  // options of its own, e.g. a `--require` hook that profiles the host.
  const hostCpuDir = path.join(dir, "host-cpu");
  fs.mkdirSync(hostCpuDir);
  const nodeOptions = [
    `--require ${path.join(__dirname, "hostCpu.js")}`,
    process.env.BENCH_PROVIDER_NODE_OPTIONS ?? "",
  ].join(" ");
  const envVars = {
    PULUMI_BACKEND_URL: `file://${path.join(dir, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: "bench",
    PULUMI_HOME: path.join(dir, "home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_CREDENTIAL_STORE: "plaintext",
    CLOUDFLARE_API_TOKEN: "",
    PATH: [path.join(root, "bin"), plugins, process.env.PATH ?? ""].join(path.delimiter),
    NODE_OPTIONS: nodeOptions.trim(),
    BENCH_HOST_CPU_DIR: hostCpuDir,
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed copy, as a user's program loads it
  const pkg = require(path.join(project, "node_modules", PACKAGE_NAME)) as typeof Package;
  return {
    dir,
    project,
    pkg,
    async stack(name, program, config) {
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: name, projectName: "bench", program },
        {
          pulumiCommand: command,
          envVars,
          projectSettings: { name: "bench", runtime: "nodejs", main: project },
        },
      );
      await stack.setAllConfig(config);
      return stack;
    },
    hostCpuMs: (hosts = 1) => takeHostCpu(hostCpuDir, hosts),
    close: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Sums and removes the hosts' records, waiting up to 10 s for `hosts` of them to be written; NaN
 * if fewer came.
 */
async function takeHostCpu(dir: string, hosts: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  let files = fs.readdirSync(dir);
  while (files.length < hosts && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    files = fs.readdirSync(dir);
  }
  if (files.length < hosts) {
    // A host that ended without its hook running (killed outright): no figure, not a failed bench.
    console.error(`bench: ${files.length} of ${hosts} provider hosts reported their CPU time`);
    for (const file of files) fs.rmSync(path.join(dir, file));
    return NaN;
  }
  let total = 0;
  for (const file of files) {
    const record = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as HostCpuRecord;
    total += record.cpuMs;
    fs.rmSync(path.join(dir, file));
  }
  return total;
}

/** A project folder with the built package copied under node_modules as `npm install` leaves it. */
function userProject(dir: string): string {
  const project = path.join(dir, "project");
  const pkg = path.join(project, "node_modules", PACKAGE_NAME);
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
    files: string[];
  };
  fs.mkdirSync(pkg, { recursive: true });
  fs.copyFileSync(path.join(REPO, "package.json"), path.join(pkg, "package.json"));
  // A `!pattern` entry excludes files from what npm packs (source maps); copying them as well is harmless.
  for (const entry of manifest.files.filter((f) => !f.startsWith("!")))
    fs.cpSync(path.join(REPO, entry), path.join(pkg, entry), { recursive: true });
  for (const entry of fs.readdirSync(path.join(REPO, "node_modules"))) {
    if (entry === PACKAGE_NAME || entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(REPO, "node_modules", entry), path.join(project, "node_modules", entry));
  }
  fs.writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({ name: "bench-project", private: true }),
  );
  return project;
}

/** Counts the provider's 7012 retries (its "retry i/n in d ms" log lines) among engine events. */
export function waitCounter(): { onEvent: (e: EngineEvent) => void; waits: () => number } {
  let waits = 0;
  return {
    onEvent: (e) => {
      const m = e.diagnosticEvent?.message ?? "";
      if (/\(7012\); retry \d+\/\d+ in/.test(m)) waits += 1;
    },
    waits: () => waits,
  };
}

// --- Measurement ----------------------------------------------------------------------------

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await fn();
  return { ms: performance.now() - started, result };
}

/** The 1-minute load average now, for figures measured on a shared machine. */
export function load(): number {
  return Number(os.loadavg()[0]!.toFixed(2));
}

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

export interface PartResult {
  readonly part: number;
  readonly title: string;
  readonly target: string;
  /** true / false when the part has a target; null when it only reports. */
  readonly met: boolean | null;
  readonly lines: string[];
  readonly data: unknown;
}

export function table(rows: (string | number)[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? "").length)));
  // Text left, figures right.
  const numeric = (cell: string | number) => /^[\d.,\s%/-]*\d[\d.,\s%/-]*$/.test(String(cell));
  return rows.map((r) =>
    r
      .map((cell, c) =>
        c === 0 || !numeric(cell) ? String(cell).padEnd(widths[c]!) : String(cell).padStart(widths[c]!),
      )
      .join("  ")
      .trimEnd(),
  );
}
