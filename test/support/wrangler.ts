// Cloudflare's CLI (`wrangler ai-search`, pinned by scripts/ensure-wrangler, installed outside the
// repo) run against an emulator: offline, without prompts, and with an environment built from
// scratch, so that no Cloudflare credentials or wrangler settings of the machine leak in, and its
// config, logs and caches go to a temporary HOME. Used by test/emulator/wrangler.test.ts and the
// destroy scenario of test/e2e/destroyGuard.test.ts.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const repo = join(__dirname, "..", "..");

/** The Cloudflare API wrangler talks to: an emulator's base URL, credential and account. */
export interface WranglerTarget {
  readonly url: string;
  readonly apiToken: string;
  readonly accountId: string;
}

export interface WranglerRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Wrangler {
  /** Runs `wrangler ai-search …`. Asynchronous, because the emulator may answer from this process. */
  aiSearch(...args: string[]): Promise<WranglerRun>;
  /** Removes the temporary HOME. */
  close(): void;
}

/**
 * The wrangler bin, installed by scripts/ensure-wrangler (the first run may install it from the
 * npm registry). A wrangler that cannot be had throws (CI installs it first): never a skip.
 */
export function ensureWrangler(): string {
  return execFileSync(join(repo, "scripts", "ensure-wrangler"), {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
}

/** The environment wrangler runs with: the target's API, no prompts, no metrics, a private HOME. */
export function wranglerEnv(target: WranglerTarget, home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    CLOUDFLARE_API_BASE_URL: target.url,
    CLOUDFLARE_API_TOKEN: target.apiToken,
    CLOUDFLARE_ACCOUNT_ID: target.accountId,
    CI: "true",
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_LOG_PATH: join(home, "logs"),
    NO_COLOR: "1",
    FORCE_COLOR: "0",
  };
}

/** A wrangler pointed at `target`, with its own temporary HOME. */
export function wranglerFor(bin: string, target: WranglerTarget): Wrangler {
  const home = mkdtempSync(join(tmpdir(), "wrangler-home-"));
  return {
    async aiSearch(...args: string[]): Promise<WranglerRun> {
      try {
        const { stdout, stderr } = await run(process.execPath, [bin, "ai-search", ...args], {
          env: wranglerEnv(target, home),
          cwd: home,
          encoding: "utf8",
        });
        return { code: 0, stdout, stderr };
      } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        return {
          code: typeof e.code === "number" ? e.code : -1,
          stdout: e.stdout ?? "",
          stderr: e.stderr ?? "",
        };
      }
    },
    close: () => rmSync(home, { recursive: true, force: true }),
  };
}
