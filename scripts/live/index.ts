// `npm run test:live`: the ServiceApiToken lifecycle and the AiSearchInstance steps (every one
// through the namespaced routes, a move between namespaces included) against real Cloudflare, next
// to the same run against the emulator, and a report of every place where their answers differ. It needs
// CLOUDFLARE_API_TOKEN (Account API Tokens Write and AI Search Edit on the account) and
// CLOUDFLARE_ACCOUNT_ID, and refuses to start without both. Not part of `npm test` or .ci/run.
//
// What it makes is named `pulumi-live-<time>-<random>` (its namespace `plive-<random>`): one account
// API token and its AI Search registration, two instances and a namespace, deleted at the end. Leftovers of interrupted runs (that prefix, another run) are
// swept first. The report is printed and written to live-report.json.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { startEmulator } from "../../emulator";
import { DEFAULT_WAIT_SETTINGS, type ProviderSettings } from "../../provider/config";
import { createContext } from "../../provider/context";
import { differences, Observations, type StepRecord } from "./observations";
import { instanceLifecycle, LIVE_NAMESPACE_PREFIX, sweepInstances } from "./aiSearchInstance";
import { LIVE_PREFIX, sweep, tokenLifecycle } from "./serviceApiToken";

const REQUIRED = ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID"] as const;

/** The one line a run without credentials prints; exit code 2. */
export function refusal(env: NodeJS.ProcessEnv): string | undefined {
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length === 0) return undefined;
  return (
    `test:live needs ${REQUIRED.join(" and ")} (missing: ${missing.join(", ")}); it runs against real ` +
    "Cloudflare, so set both to a throwaway account's id and a token with Account API Tokens Write and AI Search Edit."
  );
}

async function run(settings: ProviderSettings, accountId: string, runName: string, marker: string) {
  const logs: string[] = [];
  const ctx = createContext(settings, { log: (m) => logs.push(m) });
  const obs = new Observations();
  try {
    await tokenLifecycle(ctx, logs, accountId, runName, marker, obs, (tokenId) =>
      instanceLifecycle(ctx, accountId, runName, marker, tokenId, obs),
    );
  } finally {
    await ctx.management().client.close();
  }
  return { ctx, obs };
}

async function main(): Promise<number> {
  const refused = refusal(process.env);
  if (refused) {
    process.stderr.write(`${refused}\n`);
    return 2;
  }
  const accountId = process.env.CLOUDFLARE_ACCOUNT_ID!;
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const marker = randomBytes(8).toString("hex");
  const runName = `${LIVE_PREFIX}${stamp}-${marker}`;
  const wait = { ...DEFAULT_WAIT_SETTINGS, deleteTimeoutMs: 120_000 };

  process.stdout.write(`Run ${runName}: the emulator first, then Cloudflare (account ${accountId}).\n`);
  const emulator = await startEmulator({ port: 0, accountId });
  let emulated: StepRecord[];
  try {
    const settings: ProviderSettings = {
      apiToken: { value: emulator.apiToken, source: "the emulator's bootstrap token" },
      tokenMintingApiToken: undefined,
      baseUrl: emulator.url,
      wait: { ...wait, propagationRetryDelayMs: 50 },
    };
    emulated = (await run(settings, accountId, runName, marker)).obs.steps;
  } finally {
    await emulator.close();
  }

  const liveSettings: ProviderSettings = {
    apiToken: { value: process.env.CLOUDFLARE_API_TOKEN!, source: "environment CLOUDFLARE_API_TOKEN" },
    tokenMintingApiToken: undefined,
    baseUrl: process.env.CLOUDFLARE_API_BASE_URL || undefined,
    wait,
  };
  const sweeper = createContext(liveSettings);
  // Leftovers of interrupted runs: older than 10 minutes, so a run in progress elsewhere is spared.
  // Instances and namespaces first: a registration an instance uses cannot be deleted (7076).
  const othersRun = (name: string) =>
    (name.startsWith(LIVE_PREFIX) && !name.startsWith(runName)) ||
    (name.startsWith(LIVE_NAMESPACE_PREFIX) && name !== `${LIVE_NAMESPACE_PREFIX}${marker}`);
  const sweptInstances = await sweepInstances(sweeper, accountId, othersRun, 10 * 60_000);
  const sweptTokens = await sweep(sweeper, accountId, othersRun, 10 * 60_000);
  const swept = {
    removed: [...sweptInstances.removed, ...sweptTokens.removed],
    failed: [...sweptInstances.failed, ...sweptTokens.failed],
  };
  for (const s of swept.removed) process.stdout.write(`swept leftover ${s}\n`);
  for (const s of swept.failed) process.stdout.write(`could not sweep ${s}\n`);
  const live = (await run(liveSettings, accountId, runName, marker)).obs.steps;
  // Whatever this run itself left, if its destroy failed.
  const thisRun = (name: string) => name.startsWith(runName) || name === `${LIVE_NAMESPACE_PREFIX}${marker}`;
  const leftInstances = await sweepInstances(sweeper, accountId, thisRun, 0);
  const leftTokens = await sweep(sweeper, accountId, thisRun, 0);
  const leftovers = {
    removed: [...leftInstances.removed, ...leftTokens.removed],
    failed: [...leftInstances.failed, ...leftTokens.failed],
  };
  await sweeper.management().client.close();

  const diffs = differences(emulated, live);
  const report = {
    run: runName,
    emulator: emulated,
    live,
    differences: diffs,
    sweptBefore: swept,
    leftoversOfThisRun: leftovers,
  };
  fs.writeFileSync("live-report.json", `${JSON.stringify(report, null, 2)}\n`);
  for (const step of live) process.stdout.write(`${step.step}: ${JSON.stringify(step.observed)}\n`);
  if (diffs.length === 0) process.stdout.write("\nCloudflare answered as the emulator does at every step.\n");
  for (const d of diffs) {
    process.stdout.write(
      `DIFFERS ${d.step} / ${d.key}: emulator ${JSON.stringify(d.emulator)}, Cloudflare ${JSON.stringify(d.live)}\n`,
    );
  }
  process.stdout.write("Report written to live-report.json.\n");
  const failed = live.some((s) => "failed" in s.observed);
  for (const s of [...leftovers.removed, ...leftovers.failed]) process.stdout.write(`this run left ${s}\n`);
  return failed || leftovers.removed.length + leftovers.failed.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`test:live failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
