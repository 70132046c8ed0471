// Per-account credentials through the runtime, as the dynamic-provider host drives it: a resource
// names the config key of its account's management token; the runtime reads it from the config
// `configure()` was handed, never stores the value, fails `check` when the key is set nowhere,
// records a change of the names without calling Cloudflare, and uses a rotated value at once.
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { CONFIG_KEYS } from "../../provider/config";
import * as runtime from "../../provider/runtime";

const SECOND = "22222222222222222222222222222222";
let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ accounts: [{ accountId: SECOND }] });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

const secondToken = () => emu.accounts[1]!.apiToken;

function configure(values: Record<string, string>) {
  const all: Record<string, string> = {
    [CONFIG_KEYS.apiToken]: emu.apiToken,
    [CONFIG_KEYS.baseUrl]: emu.url,
    ...values,
  };
  return runtime.aiSearchNamespace.configure({ config: { get: (key: string) => all[key] } });
}

const credentials = { apiToken: "production:apiToken" };
const news = (extra: Record<string, unknown> = {}) => ({
  accountId: SECOND,
  name: "docs",
  credentials,
  __provider: "shim",
  ...extra,
});

it("fails check naming the key when it is set neither in config nor in the environment", async () => {
  await configure({});
  const checked = await runtime.aiSearchNamespace.check({}, news());
  expect(checked.failures).toHaveLength(1);
  expect(checked.failures[0]?.property).toBe("credentials.apiToken");
  expect(checked.failures[0]?.reason).toContain(
    "credentials.apiToken names the stack config key production:apiToken, which is set neither in the stack config nor in the environment",
  );
  const bad = await runtime.aiSearchNamespace.check({}, news({ credentials: { apiToken: "cfut_abc def" } }));
  expect(bad.failures[0]?.reason).toMatch(/credentials.apiToken.*NAME of a stack config key/);
});

it("creates, reads, updates and deletes in the named account, keeping the name and never the value", async () => {
  await configure({ "production:apiToken": secondToken() });
  const checked = await runtime.aiSearchNamespace.check({}, news());
  expect(checked.failures).toEqual([]);
  expect(checked.inputs).toMatchObject({ credentials });

  const made = await runtime.aiSearchNamespace.create(checked.inputs);
  expect(made.outs).toMatchObject({ credentials, name: "docs" });
  expect(JSON.stringify(made.outs)).not.toContain(secondToken());
  expect(emu.state(SECOND).namespaces.map((n) => n.name)).toEqual(["default", "docs"]);
  expect(emu.state().namespaces.map((n) => n.name)).toEqual(["default"]);

  const read = await runtime.aiSearchNamespace.read(made.id, made.outs);
  expect(read.props).toMatchObject({ credentials });
  expect(read.inputs).toMatchObject({ credentials });

  // Only the names change: an update that records them and calls nothing.
  const renamed = { apiToken: "production:apiToken", baseUrl: CONFIG_KEYS.baseUrl };
  const changed = { ...checked.inputs, credentials: renamed };
  expect(await runtime.aiSearchNamespace.diff(made.id, made.outs, changed)).toMatchObject({
    changes: true,
    replaces: [],
  });
  emu.resetRequestCounts();
  const updated = await runtime.aiSearchNamespace.update(made.id, made.outs, changed);
  expect(emu.requestCounts().total).toBe(0);
  expect(updated.outs).toMatchObject({ credentials: renamed });

  await runtime.aiSearchNamespace.delete(made.id, updated.outs);
  expect(emu.state(SECOND).namespaces.map((n) => n.name)).toEqual(["default"]);
});

it("uses a rotated value as soon as configure() hands it over", async () => {
  await configure({ "production:apiToken": secondToken() });
  const made = await runtime.aiSearchNamespace.create(
    (await runtime.aiSearchNamespace.check({}, news())).inputs,
  );
  // A new management token for the second account; the old one is revoked.
  const groups = emu.state(SECOND).apiTokens.find((t) => t.bootstrap)!.policies;
  const res = await fetch(`${emu.url}/user/tokens`, {
    method: "POST",
    headers: { authorization: `Bearer ${secondToken()}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "rotated", policies: groups.map(({ id: _id, ...p }) => p) }),
  });
  const rotated = ((await res.json()) as { result: { value: string } }).result.value;
  emu.setTokenStatus(emu.accounts[1]!.bootstrapTokenId, "disabled");

  try {
    await configure({ "production:apiToken": rotated });
    await runtime.aiSearchNamespace.delete(made.id, made.outs);
    expect(emu.state(SECOND).namespaces.map((n) => n.name)).toEqual(["default"]);
  } finally {
    // reset() restores the bootstrap token's secret, not its status.
    emu.setTokenStatus(emu.accounts[1]!.bootstrapTokenId, "active");
  }
});

it("reads a pulumi-nodejs: key from the current config in PULUMI_CONFIG before the one configure() got", async () => {
  // On refresh and destroy the engine hands configure() the config stored at the last up, and
  // puts the current pulumi-nodejs: keys in the provider's environment.
  await configure({ "pulumi-nodejs:prodToken": "stale-token-from-state" });
  process.env.PULUMI_CONFIG = JSON.stringify({ prodToken: secondToken() });
  try {
    const checked = await runtime.aiSearchNamespace.check(
      {},
      news({ credentials: { apiToken: "pulumi-nodejs:prodToken" } }),
    );
    expect(checked.failures).toEqual([]);
    const made = await runtime.aiSearchNamespace.create(checked.inputs);
    expect(emu.state(SECOND).namespaces.map((n) => n.name)).toContain("docs");
    await runtime.aiSearchNamespace.delete(made.id, made.outs);
  } finally {
    delete process.env.PULUMI_CONFIG;
  }
});

it("reads a named environment variable when the name has no colon", async () => {
  await configure({});
  process.env.SECOND_ACCOUNT_TOKEN = secondToken();
  try {
    const checked = await runtime.aiSearchNamespace.check(
      {},
      news({ credentials: { apiToken: "SECOND_ACCOUNT_TOKEN" } }),
    );
    expect(checked.failures).toEqual([]);
    const made = await runtime.aiSearchNamespace.create(checked.inputs);
    expect(emu.state(SECOND).namespaces.map((n) => n.name)).toContain("docs");
    await runtime.aiSearchNamespace.delete(made.id, made.outs);
  } finally {
    delete process.env.SECOND_ACCOUNT_TOKEN;
  }
});

it("without credentials, keeps using the stack's token (the first account)", async () => {
  await configure({});
  const checked = await runtime.aiSearchNamespace.check(
    {},
    { accountId: emu.accountId, name: "mine", __provider: "shim" },
  );
  expect(checked.failures).toEqual([]);
  expect(checked.inputs).not.toHaveProperty("credentials");
  const made = await runtime.aiSearchNamespace.create(checked.inputs);
  expect(made.outs).not.toHaveProperty("credentials");
  expect(emu.state().namespaces.map((n) => n.name)).toContain("mine");
  await runtime.aiSearchNamespace.delete(made.id, made.outs);
});
