// Issue 10 under the real engine: destroy never breaks what the stack does not own. A stack with
// a ServiceApiToken and its own instance; then Cloudflare's CLI (`wrangler ai-search create`)
// makes an instance outside the stack, which relies on the account's token implicitly. The
// stack's destroy deletes its own instance, then stops at the token with wrangler's instance
// named, leaving the registration and that instance working. With deleteWhileInstancesRemain set
// (`up`, then `destroy`) it proceeds.
import * as pulumi from "@pulumi/pulumi";
import { AiSearchInstance, ServiceApiToken } from "../../provider";
import { ensureWrangler, wranglerFor, type Wrangler } from "../support/wrangler";
import { recorder, startEngine, type Engine } from "./harness";

jest.setTimeout(300_000);

let engine: Engine;
let wrangler: Wrangler | undefined;
beforeAll(async () => {
  const bin = ensureWrangler();
  engine = await startEngine("e2e-destroy-guard");
  wrangler = wranglerFor(bin, engine.emulator);
});
afterAll(async () => {
  wrangler?.close();
  await engine?.close();
});

/** An instance as the emulator's API shows it to any client. */
async function readInstance(id: string): Promise<{ status: number; instanceStatus?: string }> {
  const emu = engine.emulator;
  const res = await fetch(`${emu.url}/accounts/${emu.accountId}/ai-search/instances/${id}`, {
    headers: { authorization: `Bearer ${emu.apiToken}` },
  });
  const body = (await res.json()) as { result?: { status?: string } };
  return { status: res.status, ...(body.result?.status ? { instanceStatus: body.result.status } : {}) };
}

it("stops at the token while wrangler's instance relies on it, and proceeds with the opt-in", async () => {
  let optIn = false;
  const program = async () => {
    const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
    const token = new ServiceApiToken("token", {
      accountId,
      ...(optIn ? { deleteWhileInstancesRemain: true } : {}),
    });
    new AiSearchInstance("own", {
      accountId,
      instanceId: "e2e-own",
      type: "r2",
      source: "own-bucket",
      tokenId: token.id,
    });
  };
  // A short delete bound: the guard waits it out for wrangler's instance to go before refusing.
  const stack = await engine.stack("guard", program, {
    "cloudflare-ai-search:deleteTimeoutSeconds": { value: "2" },
  });
  expect((await stack.up(recorder(engine.output))).summary.result).toBe("succeeded");
  const tokenId = engine.emulator.state().aiSearchTokens[0]!.id;

  // Outside the stack: wrangler finds the account's token and creates an instance without token_id.
  const created = await wrangler!.aiSearch("create", "docs", "--type", "r2", "--source", "docs-bucket");
  expect(created.code).toBe(0);
  const docs = engine.emulator.state().instances.find((i) => i.id === "docs");
  expect(docs?.token).toEqual({ id: tokenId, how: "implicit" });

  const output: string[] = [];
  await expect(stack.destroy(recorder(output))).rejects.toThrow();
  const printed = output.join("");
  expect(printed).toContain(`Not deleting AI Search token ${tokenId}`);
  expect(printed).toContain("default/docs (r2)");
  expect(printed).toContain("deleteWhileInstancesRemain: true");

  // The stack's own instance went first (it depends on the token); the token and wrangler's
  // instance are untouched and working.
  const state = engine.emulator.state();
  expect(state.instances.map((i) => i.id)).toEqual(["docs"]);
  expect(state.aiSearchTokens.map((t) => t.id)).toEqual([tokenId]);
  expect(await readInstance("docs")).toEqual({ status: 200, instanceStatus: "waiting" });
  const got = await wrangler!.aiSearch("get", "docs", "--json");
  expect(got.code).toBe(0);
  expect(got.stdout).not.toContain('"error"');

  // The opt-in: recorded by an up without a call to the token's routes (the up also re-creates
  // the stack's own instance, which the failed destroy deleted); then the destroy proceeds.
  optIn = true;
  engine.emulator.resetRequestCounts();
  expect((await stack.up(recorder(engine.output))).summary.result).toBe("succeeded");
  const counts = engine.emulator.requestCounts() as Record<string, number>;
  const tokenWrites = Object.keys(counts).filter((k) => /^(POST|PUT|DELETE|PATCH) .*tokens/.test(k));
  expect(tokenWrites).toEqual([]);
  expect((await stack.destroy(recorder(engine.output))).summary.result).toBe("succeeded");
  expect(engine.emulator.state().aiSearchTokens).toEqual([]);
  expect(engine.emulator.state().instances.map((i) => i.id)).toEqual(["docs"]);
  // What the guard protected it from: wrangler's instance has lost its token.
  expect(await readInstance("docs")).toEqual({ status: 200, instanceStatus: "error" });
});

it("a destroy of a token and a web crawler declared without tokenId never fails on the guard", async () => {
  // The README's program: a web crawler added once the account's token exists, without tokenId.
  // No graph edge joins them, so destroy deletes both at once. The crawler's DELETE is held a
  // moment, so that the guard's first list sees it live, as when the engine starts the token first.
  engine.emulator.reset(); // wrangler's instance of the test before relies on any token
  let withCrawler = false;
  const program = async () => {
    const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
    new ServiceApiToken("token", { accountId });
    if (withCrawler) {
      new AiSearchInstance("site", {
        accountId,
        instanceId: "e2e-site",
        type: "web-crawler",
        source: "example.com",
      });
    }
  };
  const stack = await engine.stack("parallel", program);
  expect((await stack.up(recorder(engine.output))).summary.result).toBe("succeeded");
  withCrawler = true;
  expect((await stack.up(recorder(engine.output))).summary.result).toBe("succeeded");
  expect(engine.emulator.state().instances.map((i) => i.id)).toEqual(["e2e-site"]);

  engine.emulator.addFault({ method: "DELETE", path: "/accounts/*/ai-search/**/e2e-site", delayMs: 1_500 });
  try {
    const destroyed = await stack.destroy(recorder(engine.output));
    expect(destroyed.summary.result).toBe("succeeded");
  } finally {
    engine.emulator.clearFaults();
  }
  const state = engine.emulator.state();
  expect(state.instances).toEqual([]);
  expect(state.aiSearchTokens).toEqual([]);
  expect(state.apiTokens.filter((t) => !t.bootstrap)).toEqual([]);
});
