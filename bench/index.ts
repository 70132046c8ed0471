// `npm run bench`: figures, not tests (never part of `npm test` or CI). Prints one report of five
// parts, each with its target, and writes bench/results.json (a run of some parts replaces only
// those parts in it):
//   1. engine overhead: `pulumi up` / `destroy` of a token + N instances next to N+1 do-nothing
//      dynamic resources (N = 1, 10, 50), the emulator in its own process;
//   2. the critical path under real latencies (per-request latency, propagation, teardown);
//   3. Cloudflare API requests per operation against the floor;
//   4. the account rate limit (1,200 requests / 5 minutes) at N = 50;
//   5. serialized provider bytes per resource, state size and provider host memory at N = 50.
//
//   npm run build && npm run bench [-- 3 1]   (only the parts named; default all)
// Environment: BENCH_ROUNDS (part 1, default 3), BENCH_SIZES (part 1, default "1,10,50").
import * as fs from "node:fs";
import * as path from "node:path";
import { enginePart } from "./engine";
import { latencyPart } from "./latency";
import { rateLimitPart } from "./rateLimit";
import { requestsPart } from "./requests";
import { statePart } from "./state";
import { load, machine, REPO, startEngine, type Engine, type PartResult } from "./support";

const PARTS: Record<number, (engine: Engine) => Promise<PartResult>> = {
  3: requestsPart,
  1: enginePart,
  2: latencyPart,
  4: rateLimitPart,
  5: statePart,
};

async function main(): Promise<void> {
  const wanted = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => PARTS[n]);
  const order = wanted.length ? wanted : [3, 1, 2, 4, 5];
  const started = new Date().toISOString();
  const engine = await startEngine();
  const results: (PartResult & { loadBefore: number; loadAfter: number; seconds: number })[] = [];
  try {
    for (const n of order) {
      const loadBefore = load();
      const t0 = performance.now();
      console.error(`bench: part ${n} (load ${loadBefore})...`);
      const r = await PARTS[n]!(engine);
      const result = {
        ...r,
        loadBefore,
        loadAfter: load(),
        seconds: Math.round((performance.now() - t0) / 1000),
      };
      results.push(result);
      print(result);
    }
  } finally {
    engine.close();
  }
  const out = path.join(REPO, "bench", "results.json");
  // A run of some parts replaces those parts only: the file keeps the others from earlier runs
  // (each part records when it ran and the load it ran under).
  const ran = new Set(results.map((r) => r.part));
  const kept = previousParts(out).filter((p) => !ran.has(p.part));
  const parts = [...kept, ...results.map((r) => ({ ...r, started }))].sort((a, b) => a.part - b.part);
  fs.writeFileSync(
    out,
    JSON.stringify({ started, finished: new Date().toISOString(), machine: machine(), parts }, null, 2) +
      "\n",
  );
  console.log(`\nMachine: ${JSON.stringify(machine())}`);
  console.log(`Written: ${path.relative(process.cwd(), out)}`);
  console.log(
    `Targets: ${results.map((r) => `part ${r.part} ${r.met === null ? "reported" : r.met ? "met" : "NOT met"}`).join(", ")}`,
  );
}

/** The parts an earlier run wrote, or none if there is no readable file. */
function previousParts(file: string): { part: number }[] {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { parts?: unknown };
    return Array.isArray(parsed.parts)
      ? parsed.parts.filter((p): p is { part: number } => typeof (p as { part?: unknown })?.part === "number")
      : [];
  } catch {
    return [];
  }
}

function print(r: PartResult & { loadBefore: number; loadAfter: number; seconds: number }): void {
  console.log(`\n== Part ${r.part}: ${r.title}`);
  console.log(`   target: ${r.target}  ->  ${r.met === null ? "reported" : r.met ? "MET" : "NOT MET"}`);
  console.log(`   load average (1 min): ${r.loadBefore} before, ${r.loadAfter} after; ${r.seconds} s`);
  for (const line of r.lines) console.log(`   ${line}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
