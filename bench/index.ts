// `npm run bench`: figures, not tests. Prints
//   1. Cloudflare API requests per ServiceApiToken lifecycle operation (counted by the emulator);
//   2. bytes of the serialized provider that Pulumi stores per resource (twice: inputs and outputs);
//   3. milliseconds per lifecycle operation against the emulator on loopback (median of N runs).
import * as pulumi from "@pulumi/pulumi";
import { startEmulator } from "../emulator";
import { DEFAULT_WAIT_SETTINGS } from "../provider/config";
import { createContext } from "../provider/context";
import type { ServiceApiTokenInputs } from "../provider/serviceApiToken/args";
import * as token from "../provider/serviceApiToken/provider";
import aiSearchInstanceShim from "../provider/shims/aiSearchInstance";
import serviceApiTokenShim from "../provider/shims/serviceApiToken";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);

async function main(): Promise<void> {
  const emu = await startEmulator({
    port: 0,
    rateLimit: { enabled: false, quota: 1200, windowSeconds: 300 },
  });
  const ctx = createContext(
    {
      apiToken: { value: emu.apiToken, source: "bench" },
      tokenMintingApiToken: undefined,
      baseUrl: emu.url,
      wait: DEFAULT_WAIT_SETTINGS,
    },
    { log: () => undefined },
  );
  const inputs = (extra: Record<string, unknown> = {}) =>
    token.check({ accountId: emu.accountId, ...extra }).inputs as ServiceApiTokenInputs;

  const timings = new Map<string, number[]>();
  const requests = new Map<string, number>();
  async function measure<T>(op: string, fn: () => Promise<T>): Promise<T> {
    emu.resetRequestCounts();
    const started = performance.now();
    const result = await fn();
    timings.set(op, [...(timings.get(op) ?? []), performance.now() - started]);
    requests.set(op, emu.requestCounts().total ?? 0);
    return result;
  }

  for (let run = 0; run < RUNS; run++) {
    const { id, outs } = await measure("create (mint + register)", () => token.create(ctx, inputs()));
    const read = await measure("read (refresh)", () => token.read(ctx, id, outs));
    const renamed = await measure("update: rename", () =>
      token.update(ctx, id, read.props!, inputs({ name: `renamed ${run}` })),
    );
    const rotated = await measure("update: rotate", () =>
      token.update(ctx, id, renamed, inputs({ name: `renamed ${run}`, rotationTrigger: run })),
    );
    await measure("delete (registration + token)", () => token.remove(ctx, id, rotated));
  }
  await emu.close();

  console.log(`ServiceApiToken against the emulator on loopback, ${RUNS} runs each:`);
  console.log("  operation                         requests   median ms");
  for (const [op, ms] of timings) {
    const sorted = [...ms].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    console.log(`  ${op.padEnd(34)}${String(requests.get(op)).padStart(8)}${median.toFixed(1).padStart(12)}`);
  }

  console.log("\nSerialized provider stored per resource (in inputs and again in outputs), by value:");
  console.log("  (an installed package stores one require of its shim module instead, ~260 bytes)");
  const shims = { serviceApiToken: serviceApiTokenShim, aiSearchInstance: aiSearchInstanceShim };
  for (const [resource, provider] of Object.entries(shims)) {
    const { text } = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    console.log(`  ${resource.padEnd(20)}${Buffer.byteLength(text)} bytes`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
