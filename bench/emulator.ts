// Load benchmark of the emulator (not a test). Runs a mixed workload of API token, AI Search
// token and instance create/list/read/update/delete over loopback and prints requests per second
// and memory every 10,000 requests.
//
//   npm run build && npm run bench:emulator -- [--requests 100000] [--concurrency 32]
//                                             [--max-seconds 180] [--in-process]
//
// By default the emulator runs as a child process (the built bin), so client and server each
// get a core; memory figures are the emulator's own, read from GET /__emulator/metrics.
import { parseArgs } from "node:util";
import { Pool, type Dispatcher } from "undici";
import { PERMISSION_GROUP_IDS, startEmulator } from "../emulator";
import { startEmulatorProcess } from "./support";

interface Target {
  url: string;
  adminUrl: string;
  accountId: string;
  apiToken: string;
  stop(): Promise<void>;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** The emulator in a process of its own (the same start-up the other benchmarks use). */
const startChild = (): Promise<Target> => startEmulatorProcess(["--no-rate-limit"]);

async function startInProcess(): Promise<Target> {
  const emu = await startEmulator({ port: 0, rateLimit: { enabled: false } });
  return { ...emu, stop: () => emu.close() };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: "string", default: "100000" },
      concurrency: { type: "string", default: "32" },
      "max-seconds": { type: "string", default: "180" },
      "in-process": { type: "boolean", default: false },
    },
  });
  const target = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const maxMs = Number(values["max-seconds"]) * 1000;
  const emu = values["in-process"] ? await startInProcess() : await startChild();
  const origin = new URL(emu.url).origin;
  const prefix = new URL(emu.url).pathname;
  const pool = new Pool(origin, { connections: concurrency });
  const auth = { authorization: `Bearer ${emu.apiToken}`, "content-type": "application/json" };
  const acct = `/accounts/${emu.accountId}`;

  let done = 0;
  let failures = 0;
  let nextReport = 10_000;
  const started = performance.now();
  let lastMark = { at: started, count: 0 };
  let stop = false;

  const report = async () => {
    const now = performance.now();
    const interval = ((done - lastMark.count) / (now - lastMark.at)) * 1000;
    const overall = (done / (now - started)) * 1000;
    lastMark = { at: now, count: done };
    const m = values["in-process"]
      ? process.memoryUsage()
      : ((await (await fetch(`${emu.adminUrl}/metrics`)).json()) as NodeJS.MemoryUsage);
    console.log(
      `${String(done).padStart(7)} requests  ${((now - started) / 1000).toFixed(1).padStart(6)} s  ` +
        `${interval.toFixed(0).padStart(6)} req/s (interval)  ${overall.toFixed(0).padStart(6)} req/s (overall)  ` +
        `${values["in-process"] ? "process (client + emulator)" : "emulator"} rss ${mb(m.rss)} heapUsed ${mb(m.heapUsed)}  failures ${failures}`,
    );
  };

  /** What the workload reads back from results: ids, and the secret of a minted token. */
  type Result = { id: string; value: string };

  async function req(method: Dispatcher.HttpMethod, path: string, body?: unknown): Promise<Result> {
    const res = await pool.request({
      method,
      path: prefix + path,
      headers: auth,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.body.json()) as { result: Result };
    done += 1;
    if (res.statusCode >= 300) failures += 1;
    if (done >= nextReport) {
      nextReport += 10_000;
      await report();
    }
    if (done >= target || performance.now() - started > maxMs) stop = true;
    return json.result;
  }

  async function worker(w: number): Promise<void> {
    for (let cycle = 0; !stop; cycle++) {
      const name = `bench-${w}-${cycle}`;
      const tok = await req("POST", "/user/tokens", {
        name,
        policies: [
          {
            effect: "allow",
            resources: { [`com.cloudflare.api.account.${emu.accountId}`]: "*" },
            permission_groups: [{ id: PERMISSION_GROUP_IDS.aiSearchIndexEngine }],
          },
        ],
      });
      await req("GET", `/user/tokens/${tok.id}`);
      const reg = { cf_api_id: tok.id, cf_api_key: tok.value, name, legacy: false };
      const ai = await req("POST", `${acct}/ai-search/tokens`, reg);
      await req("GET", `${acct}/ai-search/tokens/${ai.id}`);
      await req("POST", `${acct}/ai-search/instances`, {
        id: name,
        type: "r2",
        source: "bucket",
        token_id: ai.id,
      });
      await req("GET", `${acct}/ai-search/instances/${name}`);
      await req("PUT", `${acct}/ai-search/instances/${name}`, { max_num_results: 5, cache: true });
      await req("GET", `${acct}/ai-search/instances?per_page=20&search=bench-${w}-`);
      await req("GET", `${acct}/ai-search/instances/${name}/stats`);
      await req("PUT", `${acct}/ai-search/tokens/${ai.id}`, { ...reg, name: `${name}-r` });
      await req("GET", `${acct}/ai-search/tokens?per_page=20&search=${name}`);
      await req("DELETE", `${acct}/ai-search/instances/${name}`);
      await req("DELETE", `${acct}/ai-search/tokens/${ai.id}`);
      await req("DELETE", `/user/tokens/${tok.id}`);
    }
  }

  console.log(
    `emulator bench: ${target} requests max, ${concurrency} concurrent clients, ` +
      `${values["in-process"] ? "in-process" : "emulator in a child process"}, bound ${maxMs / 1000} s`,
  );
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsed = (performance.now() - started) / 1000;
  if (done % 10_000 !== 0) await report();
  const counts = (await (await fetch(`${emu.adminUrl}/requests`)).json()) as Record<string, number>;
  const state = (await (await fetch(`${emu.adminUrl}/state`)).json()) as {
    apiTokens: unknown[];
    aiSearchTokens: unknown[];
    instances: unknown[];
  };
  console.log(
    `done: ${done} requests in ${elapsed.toFixed(1)} s = ${(done / elapsed).toFixed(0)} req/s; ` +
      `failures ${failures}; emulator counted ${counts.total}; left over: ` +
      `${state.apiTokens.length - 1} API tokens, ${state.aiSearchTokens.length} AI Search tokens, ${state.instances.length} instances`,
  );
  await pool.close();
  await emu.stop();
  if (failures > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
