/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- raw JSON answers */
// Several accounts in one emulator: each has its own management token, registrations, namespaces
// and instances, and a token works only on its own account (403 / 9109 elsewhere), as Cloudflare
// answers a token that does not hold the account. Switchable from startEmulator and the CLI.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { main, parseCli, UsageError } from "../../emulator/cli";
import { accountPolicy, call, G } from "./helpers";

const SECOND = "22222222222222222222222222222222";
const THIRD = "33333333333333333333333333333333";

describe("an emulator serving several accounts", () => {
  let emu: EmulatorHandle;
  beforeAll(async () => {
    emu = await startEmulator({
      accounts: [{ accountId: SECOND }, { accountId: THIRD, apiToken: "third-token-123" }],
    });
  });
  afterAll(async () => emu.close());
  beforeEach(() => emu.reset());

  const tokenOf = (accountId: string) => emu.accounts.find((a) => a.accountId === accountId)!.apiToken;

  it("lists every account with its own management token", () => {
    expect(emu.accounts.map((a) => a.accountId)).toEqual([emu.accountId, SECOND, THIRD]);
    expect(emu.accounts[0]!.apiToken).toBe(emu.apiToken);
    expect(tokenOf(THIRD)).toBe("third-token-123");
    expect(new Set(emu.accounts.map((a) => a.apiToken)).size).toBe(3);
    expect(new Set(emu.accounts.map((a) => a.userId)).size).toBe(3);
  });

  it("keeps each account's namespaces and instances apart", async () => {
    const made = await call(emu, "POST", `/accounts/${SECOND}/ai-search/namespaces`, {
      token: tokenOf(SECOND),
      body: { name: "docs" },
    });
    expect(made.status).toBe(200);
    const inFirst = await call(emu, "GET", `/accounts/${emu.accountId}/ai-search/namespaces`);
    expect(inFirst.json.result.map((n: { name: string }) => n.name)).toEqual(["default"]);
    const inSecond = await call(emu, "GET", `/accounts/${SECOND}/ai-search/namespaces`, {
      token: tokenOf(SECOND),
    });
    expect(inSecond.json.result.map((n: { name: string }) => n.name)).toEqual(["default", "docs"]);
    expect(emu.state(SECOND).namespaces.map((n) => n.name)).toEqual(["default", "docs"]);
    expect(emu.state().namespaces.map((n) => n.name)).toEqual(["default"]);
  });

  it("answers 403 / 9109 when one account's token calls another account", async () => {
    for (const [token, account] of [
      [emu.apiToken, SECOND],
      [tokenOf(SECOND), emu.accountId],
      [tokenOf(THIRD), SECOND],
    ] as const) {
      const res = await call(emu, "GET", `/accounts/${account}/ai-search/tokens`, { token });
      expect(res.status).toBe(403);
      expect(res.json.errors.map((e: { code: number }) => e.code)).toContain(9109);
    }
  });

  it("still answers 401 / 10000 for a token no account knows", async () => {
    const res = await call(emu, "GET", `/accounts/${SECOND}/ai-search/tokens`, { token: "no-such-token" });
    expect(res.status).toBe(401);
    expect(res.json.errors[0].code).toBe(10000);
  });

  it("mints user tokens for the account whose token asks", async () => {
    const groups = await call(emu, "GET", "/user/tokens/permission_groups", { token: tokenOf(SECOND) });
    expect(groups.status).toBe(200);
    const minted = await call(emu, "POST", "/user/tokens", {
      token: tokenOf(SECOND),
      body: { name: "second's", policies: [accountPolicy(SECOND, [G.aiSearchIndexEngine])] },
    });
    expect(minted.status).toBe(200);
    expect(emu.state(SECOND).apiTokens.map((t) => t.name)).toContain("second's");
    expect(emu.state().apiTokens.map((t) => t.name)).not.toContain("second's");
  });

  it("refuses a bad account id or a duplicate", async () => {
    await expect(startEmulator({ accounts: [{ accountId: "nope" }] })).rejects.toThrow(
      /32 lowercase hexadecimal/,
    );
    const first = "0123456789abcdef0123456789abcdef";
    await expect(startEmulator({ accountId: first, accounts: [{ accountId: first }] })).rejects.toThrow(
      /twice/,
    );
  });
});

describe("--extra-account", () => {
  it("parses ids with and without a secret", () => {
    const opts = parseCli(["--extra-account", SECOND, "--extra-account", `${THIRD}:s3cret:with-colon`], {});
    expect(opts?.accounts).toEqual([
      { accountId: SECOND },
      { accountId: THIRD, apiToken: "s3cret:with-colon" },
    ]);
    expect(() => parseCli(["--extra-account", "abc"], {})).toThrow(UsageError);
  });

  it("serves the extra account and persists it beside the data file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-accounts-"));
    const dataFile = path.join(dir, "state.json");
    const err: string[] = [];
    const emu = await main(["--extra-account", `${SECOND}:second-secret`, "--data-file", dataFile], {
      stdout: () => undefined,
      stderr: (t) => void err.push(t),
      env: {},
    });
    try {
      expect(emu!.accounts[1]).toMatchObject({ accountId: SECOND, apiToken: "second-secret" });
      expect(err.join("")).toContain(`also serving account ${SECOND}`);
      expect(fs.existsSync(path.join(dir, `state.${SECOND}.json`))).toBe(true);
      expect(fs.readFileSync(path.join(dir, `state.${SECOND}.json`), "utf8")).not.toContain("second-secret");
    } finally {
      await emu?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
