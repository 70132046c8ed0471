// Cloudflare's own CLI as a second real client of the emulator (issue 10): `wrangler ai-search`
// (pinned by scripts/ensure-wrangler, installed outside the repo) pointed at the emulator with
// CLOUDFLARE_API_BASE_URL, offline and without prompts. What it sends is what a user's wrangler
// would send to Cloudflare, so a request the emulator does not implement fails here.
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access -- wrangler's JSON output */
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { ensureWrangler, wranglerFor, type Wrangler } from "../support/wrangler";
import { call, G } from "./helpers";

// The first run may install wrangler from the npm registry.
jest.setTimeout(180_000);

let emu: EmulatorHandle;
let cli: Wrangler | undefined;

beforeAll(async () => {
  const bin = ensureWrangler();
  emu = await startEmulator({ port: 0 });
  cli = wranglerFor(bin, emu);
});
afterAll(async () => {
  await emu?.close();
  cli?.close();
});
beforeEach(() => emu.reset());

/** Runs `wrangler ai-search …` against the emulator (test/support/wrangler.ts). */
const wrangler = (...args: string[]) => cli!.aiSearch(...args);

/** Registers an AI Search token the way this package does: mint an account token, register it with legacy false. */
async function registerTheWayThisPackageDoes(): Promise<string> {
  const minted = await call(emu, "POST", `/accounts/${emu.accountId}/tokens`, {
    body: {
      name: "AI Search Service API Token",
      policies: [
        {
          effect: "allow",
          resources: { [`com.cloudflare.api.account.${emu.accountId}`]: "*" },
          permission_groups: [{ id: G.aiSearchIndexEngine }],
        },
      ],
    },
  });
  expect(minted.status).toBe(200);
  const reg = await call(emu, "POST", `/accounts/${emu.accountId}/ai-search/tokens`, {
    body: {
      cf_api_id: minted.json.result.id,
      cf_api_key: minted.json.result.value,
      name: "AI Search Service API Token",
      legacy: false,
    },
  });
  expect(reg.status).toBe(201);
  return reg.json.result.id as string;
}

/** The routes wrangler called, by template, without the totals. */
function routesCalled(): Record<string, number> {
  const { total: _total, unmatched, ...routes } = emu.requestCounts();
  expect(unmatched ?? 0).toBe(0); // wrangler sent nothing the emulator does not implement
  return routes;
}

it("refuses create when the account has no registered AI Search token, before calling the create", async () => {
  const r = await wrangler("create", "docs", "--type", "r2", "--source", "docs-bucket");
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain("No AI Search API token found. Create one at:");
  expect(r.stderr).toContain(`https://dash.cloudflare.com/${emu.accountId}/ai/ai-search/tokens`);
  expect(routesCalled()).toEqual({ "GET /accounts/:account_id/ai-search/tokens": 1 });
  expect(emu.state().instances).toEqual([]);
});

it("list (instances and namespaces), create (with the token this package registers), get, stats, update, jobs and delete", async () => {
  const empty = await wrangler("list");
  expect(empty.code).toBe(0);
  expect(empty.stderr).toContain(`You haven't created any AI Search instances in namespace "default"`);

  const namespaces = await wrangler("namespace", "list", "--json");
  expect(namespaces.code).toBe(0);
  expect(JSON.parse(namespaces.stdout)).toEqual([expect.objectContaining({ name: "default" })]);

  const tokenId = await registerTheWayThisPackageDoes();
  const created = await wrangler("create", "docs", "--type", "r2", "--source", "docs-bucket", "--json");
  expect(created.code).toBe(0);
  expect(JSON.parse(created.stdout)).toMatchObject({
    id: "docs",
    type: "r2",
    source: "docs-bucket",
    namespace: "default",
  });
  // wrangler sends no token_id: the instance relies on the account's token.
  const [instance] = emu.state().instances;
  expect(instance).toMatchObject({ id: "docs", token_id: null, token: { id: tokenId, how: "implicit" } });

  const listed = await wrangler("list");
  expect(listed.code).toBe(0);
  expect(listed.stdout).toMatch(/│ docs\s+│ default\s+│ r2\s+│ waiting\s+│ docs-bucket/);

  const got = await wrangler("get", "docs", "--json");
  expect(got.code).toBe(0);
  expect(JSON.parse(got.stdout)).toMatchObject({ id: "docs", status: "waiting", source: "docs-bucket" });

  const stats = await wrangler("stats", "docs", "--json");
  expect(stats.code).toBe(0);
  expect(JSON.parse(stats.stdout)).toMatchObject({ completed: 0, queued: 0, index_source_errors: {} });

  const updated = await wrangler("update", "docs", "--max-num-results", "5");
  expect(updated.code).toBe(0);
  expect(emu.state().instances[0]!.settings.max_num_results).toBe(5);

  const synced = await wrangler("jobs", "create", "docs", "--json");
  expect(synced.code).toBe(0);
  const job = JSON.parse(synced.stdout);
  const jobs = await wrangler("jobs", "list", "docs", "--json");
  expect(jobs.code).toBe(0);
  expect(JSON.parse(jobs.stdout)).toEqual([expect.objectContaining({ id: job.id, source: "user" })]);

  const deleted = await wrangler("delete", "docs", "--force");
  expect(deleted.code).toBe(0);
  expect(deleted.stdout).toContain(`Successfully deleted AI Search instance "docs"`);
  expect(emu.state().instances).toEqual([]);

  expect(routesCalled()).toEqual({
    "GET /accounts/:account_id/ai-search/namespaces": 1,
    "GET /accounts/:account_id/ai-search/namespaces/:namespace/instances": 2,
    "GET /accounts/:account_id/ai-search/tokens": 1,
    "POST /accounts/:account_id/tokens": 1,
    "POST /accounts/:account_id/ai-search/tokens": 1,
    "POST /accounts/:account_id/ai-search/namespaces/:namespace/instances": 1,
    "GET /accounts/:account_id/ai-search/namespaces/:namespace/instances/:id": 1,
    "GET /accounts/:account_id/ai-search/namespaces/:namespace/instances/:id/stats": 1,
    "PUT /accounts/:account_id/ai-search/namespaces/:namespace/instances/:id": 1,
    "POST /accounts/:account_id/ai-search/namespaces/:namespace/instances/:id/jobs": 1,
    "GET /accounts/:account_id/ai-search/namespaces/:namespace/instances/:id/jobs": 1,
    "DELETE /accounts/:account_id/ai-search/namespaces/:namespace/instances/:id": 1,
  });
});

it("shows wrangler's instance losing its data source once the account's token is deleted", async () => {
  const tokenId = await registerTheWayThisPackageDoes();
  expect(
    (await wrangler("create", "site", "--type", "web-crawler", "--source", "https://example.com")).code,
  ).toBe(0);
  // Nothing names the token, so the API lets it go (implicitTokenDeletion "allow")...
  const del = await call(emu, "DELETE", `/accounts/${emu.accountId}/ai-search/tokens/${tokenId}`);
  expect(del.status).toBe(200);
  // ...and what wrangler reads afterwards shows the loss.
  const got = await wrangler("get", "site", "--json");
  expect(JSON.parse(got.stdout)).toMatchObject({ id: "site", status: "error" });
  const stats = JSON.parse((await wrangler("stats", "site", "--json")).stdout);
  expect(stats.degraded).toBe(true);
  expect(stats.index_source_errors).toEqual({ "https://example.com": expect.any(String) });
});
