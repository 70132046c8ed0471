// `npm run bench:engine`: figures, not a test. Under the real Pulumi engine and against the
// emulator, the time of `pulumi up` (and destroy) of a ServiceApiToken plus N AiSearchInstances,
// next to the same number of trivial dynamic resources (a provider that does nothing), in one
// run: the ratio is what this package adds on top of the engine's own cost per dynamic resource.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand, type PulumiFn } from "@pulumi/pulumi/automation";
import { startEmulator } from "../emulator";
import { AiSearchInstance, ServiceApiToken } from "../provider";

const N = Number(process.env.BENCH_INSTANCES ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REPO = path.resolve(__dirname, "../..");

/** A dynamic provider that does nothing: the engine's own cost per resource. */
const trivialProvider: pulumi.dynamic.ResourceProvider = {
  create: async (inputs: Record<string, unknown>) => ({ id: `trivial-${String(inputs.n)}`, outs: inputs }),
};
class Trivial extends pulumi.dynamic.Resource {
  constructor(name: string, n: number) {
    super(trivialProvider, name, { n }, {}, "bench", "Trivial");
  }
}

async function main(): Promise<void> {
  const root =
    process.env.PULUMI_CLI_ROOT ??
    execFileSync(path.join(REPO, "scripts", "ensure-pulumi"), { encoding: "utf8" })
      .trim()
      .split("\n")
      .at(-1)!;
  const command = await PulumiCommand.get({ root });
  const emulator = await startEmulator({
    port: 0,
    rateLimit: { enabled: false, quota: 1200, windowSeconds: 300 },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-ai-search-bench-"));
  fs.mkdirSync(path.join(dir, "backend"));
  const envVars = {
    PULUMI_BACKEND_URL: `file://${path.join(dir, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: "bench",
    PULUMI_HOME: path.join(dir, "home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };

  const programs: Record<string, PulumiFn> = {
    [`${N + 1} trivial dynamic resources`]: async () => {
      for (let i = 0; i <= N; i++) new Trivial(`t${i}`, i);
    },
    [`token + ${N} instances`]: async () => {
      const accountId = emulator.accountId;
      const token = new ServiceApiToken("token", { accountId });
      for (let i = 0; i < N; i++) {
        new AiSearchInstance(`i${i}`, {
          accountId,
          instanceId: `bench-${i}`,
          type: "r2",
          source: `bucket-${i}`,
          tokenId: token.id,
        });
      }
    },
  };

  const timings: Record<string, { up: number[]; destroy: number[] }> = {};
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, program] of Object.entries(programs)) {
        const stack = await LocalWorkspace.createOrSelectStack(
          { stackName: `bench-${Object.keys(programs).indexOf(name)}`, projectName: "bench", program },
          { pulumiCommand: command, envVars },
        );
        await stack.setAllConfig({
          "cloudflare:apiToken": { value: emulator.apiToken, secret: true },
          "cloudflare-ai-search:baseUrl": { value: emulator.url },
        });
        const t = (timings[name] ??= { up: [], destroy: [] });
        let started = performance.now();
        await stack.up();
        t.up.push(performance.now() - started);
        started = performance.now();
        await stack.destroy();
        t.destroy.push(performance.now() - started);
      }
    }
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  console.log(`pulumi up / destroy under the real engine, median of ${ROUNDS} rounds (ms):`);
  for (const [name, t] of Object.entries(timings)) {
    console.log(
      `  ${name.padEnd(34)} up ${median(t.up).toFixed(0).padStart(6)}   destroy ${median(t.destroy).toFixed(0).padStart(6)}`,
    );
  }
  const [trivial, ours] = Object.values(timings);
  if (trivial && ours) {
    console.log(
      `  ratio (ours / trivial): up ${(median(ours.up) / median(trivial.up)).toFixed(2)}, destroy ${(median(ours.destroy) / median(trivial.destroy)).toFixed(2)}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
