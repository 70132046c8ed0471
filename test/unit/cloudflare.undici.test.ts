// How the client loads undici (provider/cloudflare/undici.ts): only once a client is made. Every `pulumi` command starts a new provider host and a new program process,
// so what they load is paid on every command.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as Undici from "undici";
import { undici } from "../../provider/cloudflare/undici";

const REPO = path.resolve(__dirname, "../..");

describe("undici, as the client loads it", () => {
  it("gives undici's own classes", () => {
    const parts = undici();
    expect(parts.Agent).toBe(Undici.Agent);
    expect(parts.RetryAgent).toBe(Undici.RetryAgent);
    expect(parts.request).toBe(Undici.request);
  });

  it("is not loaded by the package entry, nor by the runtime's check and diff, only by the first client", () => {
    // The built package (dist/, as it ships), in a process of its own, so that nothing else has
    // loaded undici before.
    const script = `
      const loaded = () => Object.keys(require.cache).filter((f) => f.includes("/node_modules/undici/"));
      const dist = ${JSON.stringify(path.join(REPO, "dist", "provider"))};
      require(dist + "/index.js");
      const afterEntry = loaded().length;
      const runtime = require(dist + "/runtime.js");
      const news = { accountId: "0".repeat(32), instanceId: "docs", type: "r2", source: "bucket", tokenId: "t" };
      const checked = runtime.aiSearchInstance.check({}, news);
      Promise.resolve(checked)
        .then((c) => runtime.aiSearchInstance.diff("docs", { ...c.inputs, adopted: false }, c.inputs))
        .then(() => {
          const afterCheckDiff = loaded().length;
          const { CloudflareClient } = require(dist + "/cloudflare/client.js");
          new CloudflareClient({ apiToken: "unit-test-credential" }).close();
          const files = loaded();
          console.log(JSON.stringify({
            afterEntry,
            afterCheckDiff,
            afterClient: files.length,
            entryLoaded: files.some((f) => f.endsWith("/node_modules/undici/index.js")),
          }));
        });
    `;
    const out = JSON.parse(
      execFileSync(process.execPath, ["-e", script], { cwd: REPO, encoding: "utf8" }),
    ) as {
      afterEntry: number;
      afterCheckDiff: number;
      afterClient: number;
      entryLoaded: boolean;
    };
    expect(out.afterEntry).toBe(0);
    expect(out.afterCheckDiff).toBe(0);
    expect(out.afterClient).toBeGreaterThan(0);
    expect(out.entryLoaded).toBe(true);
  });
});
