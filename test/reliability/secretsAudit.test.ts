// The secrets audit, under the real engine: a stack that mints a service token, rotates it, takes
// an existing API token (`existingApiToken`), fails on purpose (a rotation whose registration PUT
// fails, so the rolled secret is kept through a partial update; a mint whose registration is
// refused), and converges. The management token and every service-token value it ever held appear
// nowhere in plaintext: not in the file backend's files (state, history, backups), not in
// `pulumi stack export` without --show-secrets, not in the stack's config files, not in anything a
// command printed (errors included), not in the emulator's logs.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { request } from "undici";
import { AiSearchInstance, ServiceApiToken } from "../../provider";
import { recorder, startEngine, type Engine } from "../e2e/harness";

jest.setTimeout(10 * 60_000);

let engine: Engine;
const emulatorLog: string[] = [];
const errors: string[] = [];
/** Every secret value seen: the management token, the existing token's, each minted or rolled one. */
const secrets = new Set<string>();

beforeAll(async () => {
  engine = await startEngine("reliability-secrets", { log: (line) => void emulatorLog.push(line) });
  secrets.add(engine.emulator.apiToken);
});
afterAll(async () => engine?.close());

async function existingApiToken(): Promise<{ id: string; value: string }> {
  const auth = { authorization: `Bearer ${engine.emulator.apiToken}`, "content-type": "application/json" };
  const groups = (await (
    await request(`${engine.emulator.url}/user/tokens/permission_groups`, { headers: auth })
  ).body.json()) as { result: { id: string; name: string }[] };
  const group = groups.result.find((g) => g.name === "AI Search Index Engine");
  const res = await request(`${engine.emulator.url}/user/tokens`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({
      name: "existing token for the audit",
      policies: [
        {
          effect: "allow",
          resources: { [`com.cloudflare.api.account.${engine.emulator.accountId}`]: "*" },
          permission_groups: [{ id: group?.id }],
        },
      ],
    }),
  });
  const { result } = (await res.body.json()) as { result: { id: string; value: string } };
  return { id: result.id, value: result.value };
}

/** The plaintext of every `value` output in the state, read through the Automation API (which shows secrets). */
async function collectValues(stack: Stack): Promise<void> {
  const deployment = await stack.exportStack();
  const walk = (node: unknown, key?: string): void => {
    if (typeof node === "string") {
      if (key === "value" && node.length >= 16) secrets.add(node);
      return;
    }
    if (Array.isArray(node)) node.forEach((n) => walk(n));
    else if (node && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) walk(v, k === "plaintext" ? key : k);
    }
  };
  walk(deployment.deployment);
}

async function step(stack: Stack, what: "up" | "preview", expectFailure = false): Promise<void> {
  const run =
    what === "up"
      ? stack.up(recorder(engine.output))
      : stack.preview({ ...recorder(engine.output), diff: true });
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof Error) errors.push(err.message, err.stack ?? "");
  else if (err !== undefined) errors.push(JSON.stringify(err));
  if (err !== undefined && !expectFailure) throw err instanceof Error ? err : new Error(JSON.stringify(err));
  expect(err !== undefined).toBe(expectFailure);
  await collectValues(stack);
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

it("no secret appears in plaintext in state, exports, output, errors or the emulator's logs", async () => {
  const existing = await existingApiToken();
  secrets.add(existing.value);
  const program = async () => {
    const cfg = new pulumi.Config("audit");
    const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
    const minted = new ServiceApiToken("minted", {
      accountId,
      name: "audit minted",
      rotationTrigger: cfg.get("rotation") ?? "0",
    });
    new ServiceApiToken("provided", { accountId, name: "audit provided", existingApiToken: existing });
    new AiSearchInstance("docs", {
      accountId,
      instanceId: "audit",
      type: "r2",
      source: "docs-bucket",
      tokenId: minted.id,
    });
    if (cfg.get("extra")) new ServiceApiToken("refused", { accountId, name: "audit refused" });
  };
  const stack = await engine.stack("audit", program);

  await step(stack, "up");
  await stack.setConfig("audit:rotation", { value: "1" });
  await step(stack, "preview");
  await step(stack, "up");

  // Fails on purpose: the rotation's registration PUT fails after the roll (the new secret is kept
  // by a partial update), and a new token's registration is refused (the minted token is revoked).
  await stack.setConfig("audit:rotation", { value: "2" });
  await stack.setConfig("audit:extra", { value: "yes" });
  engine.emulator.addFault({ method: "PUT", path: "/accounts/*/ai-search/tokens/*", status: 500 });
  engine.emulator.addFault({
    method: "POST",
    path: "/accounts/*/ai-search/tokens",
    status: 400,
    code: 7003,
    times: 1,
  });
  await step(stack, "up", true);
  engine.emulator.clearFaults();
  await stack.removeConfig("audit:extra");
  await step(stack, "up");
  await stack.refresh(recorder(engine.output));

  // At least: the management token, the existing token, and three minted/rolled values.
  expect(secrets.size).toBeGreaterThanOrEqual(5);

  // The search can find them: the Automation API's export (which decrypts) does hold the values.
  const decrypted = JSON.stringify(await stack.exportStack());
  expect([...secrets].filter((s) => decrypted.includes(s)).length).toBeGreaterThanOrEqual(2);

  const exported = engine.cli(["stack", "export", "--stack", "audit"], stack);
  expect(exported).toContain("4dabf18193072939515e22adb298388d"); // Pulumi's secret signature: values are there, encrypted.
  const places: [string, string][] = [
    ["pulumi stack export", exported],
    ["command output", engine.output.join("\n")],
    ["errors", errors.join("\n")],
    ["emulator log", emulatorLog.join("\n")],
    ...filesUnder(engine.dir).map((f): [string, string] => [f, fs.readFileSync(f, "latin1")]),
    ...filesUnder(stack.workspace.workDir).map((f): [string, string] => [f, fs.readFileSync(f, "latin1")]),
  ];
  expect(emulatorLog.length).toBeGreaterThan(0);
  expect(engine.stateFiles().length).toBeGreaterThan(0);
  const leaks = places.flatMap(([where, text]) =>
    [...secrets].filter((s) => text.includes(s)).map((s) => `${where}: ${s.slice(0, 4)}…`),
  );
  expect(leaks).toEqual([]);

  await stack.destroy(recorder(engine.output));
  expect(engine.emulator.state().aiSearchTokens).toEqual([]);
});
