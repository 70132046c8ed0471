// `npm run test:live` runs against real Cloudflare, which no test here can reach: what is checked
// is that it refuses to start, with one line naming what is missing, unless both variables are set,
// and that its report lists exactly the observations that differ.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { refusal } from "../../scripts/live";
import { differences } from "../../scripts/live/observations";

const ENTRY = path.resolve(__dirname, "../../dist/scripts/live/index.js");

function runWith(env: Record<string, string>): { code: number; stderr: string; stdout: string } {
  try {
    const stdout = execFileSync(process.execPath, [ENTRY], {
      env: { PATH: process.env.PATH ?? "", ...env },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { code: 0, stderr: "", stdout };
  } catch (err) {
    const e = err as { status: number; stderr: string; stdout: string };
    return { code: e.status, stderr: e.stderr, stdout: e.stdout };
  }
}

describe("npm run test:live", () => {
  it.each([
    [{}, "CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID"],
    [{ CLOUDFLARE_API_TOKEN: "set" }, "CLOUDFLARE_ACCOUNT_ID"],
    [{ CLOUDFLARE_ACCOUNT_ID: "0123456789abcdef0123456789abcdef" }, "CLOUDFLARE_API_TOKEN"],
  ])("refuses to start with %j, in one line naming what is missing, and calls nothing", (env, missing) => {
    const { code, stderr, stdout } = runWith(env);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toEqual([expect.stringContaining(`(missing: ${missing})`)]);
  });

  it("accepts both variables", () => {
    expect(refusal({ CLOUDFLARE_API_TOKEN: "x", CLOUDFLARE_ACCOUNT_ID: "y" })).toBeUndefined();
  });

  it("reports every observation that differs between the emulator and Cloudflare, and only those", () => {
    const emulator = [
      { step: "create", observed: { minted: true, propagationRetries: "none" } },
      { step: "read", observed: { found: true } },
    ];
    const live = [
      { step: "create", observed: { minted: true, propagationRetries: "some" } },
      { step: "read", observed: { failed: { error: "AuthenticationError", status: 401, codes: [10000] } } },
    ];
    expect(differences(emulator, live)).toEqual([
      { step: "create", key: "propagationRetries", emulator: "none", live: "some" },
      { step: "read", key: "found", emulator: true, live: undefined },
      {
        step: "read",
        key: "failed",
        emulator: undefined,
        live: { error: "AuthenticationError", status: 401, codes: [10000] },
      },
    ]);
  });
});
