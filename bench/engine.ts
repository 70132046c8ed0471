// Part 1: engine overhead. `pulumi up` and `destroy` of a ServiceApiToken plus N
// AiSearchInstances (the package installed under the project's node_modules, as a user has it)
// next to N+1 do-nothing dynamic resources, in interleaved rounds of the same run, with the
// emulator in its own process. The ratio is what this package adds to the engine's own cost per
// dynamic resource. Also: requests and provider waits per resource, counted exactly, and the CPU
// time of the dynamic-provider host (hostCpu.ts), ours next to do-nothing: a figure that a loaded
// machine hardly distorts, where wall-clock ratios move by tens of percent between runs; and the
// CPU time of this process during each `up` (the inline program and @pulumi/pulumi's SDK run here):
// ours, do-nothing resources of an instance's property set, and one-property do-nothing. The SDK
// spends about 4 promises, each with a captured stack trace, per declared output property
// (runtime/rpc.js transferProperties), so a resource of AI Search's shape (51 outputs here, 46 in
// @pulumi/cloudflare's AiSearchInstance) costs the program several ms that a one-property one does not.
//
//   npm run bench:engine   (this part alone: `npm run bench -- 1`; BENCH_ROUNDS, BENCH_SIZES)
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { AI_SEARCH_INSTANCE_OUTPUT_KEYS } from "../provider/aiSearchInstance/args";
import {
  emulatorConfig,
  FAST_WAITS,
  load,
  median,
  startEmulatorProcess,
  table,
  timed,
  waitCounter,
  writesOf,
  type Engine,
  type PartResult,
} from "./support";

const TARGET = 1.15;

/** A dynamic provider that does nothing: the engine's own cost per resource. */
const trivialProvider: pulumi.dynamic.ResourceProvider = {
  create: async (inputs: Record<string, unknown>) => ({ id: `trivial-${String(inputs.n)}`, outs: inputs }),
};
class Trivial extends pulumi.dynamic.Resource {
  constructor(name: string, n: number) {
    super(trivialProvider, name, { n }, {}, "bench", "Trivial");
  }
}

export function trivialProgram(count: number): PulumiFn {
  return async () => {
    for (let i = 0; i < count; i++) new Trivial(`t${i}`, i);
  };
}

/**
 * Diagnosis, not the target: do-nothing resources of our program's shape: an AiSearchInstance's
 * property set (its inputs and the declared outputs, seeded as undefined), and every one but the
 * first taking the first one's id as its `tokenId`, as the instances take the token's. What the
 * engine spends on properties and on the dependency step is then on both sides, and the ratio
 * isolates the provider's own work.
 */
class TrivialWide extends pulumi.dynamic.Resource {
  constructor(name: string, n: number, tokenId: pulumi.Input<string>) {
    const props: Record<string, unknown> = Object.fromEntries(
      AI_SEARCH_INSTANCE_OUTPUT_KEYS.map((k) => [k, undefined]),
    );
    super(
      trivialProvider,
      name,
      {
        ...props,
        n,
        accountId: "0".repeat(32),
        instanceId: `wide-${n}`,
        type: "r2",
        source: `b-${n}`,
        tokenId,
      },
      {},
      "bench",
      "TrivialWide",
    );
  }
}

export function wideProgram(count: number): PulumiFn {
  return async () => {
    const first = new TrivialWide("w0", 0, "none");
    for (let i = 1; i < count; i++) new TrivialWide(`w${i}`, i, first.id);
  };
}

/** What the provider host spends per resource beyond a do-nothing provider's (medians). */
function perResource(ours: number[], trivial: number[], resources: number): string {
  return ((median(ours) - median(trivial)) / resources).toFixed(1);
}

export async function enginePart(engine: Engine): Promise<PartResult> {
  const sizes = (process.env.BENCH_SIZES ?? "1,10,50").split(",").map(Number);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const emu = await startEmulatorProcess(["--no-rate-limit"]);
  const { ServiceApiToken, AiSearchInstance } = engine.pkg;
  const rows: (string | number)[][] = [
    [
      "N",
      "trivial up ms",
      "ours up ms",
      "up ratio",
      "trivial destroy ms",
      "ours destroy ms",
      "destroy ratio",
      "req/resource up",
      "req/resource destroy",
      "7012 retries",
      "vs same-props do-nothing up / destroy",
      "host CPU ms up: ours / do-nothing",
      "host CPU ms destroy: ours / do-nothing",
      "host CPU ms per resource, ours - do-nothing: up / destroy",
      "program CPU ms up: ours / same-props / do-nothing",
      "load",
    ],
  ];
  const data: unknown[] = [];
  let met = true;
  try {
    for (const n of sizes) {
      const ours: PulumiFn = async () => {
        const accountId = emu.accountId;
        const token = new ServiceApiToken("token", { accountId });
        for (let i = 0; i < n; i++) {
          new AiSearchInstance(`i${i}`, {
            accountId,
            instanceId: `bench-${i}`,
            type: "r2",
            source: `bucket-${i}`,
            tokenId: token.id,
          });
        }
      };
      const config = { ...emulatorConfig(emu), ...FAST_WAITS };
      const trivialStack = await engine.stack(`trivial-${n}`, trivialProgram(n + 1), config);
      const oursStack = await engine.stack(`ours-${n}`, ours, config);
      const wideStack = await engine.stack(`wide-${n}`, wideProgram(n + 1), config);
      const wide = { up: [] as number[], destroy: [] as number[] };
      // CPU ms of the provider host of each command (one host per command).
      const cpu = {
        trivial: { up: [] as number[], destroy: [] as number[] },
        ours: { up: [] as number[], destroy: [] as number[] },
      };
      const hostCpuOf = async <T>(into: number[], command: () => Promise<T>): Promise<T> => {
        await engine.hostCpuMs(0);
        const result = await command();
        into.push(await engine.hostCpuMs(1));
        return result;
      };
      // CPU ms of this process (where the inline program runs, with the SDK) during each `up`.
      const program = { trivial: [] as number[], ours: [] as number[], wide: [] as number[] };
      const programCpuOf = async <T>(into: number[], command: () => Promise<T>): Promise<T> => {
        const before = process.cpuUsage();
        const result = await command();
        const used = process.cpuUsage(before);
        into.push((used.user + used.system) / 1000);
        return result;
      };
      const t = { up: [] as number[], destroy: [] as number[] };
      const o = { up: [] as number[], destroy: [] as number[] };
      const upRatios: number[] = [];
      const destroyRatios: number[] = [];
      const wideUpRatios: number[] = [];
      const wideDestroyRatios: number[] = [];
      let reqUp = 0;
      let reqDestroy = 0;
      let waits = 0;
      const loads: number[] = [];
      for (let round = 0; round < rounds; round++) {
        loads.push(load());
        // Alternate which goes first, so a load spike does not always hit the same one.
        const runTrivial = async () => {
          t.up.push(
            (
              await hostCpuOf(cpu.trivial.up, () =>
                programCpuOf(program.trivial, () => timed(() => trivialStack.up())),
              )
            ).ms,
          );
          t.destroy.push(
            (await hostCpuOf(cpu.trivial.destroy, () => timed(() => trivialStack.destroy()))).ms,
          );
        };
        const runOurs = async () => {
          const w = waitCounter();
          await emu.resetCounts();
          o.up.push(
            (
              await hostCpuOf(cpu.ours.up, () =>
                programCpuOf(program.ours, () => timed(() => oursStack.up({ onEvent: w.onEvent }))),
              )
            ).ms,
          );
          reqUp = (await emu.counts()).total ?? 0;
          await emu.resetCounts();
          o.destroy.push(
            (await hostCpuOf(cpu.ours.destroy, () => timed(() => oursStack.destroy({ onEvent: w.onEvent }))))
              .ms,
          );
          const d = await emu.counts();
          reqDestroy = d.total ?? 0;
          waits = w.waits();
          void writesOf(d);
        };
        const runWide = async () => {
          wide.up.push((await programCpuOf(program.wide, () => timed(() => wideStack.up()))).ms);
          wide.destroy.push((await timed(() => wideStack.destroy())).ms);
        };
        if (round % 2 === 0) {
          await runTrivial();
          await runOurs();
          await runWide();
        } else {
          await runWide();
          await runOurs();
          await runTrivial();
        }
        wideUpRatios.push(o.up.at(-1)! / wide.up.at(-1)!);
        wideDestroyRatios.push(o.destroy.at(-1)! / wide.destroy.at(-1)!);
        upRatios.push(o.up.at(-1)! / t.up.at(-1)!);
        destroyRatios.push(o.destroy.at(-1)! / t.destroy.at(-1)!);
      }
      const upRatio = median(upRatios);
      const destroyRatio = median(destroyRatios);
      if (upRatio > TARGET || destroyRatio > TARGET) met = false;
      rows.push([
        n,
        median(t.up).toFixed(0),
        median(o.up).toFixed(0),
        upRatio.toFixed(2),
        median(t.destroy).toFixed(0),
        median(o.destroy).toFixed(0),
        destroyRatio.toFixed(2),
        (reqUp / (n + 1)).toFixed(2),
        (reqDestroy / (n + 1)).toFixed(2),
        waits,
        `${median(wideUpRatios).toFixed(2)} / ${median(wideDestroyRatios).toFixed(2)}`,
        `${median(cpu.ours.up).toFixed(0)} / ${median(cpu.trivial.up).toFixed(0)}`,
        `${median(cpu.ours.destroy).toFixed(0)} / ${median(cpu.trivial.destroy).toFixed(0)}`,
        `${perResource(cpu.ours.up, cpu.trivial.up, n + 1)} / ${perResource(cpu.ours.destroy, cpu.trivial.destroy, n + 1)}`,
        [program.ours, program.wide, program.trivial].map((xs) => median(xs).toFixed(0)).join(" / "),
        median(loads).toFixed(1),
      ]);
      data.push({
        wide,
        wideUpRatio: median(wideUpRatios),
        wideDestroyRatio: median(wideDestroyRatios),
        n,
        rounds,
        trivial: t,
        ours: o,
        upRatios,
        destroyRatios,
        upRatio,
        destroyRatio,
        hostCpuMs: cpu,
        programCpuMsUp: program,
        requestsUp: reqUp,
        requestsDestroy: reqDestroy,
        waits,
        loads,
      });
    }
  } finally {
    await emu.stop();
  }
  return {
    part: 1,
    title: `Engine overhead: token + N instances vs N+1 do-nothing dynamic resources (median of per-round ratios)`,
    target: `up and destroy ratio <= ${TARGET} for every N`,
    met,
    lines: table(rows),
    data,
  };
}
