// Part 5: state and memory. Under the real engine, a user's project (the package installed under
// node_modules) stores for every resource the serialized provider (in inputs and outputs): its
// bytes per resource, the whole state's size for a token plus 50 instances, and the peak memory
// (VmHWM) of the dynamic provider host, sampled from /proc while up, refresh and destroy run.
import * as fs from "node:fs";
import {
  emulatorConfig,
  FAST_WAITS,
  startEmulatorProcess,
  table,
  type Engine,
  type PartResult,
} from "./support";

const N = 50;

interface Resource {
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** Peak resident memory of dynamic provider hosts (descendants of this process) seen so far. */
function providerHostSampler(): { stop: () => number } {
  let peakKiB = 0;
  const isOurs = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (p === process.pid) return true;
      const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
      p = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    }
    return false;
  };
  const sample = () => {
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
        if (!cmd.includes("dynamic-provider") || !isOurs(Number(entry))) continue;
        const hwm = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${entry}/status`, "utf8"));
        if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]));
      } catch {
        // the process ended meanwhile
      }
    }
  };
  const timer = setInterval(sample, 100);
  return {
    stop: () => {
      clearInterval(timer);
      return peakKiB;
    },
  };
}

export async function statePart(engine: Engine): Promise<PartResult> {
  const emu = await startEmulatorProcess(["--no-rate-limit"]);
  const { ServiceApiToken, AiSearchInstance } = engine.pkg;
  const accountId = emu.accountId;
  const stack = await engine.stack(
    "state",
    async () => {
      const token = new ServiceApiToken("token", { accountId });
      for (let i = 0; i < N; i++) {
        new AiSearchInstance(`i${i}`, {
          accountId,
          instanceId: `st-${i}`,
          type: "r2",
          source: `b-${i}`,
          tokenId: token.id,
        });
      }
    },
    { ...emulatorConfig(emu), ...FAST_WAITS },
  );
  const sampler = fs.existsSync("/proc/self/status") ? providerHostSampler() : undefined;
  let stateBytes = 0;
  const perType: Record<string, { providerBytes: number; resourceBytes: number; count: number }> = {};
  try {
    await stack.up();
    const state = await stack.exportStack();
    stateBytes = Buffer.byteLength(JSON.stringify(state));
    for (const r of (state.deployment as { resources: Resource[] }).resources) {
      const provider = r.inputs?.__provider;
      if (typeof provider !== "string") continue;
      const t = (perType[r.type] ??= { providerBytes: 0, resourceBytes: 0, count: 0 });
      t.providerBytes = Buffer.byteLength(provider);
      t.resourceBytes += Buffer.byteLength(JSON.stringify(r));
      t.count += 1;
    }
    await stack.refresh();
    await stack.destroy();
  } finally {
    await emu.stop();
  }
  const peakKiB = sampler?.stop() ?? 0;
  const rows: (string | number)[][] = [
    ["resource type", "provider bytes (x2: inputs + outputs)", "mean resource bytes", "count"],
  ];
  for (const [type, t] of Object.entries(perType)) {
    rows.push([type, t.providerBytes, Math.round(t.resourceBytes / t.count), t.count]);
  }
  return {
    part: 5,
    title: `State and memory: token + ${N} instances, package installed under node_modules`,
    target: "reported (provider stored as one require of its shim module; small state)",
    met: null,
    lines: [
      ...table(rows),
      `state (exported deployment) for token + ${N} instances: ${stateBytes} bytes (${(stateBytes / 1024).toFixed(1)} KiB)`,
      `dynamic provider host peak RSS (VmHWM) over up, refresh, destroy: ${
        peakKiB ? `${(peakKiB / 1024).toFixed(1)} MiB` : "not measured (no /proc)"
      }`,
    ],
    data: { perType, stateBytes, providerHostPeakKiB: peakKiB },
  };
}
