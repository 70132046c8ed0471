// Lookups and per-account credentials under the real engine, in project folders as `pulumi up`
// there runs them, on one engine and one emulator serving two accounts:
// (a) stack A owns the account's service token; stack B looks it up by name and creates an
//     instance with its id. B's preview, up, no-change up and destroy leave A's token and
//     registration untouched; A's destroy then completes.
// (b) one program, two accounts, two management tokens named by config key: preview, up, refresh,
//     destroy. Neither management token is anywhere in state; after one account's token is
//     rotated in the stack config (the old one disabled), `destroy` works with no `up` first
//     (its key is in the `pulumi-nodejs:` namespace: see provider/runtime.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { recorder, startEngine, type Engine } from "./harness";

jest.setTimeout(600_000);

const FIXTURES = path.join(__dirname, "fixtures");
const SECOND = "22222222222222222222222222222222";

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine("e2e-accounts", { accounts: [{ accountId: SECOND }] });
});
afterAll(async () => engine?.close());

/** What the emulator holds of the account's tokens, with their last change: to prove nothing touched them. */
function tokensAsTheyAre(accountId?: string) {
  const state = engine.emulator.state(accountId);
  return {
    aiSearchTokens: state.aiSearchTokens.map((t) => [t.id, t.name, t.modified_at, t.enabled]),
    apiTokens: state.apiTokens.map((t) => [t.id, t.name, t.status, t.modified_on, t.secret_issued_on]),
  };
}

it("(a) a stack uses the token another stack owns, found by name, and never touches it", async () => {
  const owner = await engine.project("a-platform", path.join(FIXTURES, "platform-token"));
  const ownerUp = await owner.up(recorder(engine.output));
  const tokenId = ownerUp.outputs.tokenId?.value as string;
  expect(engine.emulator.state().aiSearchTokens.map((t) => t.id)).toEqual([tokenId]);
  const before = tokensAsTheyAre();

  const app = await engine.project("a-app", path.join(FIXTURES, "app-uses-token"));
  const preview = await app.preview(recorder(engine.output));
  expect(preview.changeSummary).toMatchObject({ create: 2 }); // the stack and the instance
  expect(tokensAsTheyAre()).toEqual(before);

  const up = await app.up(recorder(engine.output));
  expect(up.outputs.tokenId?.value).toBe(tokenId);
  expect(engine.emulator.state().instances.map((i) => [i.id, i.token_id])).toEqual([["app-docs", tokenId]]);
  expect(tokensAsTheyAre()).toEqual(before);

  const again = await app.up({ ...recorder(engine.output), expectNoChanges: true });
  expect(again.summary.resourceChanges).toEqual({ same: 2 });
  expect(tokensAsTheyAre()).toEqual(before);

  await app.destroy(recorder(engine.output));
  expect(engine.emulator.state().instances).toEqual([]);
  expect(tokensAsTheyAre()).toEqual(before);

  await owner.destroy(recorder(engine.output));
  expect(engine.emulator.state().aiSearchTokens).toEqual([]);
  await app.workspace.removeStack(app.name);
  await owner.workspace.removeStack(owner.name);
});

/** A second management token for an account, made with its current one. */
async function newManagementToken(accountId: string, current: string): Promise<string> {
  const bootstrap = engine.emulator.state(accountId).apiTokens.find((t) => t.bootstrap)!;
  const res = await fetch(`${engine.emulator.url}/user/tokens`, {
    method: "POST",
    headers: { authorization: `Bearer ${current}`, "content-type": "application/json" },
    body: JSON.stringify({
      name: "rotated management token",
      policies: bootstrap.policies.map(({ id: _id, ...p }) => p),
    }),
  });
  const body = (await res.json()) as { result: { value: string } };
  return body.result.value;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

it("(b) one program manages two accounts with a management token each, none of them in state", async () => {
  const [staging, production] = engine.emulator.accounts;
  const config: ConfigMap = {
    "two-accounts:stagingAccountId": { value: staging!.accountId },
    "two-accounts:productionAccountId": { value: production!.accountId },
    "staging:apiToken": { value: staging!.apiToken, secret: true },
    "pulumi-nodejs:productionApiToken": { value: production!.apiToken, secret: true },
  };
  const stack = await engine.project("b-two-accounts", path.join(FIXTURES, "two-accounts"), config);
  const managementTokens = [staging!.apiToken, production!.apiToken];

  const preview = await stack.preview(recorder(engine.output));
  expect(preview.changeSummary).toMatchObject({ create: 5 });

  const up = await stack.up(recorder(engine.output));
  expect(up.summary.result).toBe("succeeded");
  for (const [name, account] of [
    ["staging", staging!],
    ["production", production!],
  ] as const) {
    const held = engine.emulator.state(account.accountId);
    expect(held.aiSearchTokens.map((t) => t.name)).toEqual([`${name} token`]);
    expect(held.instances.map((i) => [i.id, i.token_id])).toEqual([
      [`${name}-docs`, held.aiSearchTokens[0]!.id],
    ]);
  }
  expect(up.outputs.namespaces?.value).toEqual({ staging: ["default"], production: ["default"] });

  const refresh = await stack.refresh(recorder(engine.output));
  expect(refresh.summary.result).toBe("succeeded");
  expect(refresh.summary.resourceChanges).toEqual({ same: 5 });

  // The state names the keys, never what they hold.
  const exported = engine.cli(["stack", "export", "--stack", stack.name], stack);
  expect(exported).toContain('"apiToken": "pulumi-nodejs:productionApiToken"');
  expect(exported).toContain('"apiToken": "staging:apiToken"');
  /** Where a management token would show if it leaked: the export, the output, every backend file. */
  const leaks = () => {
    const places: [string, string][] = [
      ["pulumi stack export", engine.cli(["stack", "export", "--stack", stack.name], stack)],
      ["command output", engine.output.join("\n")],
      ...filesUnder(path.join(engine.dir, "backend")).map((f): [string, string] => [
        f,
        fs.readFileSync(f, "latin1"),
      ]),
    ];
    return places.flatMap(([where, text]) =>
      managementTokens.filter((t) => text.includes(t)).map((t) => `${where}: ${t.slice(0, 9)}…`),
    );
  };
  expect(leaks()).toEqual([]);

  // Rotate production's management token in the stack config and disable the old one: destroy
  // with no `up` in between uses the new one.
  const rotated = await newManagementToken(production!.accountId, production!.apiToken);
  managementTokens.push(rotated);
  await stack.setConfig("pulumi-nodejs:productionApiToken", { value: rotated, secret: true });
  engine.emulator.setTokenStatus(production!.bootstrapTokenId, "disabled");
  try {
    await stack.destroy(recorder(engine.output));
  } finally {
    engine.emulator.setTokenStatus(production!.bootstrapTokenId, "active");
  }
  for (const account of [staging!, production!]) {
    const held = engine.emulator.state(account.accountId);
    expect([held.aiSearchTokens, held.instances]).toEqual([[], []]);
  }
  expect(leaks()).toEqual([]);
  await stack.workspace.removeStack(stack.name);
});
