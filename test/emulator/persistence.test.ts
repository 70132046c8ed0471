// Persistence: every change lands in the data file atomically; a restart loads it; a corrupt
// file stops start-up with a message naming it and is left untouched. No secret is ever written.
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- raw JSON answers */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataFileError, startEmulator, type EmulatorHandle } from "../../emulator";
import { call, registerServiceToken } from "./helpers";

let dir: string;
let file: string;
const open: EmulatorHandle[] = [];
const start = async (opts: Parameters<typeof startEmulator>[0]) => {
  const e = await startEmulator(opts);
  open.push(e);
  return e;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cf-emu-"));
  file = join(dir, "state.json");
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
  rmSync(dir, { recursive: true, force: true });
});

const apiToken = "fake-persistenceTestBootstrapToken0123456789";

it("survives a restart: tokens, registrations, instances and secrets (as digests) all come back", async () => {
  const a = await start({ port: 0, dataFile: file, apiToken });
  const s = await registerServiceToken(a);
  await call(a, "POST", `/accounts/${a.accountId}/ai-search/instances`, {
    body: { id: "kept", type: "r2", source: "bucket", token_id: s.aiSearchTokenId },
  });
  // Which token an instance made without token_id relies on survives too.
  await call(a, "POST", `/accounts/${a.accountId}/ai-search/instances`, { body: { id: "implicit" } });
  const before = a.state();
  expect(before.instances[1]!.token).toEqual({ id: s.aiSearchTokenId, how: "implicit" });
  await a.close();

  const text = readFileSync(file, "utf8");
  expect(text).not.toContain(apiToken);
  expect(text).not.toContain(s.apiTokenValue);
  expect(readdirSync(dir)).toEqual(["state.json"]);

  const b = await start({ port: 0, dataFile: file, apiToken });
  expect(b.state()).toEqual(before);
  expect(b.bootstrapTokenId).toBe(a.bootstrapTokenId);
  expect((await call(b, "GET", "/user/tokens/verify", { token: s.apiTokenValue })).status).toBe(200);
  expect((await call(b, "GET", `/accounts/${b.accountId}/ai-search/instances/kept`)).json.result.source).toBe(
    "bucket",
  );
  // The registration's key digest survived too: a PUT with the same key validates.
  const put = await call(b, "PUT", `/accounts/${b.accountId}/ai-search/tokens/${s.aiSearchTokenId}`, {
    body: { cf_api_id: s.apiTokenId, cf_api_key: s.apiTokenValue, name: "again", legacy: false },
  });
  expect(put.status).toBe(200);
  expect(b.state().aiSearchTokens[0]!.credential).toBe("valid");
});

it("writes after every change, so a crash loses nothing already answered", async () => {
  const a = await start({ port: 0, dataFile: file, apiToken });
  await registerServiceToken(a);
  await call(a, "POST", `/accounts/${a.accountId}/ai-search/instances`, { body: { id: "one" } });
  const saved = JSON.parse(readFileSync(file, "utf8"));
  expect(saved.instances.map((i: { id: string }) => i.id)).toEqual(["one"]);
  await call(a, "DELETE", `/accounts/${a.accountId}/ai-search/instances/one`);
  expect(JSON.parse(readFileSync(file, "utf8")).instances).toEqual([]);
});

it("keeps the account id of the file and refuses a different one", async () => {
  const accountId = "abcdefabcdefabcdefabcdefabcdef12";
  const a = await start({ port: 0, dataFile: file, apiToken, accountId });
  await a.close();
  const b = await start({ port: 0, dataFile: file, apiToken });
  expect(b.accountId).toBe(accountId);
  await b.close();
  await expect(start({ port: 0, dataFile: file, apiToken, accountId: "1".repeat(32) })).rejects.toThrow(
    /belongs to account abcdef/,
  );
});

it("a restart without apiToken gives the same bootstrap token a new secret", async () => {
  const a = await start({ port: 0, dataFile: file, apiToken });
  await a.close();
  const b = await start({ port: 0, dataFile: file });
  expect(b.apiToken).not.toBe(apiToken);
  expect(b.bootstrapTokenId).toBe(a.bootstrapTokenId);
  expect((await call(b, "GET", "/user/tokens/verify", { token: apiToken })).status).toBe(401);
  expect((await call(b, "GET", "/user/tokens/verify")).status).toBe(200);
});

it.each([
  ["not JSON", "{ this is not json", /is not valid JSON/],
  ["the wrong shape", JSON.stringify({ version: 1, accountId: "x" }), /does not hold emulator state/],
  ["another version", JSON.stringify({ version: 2 }), /does not hold emulator state/],
])(
  "a corrupt file (%s) stops start-up with its name and is never overwritten",
  async (_what, content, reason) => {
    writeFileSync(file, content);
    const err = await startEmulator({ port: 0, dataFile: file, apiToken }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toMatch(reason);
    expect(readFileSync(file, "utf8")).toBe(content);
    expect(readdirSync(dir)).toEqual(["state.json"]);
  },
);
