// Preloaded (`node --require`, through NODE_OPTIONS) into the processes the engine starts during
// `npm run bench`: in the dynamic-provider host it records the CPU time the host used, which a
// loaded machine hardly distorts, unlike wall-clock time. The figure goes to
// $BENCH_HOST_CPU_DIR/<pid>.json when the host ends: the engine stops it with a signal once the
// command is done, so the signal is caught, the figure written, and the process ends as the
// signal would have ended it. Any other process is left alone.
import * as fs from "node:fs";
import * as path from "node:path";

/** What one host wrote. */
export interface HostCpuRecord {
  readonly pid: number;
  /** User + system CPU of the whole process, in ms. */
  readonly cpuMs: number;
  /** How it ended: "exit", "SIGINT" or "SIGTERM". */
  readonly end: string;
}

const dir = process.env.BENCH_HOST_CPU_DIR;
const isProviderHost = process.argv.some((arg) => arg.includes("dynamic-provider"));

if (dir && isProviderHost) {
  let written = false;
  const write = (end: string) => {
    if (written) return;
    written = true;
    const { user, system } = process.cpuUsage();
    const record: HostCpuRecord = { pid: process.pid, cpuMs: (user + system) / 1000, end };
    fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(record));
  };
  process.on("exit", () => write("exit"));
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.on(signal, () => {
      write(signal);
      process.exit(code);
    });
  }
}
