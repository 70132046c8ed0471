// The runtime entry (what the provider host loads) turns on Node's module compile cache, so that
// each `pulumi` command's host reuses compiled code (provider/compileCache.ts), and leaves it off
// when the user says so. Each case runs in a fresh Node process: the cache is process-wide.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../..");

/** The compile cache directory of a Node process after it loads the built runtime entry (dist/, as `npm test` builds it). */
function cacheDirAfterLoadingRuntime(env: NodeJS.ProcessEnv): string {
  const script = `
    const before = require("node:module").getCompileCacheDir();
    if (before !== undefined) throw new Error("compile cache already on before the runtime loaded: " + before);
    require(${JSON.stringify(path.join(REPO, "dist/provider/runtime.js"))});
    process.stdout.write(String(require("node:module").getCompileCacheDir()));
  `;
  const env2 = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env2[k];
  const run = spawnSync(process.execPath, ["-e", script], { env: env2, encoding: "utf8", cwd: REPO });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

describe("the runtime entry and Node's compile cache", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "compile-cache-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // (NODE_COMPILE_CACHE would turn it on at startup, before the runtime loads: the temp directory
  // is steered instead, under which Node puts its default cache directory.)
  test("is turned on, in Node's default directory under the temp directory", () => {
    const used = cacheDirAfterLoadingRuntime({
      TMPDIR: dir,
      NODE_COMPILE_CACHE: undefined,
      NODE_DISABLE_COMPILE_CACHE: undefined,
    });
    expect(used.startsWith(path.join(dir, "node-compile-cache"))).toBe(true);
    // Written when the process exits: the modules loaded after it went through the cache.
    expect(fs.readdirSync(dir).length).toBeGreaterThan(0);
  });

  test("stays off with NODE_DISABLE_COMPILE_CACHE=1", () => {
    expect(
      cacheDirAfterLoadingRuntime({
        TMPDIR: dir,
        NODE_COMPILE_CACHE: undefined,
        NODE_DISABLE_COMPILE_CACHE: "1",
      }),
    ).toBe("undefined");
  });
});
