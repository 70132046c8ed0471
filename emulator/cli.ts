#!/usr/bin/env node
// The `cf-ai-search-emulator` bin. Prints the base URL as the first line on stdout once it
// listens; everything else goes to stderr. Stops cleanly (exit 0) on SIGINT and SIGTERM.
// First: one line and exit 1 on Node.js older than 22 (package.json engines).
import "../nodeVersion/exitUnlessSupported";
import { parseArgs } from "node:util";
import type { BehaviourPatch } from "./config";
import { startEmulator, type EmulatorHandle } from "./index";

const HELP = `Usage: cf-ai-search-emulator [options]

A local emulator of the Cloudflare API v4 (API tokens, AI Search tokens, namespaces, instances
and sync jobs).
Prints its base URL (http://<host>:<port>/client/v4) as the first line on stdout.

Options:
  --port <n>                        port to listen on; 0 (default) picks a free one
  --host <addr>                     address to bind (default 127.0.0.1)
  --account-id <hex32>              account id (default: a fixed fake one, or the data file's)
  --api-token <secret>              secret of the bootstrap user token (default: generated;
                                    also read from CF_AI_SEARCH_EMULATOR_API_TOKEN). A generated
                                    one is available from GET /__emulator/info.
  --data-file <path>                persist the state to this JSON file
  --extra-account <hex32>[:<secret>]
                                    serve another account too, with its own management token
                                    (generated unless given; listed by GET /__emulator/info) and
                                    its own registrations, namespaces and instances; a token works
                                    only on its own account (403 / 9109 elsewhere). Repeatable.
  --propagation-failures <n>        registrations with a fresh API token that fail with 7012 (default 0)
  --propagation-ms <ms>             window after mint/roll in which registration fails with 7012 (default 0)
  --instance-teardown-ms <ms>       7076 window after the last instance using a token is deleted (default 0)
  --instance-delete-ms <ms>         a deleted instance stays readable ("deleting") this long (default 0)
  --echo-token-id-on-read           return token_id in instance responses (default: write-only)
  --legacy-default <true|false>     value of an omitted AI Search token "legacy" (default true)
  --ai-search-token-create-status <200|201>   (default 201)
  --timestamp-style <rfc3339|space> AI Search timestamps (default rfc3339)
  --account-token-required-for <every-instance|r2|none>
                                    creates without token_id that need a registered AI Search
                                    token on the account, else 7012 (default every-instance)
  --implicit-token-deletion <allow|refuse>
                                    deleting an AI Search token that instances created without
                                    token_id rely on (default allow; refuse: 409 / 7076)
  --page-size-cap <1-100>           most items on one page of a list, whatever per_page asks (default 20)
  --ai-search-total-pages           add total_pages to AI Search lists' result_info (default: none)
  --no-refuse-legacy-token-routes   legacy AI Search tokens answer per-token GET/DELETE (default: 401)
  --no-fill-instance-defaults       store only the instance settings sent (default: server defaults)
  --no-normalise-instance-values    store instance values as sent (default: the server's normal form)
  --echo-write-only-instance-fields return system prompts, summarization and chunk (default: not)
  --max-namespaces <n>              namespaces per account, default included; one more is 7062 (default 100)
  --job-duration-ms <ms>            how long a sync job runs; its items are indexed evenly over it (default 2000)
  --job-outcome <success|error>     how a sync job ends (default success)
  --job-error-reason <text>         end_reason of a job that ends in error
                                    (default "error: the data source could not be read")
  --job-item-count <n>              items a sync job indexes (default 10)
  --sync-cooldown-ms <ms>           minimum time between manual syncs of one instance; sooner is
                                    7020 / 429 with Retry-After (default 30000)
  --retire-account-level-instance-routes
                                    answer /accounts/{id}/ai-search/instances... with 404 7003+7000,
                                    as if Cloudflare had retired them (default: served)
  --latency-ms <ms>                 added before every API answer, like a real round trip (default 0)
  --rate-limit-quota <n>            requests per window per token (default 1200)
  --rate-limit-window <s>           window in seconds (default 300)
  --no-rate-limit                   never answer 429 (headers are still sent)
  --quiet                           no request log on stderr
  -h, --help                        show this help
`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
};

export class UsageError extends Error {}

function int(name: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new UsageError(`--${name} must be an integer >= ${min}`);
  return Number(value);
}

function bool(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new UsageError(`--${name} must be true or false`);
}

/** Parses the command line into start options; undefined for --help. Throws UsageError. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowNegative: true,
      strict: true,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "account-id": { type: "string" },
        "api-token": { type: "string" },
        "data-file": { type: "string" },
        "extra-account": { type: "string", multiple: true },
        "propagation-failures": { type: "string" },
        "propagation-ms": { type: "string" },
        "instance-teardown-ms": { type: "string" },
        "instance-delete-ms": { type: "string" },
        "echo-token-id-on-read": { type: "boolean" },
        "legacy-default": { type: "string" },
        "ai-search-token-create-status": { type: "string" },
        "timestamp-style": { type: "string" },
        "account-token-required-for": { type: "string" },
        "implicit-token-deletion": { type: "string" },
        "page-size-cap": { type: "string" },
        "ai-search-total-pages": { type: "boolean" },
        "refuse-legacy-token-routes": { type: "boolean" },
        "fill-instance-defaults": { type: "boolean" },
        "normalise-instance-values": { type: "boolean" },
        "echo-write-only-instance-fields": { type: "boolean" },
        "max-namespaces": { type: "string" },
        "job-duration-ms": { type: "string" },
        "job-outcome": { type: "string" },
        "job-error-reason": { type: "string" },
        "job-item-count": { type: "string" },
        "sync-cooldown-ms": { type: "string" },
        "retire-account-level-instance-routes": { type: "boolean" },
        "latency-ms": { type: "string" },
        "rate-limit": { type: "boolean" },
        "rate-limit-quota": { type: "string" },
        "rate-limit-window": { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const v = parsed.values;
  if (v.help) return undefined;
  const status = v["ai-search-token-create-status"];
  if (status !== undefined && status !== "200" && status !== "201") {
    throw new UsageError("--ai-search-token-create-status must be 200 or 201");
  }
  const style = v["timestamp-style"];
  if (style !== undefined && style !== "rfc3339" && style !== "space") {
    throw new UsageError("--timestamp-style must be rfc3339 or space");
  }
  const required = v["account-token-required-for"];
  if (required !== undefined && required !== "every-instance" && required !== "r2" && required !== "none") {
    throw new UsageError("--account-token-required-for must be every-instance, r2 or none");
  }
  const implicitDeletion = v["implicit-token-deletion"];
  if (implicitDeletion !== undefined && implicitDeletion !== "allow" && implicitDeletion !== "refuse") {
    throw new UsageError("--implicit-token-deletion must be allow or refuse");
  }
  const port = int("port", v.port) ?? 0;
  if (port > 65535) throw new UsageError("--port must be at most 65535");
  const accountId = v["account-id"];
  if (accountId !== undefined && !/^[0-9a-f]{32}$/.test(accountId)) {
    throw new UsageError("--account-id must be 32 lowercase hexadecimal characters");
  }
  const accounts = (v["extra-account"] ?? []).map((given) => {
    const accountId = given.slice(0, 32);
    const rest = given.slice(32);
    if (!/^[0-9a-f]{32}$/.test(accountId) || (rest !== "" && !/^:[\x21-\x7e]+$/.test(rest))) {
      throw new UsageError("--extra-account must be <32 lowercase hex characters>[:<secret>]");
    }
    return rest === "" ? { accountId } : { accountId, apiToken: rest.slice(1) };
  });
  const pageSizeCap = int("page-size-cap", v["page-size-cap"], 1);
  if (pageSizeCap !== undefined && pageSizeCap > 100)
    throw new UsageError("--page-size-cap must be at most 100");
  const jobOutcome = v["job-outcome"];
  if (jobOutcome !== undefined && jobOutcome !== "success" && jobOutcome !== "error") {
    throw new UsageError("--job-outcome must be success or error");
  }
  const jobErrorReason = v["job-error-reason"];
  if (jobErrorReason === "") throw new UsageError("--job-error-reason must not be empty");
  const rateLimit: NonNullable<BehaviourPatch["rateLimit"]> = {};
  const quota = int("rate-limit-quota", v["rate-limit-quota"], 1);
  const window = int("rate-limit-window", v["rate-limit-window"], 1);
  if (quota !== undefined) rateLimit.quota = quota;
  if (window !== undefined) rateLimit.windowSeconds = window;
  if (v["rate-limit"] !== undefined) rateLimit.enabled = v["rate-limit"];
  const behaviour: BehaviourPatch = {
    propagationFailures: int("propagation-failures", v["propagation-failures"]),
    propagationMs: int("propagation-ms", v["propagation-ms"]),
    instanceTeardownMs: int("instance-teardown-ms", v["instance-teardown-ms"]),
    instanceDeleteMs: int("instance-delete-ms", v["instance-delete-ms"]),
    echoTokenIdOnRead: v["echo-token-id-on-read"],
    legacyDefault: bool("legacy-default", v["legacy-default"]),
    aiSearchTokenCreateStatus: status === undefined ? undefined : status === "200" ? 200 : 201,
    aiSearchTimestampStyle: style,
    accountTokenRequiredFor: required,
    implicitTokenDeletion: implicitDeletion,
    pageSizeCap,
    aiSearchTotalPages: v["ai-search-total-pages"],
    refuseLegacyTokenRoutes: v["refuse-legacy-token-routes"],
    fillInstanceDefaults: v["fill-instance-defaults"],
    normaliseInstanceValues: v["normalise-instance-values"],
    echoWriteOnlyInstanceFields: v["echo-write-only-instance-fields"],
    maxNamespaces: int("max-namespaces", v["max-namespaces"], 1),
    jobDurationMs: int("job-duration-ms", v["job-duration-ms"]),
    jobOutcome,
    jobErrorReason,
    jobItemCount: int("job-item-count", v["job-item-count"]),
    syncCooldownMs: int("sync-cooldown-ms", v["sync-cooldown-ms"]),
    retireAccountLevelInstanceRoutes: v["retire-account-level-instance-routes"],
    latencyMs: int("latency-ms", v["latency-ms"]),
    rateLimit,
  };
  return {
    port,
    host: v.host ?? "127.0.0.1",
    accountId,
    apiToken: v["api-token"] ?? env.CF_AI_SEARCH_EMULATOR_API_TOKEN,
    dataFile: v["data-file"],
    accounts,
    quiet: v.quiet ?? false,
    behaviour,
  };
}

/**
 * Runs the emulator as the bin does, minus signal handling. Resolves to the running emulator,
 * or undefined after --help. Throws UsageError on bad arguments.
 */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<EmulatorHandle | undefined> {
  const opts = parseCli(argv, io.env);
  if (!opts) {
    io.stdout(HELP);
    return undefined;
  }
  const emu = await startEmulator({
    ...opts.behaviour,
    port: opts.port,
    host: opts.host,
    accountId: opts.accountId,
    apiToken: opts.apiToken,
    dataFile: opts.dataFile,
    accounts: opts.accounts,
    log: opts.quiet ? undefined : (line) => io.stderr(`${line}\n`),
  });
  io.stdout(`${emu.url}\n`);
  io.stderr(
    `cf-ai-search-emulator: listening on ${emu.url} (account ${emu.accountId}; admin API ${emu.adminUrl})\n`,
  );
  for (const extra of emu.accounts.slice(1)) {
    io.stderr(
      `cf-ai-search-emulator: also serving account ${extra.accountId} (its token: GET ${emu.adminUrl}/info)\n`,
    );
  }
  return emu;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (emu) => {
      if (!emu) return;
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`cf-ai-search-emulator: ${signal}, stopping\n`);
        emu.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on("SIGINT", () => stop("SIGINT"));
      process.on("SIGTERM", () => stop("SIGTERM"));
    },
    (err: unknown) => {
      if (err instanceof UsageError) {
        process.stderr.write(`cf-ai-search-emulator: ${err.message}\n\n${HELP}`);
        process.exit(2);
      }
      process.stderr.write(`cf-ai-search-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
