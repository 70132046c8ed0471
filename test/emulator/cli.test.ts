// The `cf-ai-search-emulator` bin: argument parsing and start-up in-process (main), and the
// compiled bin as a child process: first stdout line is the base URL, SIGINT/SIGTERM exit 0,
// a corrupt data file exits 1 with a message naming it.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { main, parseCli, UsageError, type CliIo } from "../../emulator/cli";

const repo = resolve(__dirname, "../..");

describe("main (in-process)", () => {
  it("starts, prints only the base URL on stdout, logs to stderr without the token", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {} };
    const emu = await main(
      ["--port", "0", "--api-token", "cfut_cliTestToken", "--propagation-failures", "2"],
      io,
    );
    try {
      expect(emu).toBeDefined();
      expect(out).toEqual([`${emu!.url}\n`]);
      expect(out[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4\n$/);
      expect(emu!.behaviour().propagationFailures).toBe(2);
      const r = await fetch(`${emu!.url}/user/tokens/verify`, {
        headers: { authorization: "Bearer cfut_cliTestToken" },
      });
      expect(r.status).toBe(200);
      expect(err.join("")).toContain("listening on");
      expect(err.join("")).toContain("GET /client/v4/user/tokens/verify 200");
      expect(err.join("")).not.toContain("cfut_cliTestToken");
    } finally {
      await emu?.close();
    }
  });

  it("--help prints usage and starts nothing", async () => {
    const out: string[] = [];
    expect(
      await main(["--help"], { stdout: (t) => out.push(t), stderr: () => undefined, env: {} }),
    ).toBeUndefined();
    expect(out.join("")).toContain("Usage: cf-ai-search-emulator");
    expect(out.join("")).toContain("--page-size-cap <1-100>");
    expect(out.join("")).toContain("--job-outcome <success|error>");
    expect(out.join("")).toContain("--sync-cooldown-ms <ms>");
  });

  it("parses every switch, reads the token from the environment, and rejects bad values", () => {
    const o = parseCli(
      [
        "--host",
        "0.0.0.0",
        "--account-id",
        "a".repeat(32),
        "--data-file",
        "/tmp/x.json",
        "--propagation-ms",
        "100",
        "--instance-teardown-ms",
        "5000",
        "--echo-token-id-on-read",
        "--legacy-default",
        "false",
        "--ai-search-token-create-status",
        "200",
        "--timestamp-style",
        "space",
        "--no-require-token-id-for-first-r2",
        "--page-size-cap",
        "100",
        "--ai-search-total-pages",
        "--no-refuse-legacy-token-routes",
        "--no-fill-instance-defaults",
        "--no-normalise-instance-values",
        "--echo-write-only-instance-fields",
        "--max-namespaces",
        "5",
        "--job-duration-ms",
        "0",
        "--job-outcome",
        "error",
        "--job-error-reason",
        "bucket gone",
        "--job-item-count",
        "3",
        "--sync-cooldown-ms",
        "1000",
        "--rate-limit-quota",
        "10",
        "--rate-limit-window",
        "60",
        "--no-rate-limit",
        "--quiet",
      ],
      { CF_AI_SEARCH_EMULATOR_API_TOKEN: "from-env" },
    )!;
    expect(o).toMatchObject({
      port: 0,
      host: "0.0.0.0",
      accountId: "a".repeat(32),
      apiToken: "from-env",
      dataFile: "/tmp/x.json",
      quiet: true,
      behaviour: {
        propagationMs: 100,
        instanceTeardownMs: 5000,
        echoTokenIdOnRead: true,
        legacyDefault: false,
        aiSearchTokenCreateStatus: 200,
        aiSearchTimestampStyle: "space",
        requireTokenIdForFirstR2: false,
        pageSizeCap: 100,
        aiSearchTotalPages: true,
        refuseLegacyTokenRoutes: false,
        fillInstanceDefaults: false,
        normaliseInstanceValues: false,
        echoWriteOnlyInstanceFields: true,
        maxNamespaces: 5,
        jobDurationMs: 0,
        jobOutcome: "error",
        jobErrorReason: "bucket gone",
        jobItemCount: 3,
        syncCooldownMs: 1000,
        rateLimit: { quota: 10, windowSeconds: 60, enabled: false },
      },
    });
    for (const bad of [
      ["--port", "x"],
      ["--port", "70000"],
      ["--account-id", "nothex"],
      ["--legacy-default", "maybe"],
      ["--unknown"],
      ["--rate-limit-quota", "0"],
      ["--ai-search-token-create-status", "204"],
      ["--page-size-cap", "0"],
      ["--page-size-cap", "101"],
      ["--max-namespaces", "0"],
      ["--job-outcome", "maybe"],
      ["--job-error-reason", ""],
      ["--sync-cooldown-ms", "-1"],
    ]) {
      expect(() => parseCli(bad, {})).toThrow(UsageError);
    }
  });
});

describe("compiled bin (child process)", () => {
  let outDir: string;
  let cli: string;
  const children: ChildProcessWithoutNullStreams[] = [];

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), "cf-emu-bin-"));
    // Compile the bin and what it imports; emit even if unrelated files have type errors.
    spawnSync(
      process.execPath,
      [
        require.resolve("typescript/bin/tsc"),
        "--outDir",
        outDir,
        "--rootDir",
        repo,
        "--module",
        "commonjs",
        "--target",
        "ES2022",
        "--moduleResolution",
        "node10",
        "--esModuleInterop",
        "--skipLibCheck",
        "--strict",
        "--types",
        "node",
        join(repo, "emulator/cli.ts"),
      ],
      { cwd: repo, encoding: "utf8" },
    );
    cli = join(outDir, "emulator/cli.js");
    expect(existsSync(cli)).toBe(true);
  }, 120_000);

  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    rmSync(outDir, { recursive: true, force: true });
  });

  function run(args: string[]) {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, NODE_PATH: join(repo, "node_modules") },
    });
    children.push(child);
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
    const firstLine = new Promise<string>((res, rej) => {
      const rl = createInterface({ input: child.stdout });
      rl.once("line", (l) => res(l));
      child.on("exit", () => rej(new Error(`exited before printing: ${stderr}`)));
    });
    firstLine.catch(() => undefined); // not every test awaits it
    return { child, firstLine, exited, stderr: () => stderr };
  }

  it.each(["SIGTERM", "SIGINT"] as const)(
    "prints the URL first, serves, and exits 0 on %s",
    async (signal) => {
      const p = run(["--port", "0", "--api-token", "cfut_binTestToken"]);
      const url = await p.firstLine;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
      const r = await fetch(`${url}/user/tokens/verify`, {
        headers: { authorization: "Bearer cfut_binTestToken" },
      });
      expect(r.status).toBe(200);
      p.child.kill(signal);
      expect(await p.exited).toBe(0);
      expect(p.stderr()).not.toContain("cfut_binTestToken");
    },
    30_000,
  );

  it("exits 1 naming a corrupt data file, which it leaves alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cf-emu-bad-"));
    const file = join(dir, "state.json");
    writeFileSync(file, "garbage");
    try {
      const p = run(["--port", "0", "--data-file", file]);
      await expect(p.firstLine).rejects.toThrow();
      expect(await p.exited).toBe(1);
      expect(p.stderr()).toContain(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it("exits 2 on a usage error", async () => {
    const p = run(["--port", "nope"]);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toContain("--port must be");
  }, 30_000);
});
