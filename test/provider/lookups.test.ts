// The lookups against the emulator: by id and by name, whole lists across pages the server caps
// at 2 items (one request per page), not found and ambiguous errors naming what and where, the
// credentials the resources use (the stack's, or named ones), and the Output forms in preview.
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import {
  AmbiguousLookupError,
  getAiSearchInstance,
  getAiSearchInstanceOutput,
  getAiSearchInstances,
  getAiSearchInstancesOutput,
  getAiSearchNamespace,
  getAiSearchNamespaceOutput,
  getAiSearchNamespaces,
  getAiSearchNamespacesOutput,
  getServiceApiToken,
  getServiceApiTokenOutput,
  getServiceApiTokens,
  getServiceApiTokensOutput,
  LookupNotFoundError,
} from "../../provider";
import { cf, registerByHand } from "../support/outOfBand";

const SECOND = "22222222222222222222222222222222";
/** Named sources: environment variables this test sets. */
const named = { apiToken: "LOOKUP_TEST_API_TOKEN", baseUrl: "LOOKUP_TEST_BASE_URL" };

let emu: EmulatorHandle;
let accountId: string;
const saved = { ...process.env };

beforeAll(async () => {
  emu = await startEmulator({ pageSizeCap: 2, accounts: [{ accountId: SECOND }] });
  accountId = emu.accountId;
});
afterAll(async () => emu.close());
beforeEach(() => {
  emu.reset();
  process.env = { ...saved, CLOUDFLARE_API_TOKEN: emu.apiToken, CLOUDFLARE_API_BASE_URL: emu.url };
  process.env[named.apiToken] = emu.accounts[1]!.apiToken;
  process.env[named.baseUrl] = emu.url;
});
afterEach(() => {
  process.env = { ...saved };
});

/** Requests per route template since the last reset, without the zero ones. */
function counts(): Record<string, number> {
  return Object.fromEntries(Object.entries(emu.requestCounts()).filter(([k, n]) => k !== "total" && n > 0));
}

async function instance(namespace: string, id: string, tokenId: string): Promise<void> {
  if (namespace !== "default" && !emu.state().namespaces.some((n) => n.name === namespace)) {
    await cf(emu, "POST", `/accounts/${accountId}/ai-search/namespaces`, { name: namespace });
  }
  await cf(emu, "POST", `/accounts/${accountId}/ai-search/namespaces/${namespace}/instances`, {
    id,
    type: "r2",
    source: `${id}-bucket`,
    token_id: tokenId,
  });
}

describe("getServiceApiToken", () => {
  it("finds one registration by name, and the same by id, without its value", async () => {
    await registerByHand(emu, "other");
    const made = await registerByHand(emu, "platform");
    emu.resetRequestCounts();
    const byName = await getServiceApiToken({ accountId, name: "platform" });
    expect(byName).toMatchObject({
      accountId,
      id: made.id,
      tokenId: made.id,
      name: "platform",
      cfApiId: made.cfApiId,
      legacy: false,
      enabled: true,
    });
    expect(Object.keys(byName)).not.toContain("value");
    expect(Object.keys(byName)).not.toContain("cfApiKey");
    expect(counts()).toEqual({ "GET /accounts/:account_id/ai-search/tokens": 1 });
    await expect(getServiceApiToken({ accountId, id: made.id })).resolves.toEqual(byName);
  });

  it("reads every page to find a name: one request per page", async () => {
    for (let i = 0; i < 5; i++) await registerByHand(emu, `team ${i}`);
    const last = await registerByHand(emu, "team");
    emu.resetRequestCounts();
    // The search "team" matches all 6; the server serves 2 a page.
    await expect(getServiceApiToken({ accountId, name: "team" })).resolves.toMatchObject({ id: last.id });
    expect(counts()).toEqual({ "GET /accounts/:account_id/ai-search/tokens": 3 });
  });

  it("fails naming the name, the account and the base URL when none matches", async () => {
    await registerByHand(emu, "platform 2");
    const err = await getServiceApiToken({ accountId, name: "platform" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LookupNotFoundError);
    expect((err as Error).message).toContain('AI Search service API token named "platform"');
    expect((err as Error).message).toContain(`account ${accountId}`);
    expect((err as Error).message).toContain(emu.url);
    await expect(getServiceApiToken({ accountId, id: "no-such-id" })).rejects.toThrow(
      /No AI Search service API token with id no-such-id in account/,
    );
  });

  it("fails naming both ids when two registrations have the name", async () => {
    const a = await registerByHand(emu, "shared", "shared a");
    const b = await registerByHand(emu, "shared", "shared b");
    const err = await getServiceApiToken({ accountId, name: "shared" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmbiguousLookupError);
    expect((err as AmbiguousLookupError).ids).toEqual([a.id, b.id]);
    expect((err as Error).message).toContain(a.id);
    expect((err as Error).message).toContain(b.id);
  });

  it("takes exactly one of id and name", async () => {
    await expect(getServiceApiToken({ accountId })).rejects.toThrow(
      /getServiceApiToken: give exactly one of id and name/,
    );
    await expect(getServiceApiToken({ accountId: "nope", id: "x" })).rejects.toThrow(/accountId/);
  });

  it("uses the credentials named in `credentials`, and names a source that is not set", async () => {
    // The second account's own token works on it; the stack's token (the first account's) does not.
    await expect(getServiceApiTokens({ accountId: SECOND, credentials: named })).resolves.toEqual({
      accountId: SECOND,
      results: [],
    });
    await expect(getServiceApiTokens({ accountId: SECOND })).rejects.toThrow(/lacks the permission/);
    await expect(
      getServiceApiTokens({ accountId: SECOND, credentials: { apiToken: "NOT_SET_ANYWHERE" } }),
    ).rejects.toThrow(/credentials.apiToken names the environment variable NOT_SET_ANYWHERE/);
    await expect(
      getServiceApiTokens({ accountId: SECOND, credentials: { apiToken: "production:apiToken" } }),
    ).rejects.toThrow(/stack config key production:apiToken.*pulumi config set --secret production:apiToken/);
  });

  it("reads a named stack config key", async () => {
    pulumi.runtime.setConfig("production:apiToken", emu.accounts[1]!.apiToken);
    try {
      await expect(
        getServiceApiTokens({ accountId: SECOND, credentials: { apiToken: "production:apiToken" } }),
      ).resolves.toMatchObject({ results: [] });
    } finally {
      pulumi.runtime.setConfig("production:apiToken", "");
    }
  });
});

describe("getServiceApiTokens", () => {
  it("returns every registration across pages, one request per page", async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await registerByHand(emu, `token ${i}`));
    emu.resetRequestCounts();
    const all = await getServiceApiTokens({ accountId });
    expect(all.results.map((t) => t.id)).toEqual(made.map((m) => m.id));
    expect(counts()).toEqual({ "GET /accounts/:account_id/ai-search/tokens": 3 });
    const some = await getServiceApiTokens({ accountId, search: "token 3" });
    expect(some).toMatchObject({ search: "token 3", results: [{ name: "token 3" }] });
  });
});

describe("getAiSearchInstance(s)", () => {
  it("finds one by namespace and id, and lists a namespace across pages", async () => {
    const token = await registerByHand(emu, "t");
    for (let i = 0; i < 5; i++) await instance("docs", `doc-${i}`, token.id);
    await instance("default", "elsewhere", token.id);
    emu.resetRequestCounts();
    const one = await getAiSearchInstance({ accountId, namespace: "docs", id: "doc-3" });
    expect(one).toMatchObject({
      accountId,
      namespace: "docs",
      id: "doc-3",
      instanceId: "doc-3",
      type: "r2",
      source: "doc-3-bucket",
    });
    expect(one.settings).toEqual(expect.any(Object));
    const list = await getAiSearchInstances({ accountId, namespace: "docs" });
    expect(list.results.map((i) => i.id)).toEqual(["doc-0", "doc-1", "doc-2", "doc-3", "doc-4"]);
    expect(counts()).toEqual({
      "GET /accounts/:account_id/ai-search/namespaces/:namespace/instances/:id": 1,
      "GET /accounts/:account_id/ai-search/namespaces/:namespace/instances": 3,
    });
    expect((await getAiSearchInstances({ accountId })).results.map((i) => i.id)).toEqual(["elsewhere"]);
  });

  it("fails naming the id, the namespace and the account when there is none", async () => {
    const err = await getAiSearchInstance({ accountId, namespace: "default", id: "missing" }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LookupNotFoundError);
    expect((err as Error).message).toBe(
      `No AI Search instance with id missing in namespace "default" of account ${accountId} (API ${emu.url})`,
    );
    await expect(getAiSearchInstance({ accountId, namespace: "nope", id: "x" })).rejects.toThrow(
      /No AI Search instance with id x in namespace "nope"/,
    );
    await expect(getAiSearchInstances({ accountId, namespace: "nope" })).rejects.toThrow(
      /No AI Search namespace "nope" in account/,
    );
  });
});

describe("getAiSearchNamespace(s)", () => {
  it("finds one by name and lists every namespace across pages", async () => {
    for (const name of ["a", "b", "c", "d"]) {
      await cf(emu, "POST", `/accounts/${accountId}/ai-search/namespaces`, {
        name,
        description: `ns ${name}`,
      });
    }
    emu.resetRequestCounts();
    await expect(getAiSearchNamespace({ accountId, name: "c" })).resolves.toMatchObject({
      accountId,
      name: "c",
      description: "ns c",
    });
    const all = await getAiSearchNamespaces({ accountId });
    expect(all.results.map((n) => n.name)).toEqual(["default", "a", "b", "c", "d"]);
    expect(counts()).toEqual({
      "GET /accounts/:account_id/ai-search/namespaces/:name": 1,
      "GET /accounts/:account_id/ai-search/namespaces": 3,
    });
    expect((await getAiSearchNamespaces({ accountId, search: "NS B" })).results.map((n) => n.name)).toEqual([
      "b",
    ]);
  });

  it("fails naming the namespace and the account when there is none", async () => {
    await expect(getAiSearchNamespace({ accountId, name: "nope" })).rejects.toThrow(
      `No AI Search namespace "nope" in account ${accountId} (API ${emu.url})`,
    );
  });
});

describe("the Output forms", () => {
  /** Output's `isKnown` is internal to @pulumi/pulumi (not in its .d.ts), hence the cast. */
  const isKnown = (o: pulumi.Output<unknown>) => (o as unknown as { isKnown: Promise<boolean> }).isKnown;

  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs as Record<string, unknown> }),
        call: (a) => a.inputs as Record<string, unknown>,
      },
      "project",
      "stack",
      true, // preview
    );
  });

  it("stay unknown, and call nothing, while an input is unknown in preview", async () => {
    emu.resetRequestCounts();
    const unknown = pulumi.output(pulumi.unknown) as pulumi.Output<string>;
    const outputs: pulumi.Output<unknown>[] = [
      getServiceApiTokenOutput({ accountId, name: unknown }),
      getServiceApiTokensOutput({ accountId: unknown }),
      getAiSearchInstanceOutput({ accountId, namespace: unknown, id: "x" }),
      getAiSearchInstancesOutput({ accountId, namespace: unknown }),
      getAiSearchNamespaceOutput({ accountId, name: unknown }),
      getAiSearchNamespacesOutput({ accountId: unknown }),
    ];
    for (const o of outputs) expect(await isKnown(o)).toBe(false);
    expect(emu.requestCounts().total).toBe(0);
  });

  it("look up once their inputs are known", async () => {
    const made = await registerByHand(emu, "platform");
    const token = getServiceApiTokenOutput({
      accountId: pulumi.output(accountId),
      name: pulumi.output("platform"),
    });
    const id = await new Promise<string>((resolve) => token.id.apply((v) => resolve(v)));
    expect(id).toBe(made.id);
    const namespaces = getAiSearchNamespacesOutput({ accountId: pulumi.output(accountId) });
    expect(
      await new Promise((resolve) => namespaces.results.apply((r) => resolve(r.map((n) => n.name)))),
    ).toEqual(["default"]);
  });
});
