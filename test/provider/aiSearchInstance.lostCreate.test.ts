// An instance create whose answer is lost (502/503/504 from a gateway, a dropped connection, a
// timeout) may still have been carried out. Against the emulator's faults: the create reads the
// instance back and takes it over when it is the one asked for, instead of failing and leaving an
// instance that makes the next `up` fail with 7022; otherwise it fails saying what it found.
import type { FaultSpec } from "../../emulator/faults";
import type { AiSearchInstanceInputs } from "../../provider/aiSearchInstance/args";
import * as provider from "../../provider/aiSearchInstance/provider";
import { createContext } from "../../provider/context";
import type { ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as tokens from "../../provider/serviceApiToken/provider";
import { cfCall, FAST_WAIT, useEmulator } from "../support/emulatorContext";

/** How far the emulator's clock (the API's) is from this machine's: a test may set the API's clock wrong. */
let apiClockOffsetMs = 0;
const t = useEmulator({ now: () => Date.now() + apiClockOffsetMs, retireAccountLevelInstanceRoutes: true });
beforeEach(() => (apiClockOffsetMs = 0));

const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: true };
const CREATE = {
  method: "POST",
  path: "/accounts/*/ai-search/namespaces/default/instances",
  times: 1,
} as const;

/** The account's service token, registered before each test; the instance names it. */
let tokenId: string;
beforeEach(async () => {
  const inputs = tokens.check({ accountId: t.emu.accountId }).inputs as ServiceApiTokenInputs;
  tokenId = (await tokens.create(t.env.ctx, inputs)).id;
});

function site(extra: Record<string, unknown> = {}): AiSearchInstanceInputs {
  const result = provider.check({
    accountId: t.emu.accountId,
    instanceId: "site",
    type: "web-crawler",
    source: "example.com",
    tokenId,
    maxNumResults: 20,
    ...extra,
  });
  expect(result.failures).toEqual([]);
  return result.inputs as AiSearchInstanceInputs;
}

const instances = () => t.emu.state().instances;

describe("AiSearchInstance create whose answer is lost", () => {
  const afterCommit: [string, Partial<FaultSpec>][] = [
    ["502", { status: 502 }],
    ["503 (7017)", { status: 503, code: 7017 }],
    ["504", { status: 504 }],
    ["a dropped connection", { drop: true }],
  ];

  it.each(afterCommit)(
    "takes over the instance the API made anyway (%s after the commit), owning it",
    async (_what, fault) => {
      t.emu.addFault({ ...CREATE, ...fault, phase: "after" });
      const news = site();
      const { id, outs } = await provider.create(t.env.ctx, news);
      expect(id).toBe("site");
      expect(outs).toMatchObject({ adopted: false, maxNumResults: 20, status: "waiting" });
      expect(instances().map((i) => i.id)).toEqual(["site"]);
      expect(t.env.logs.join("\n")).toContain("taking it over");

      const refreshed = await provider.read(t.env.ctx, id, outs);
      expect(provider.diff(refreshed.props!, news)).toEqual(NO_CHANGE);
      // Created by this resource, so destroy deletes it.
      await provider.remove(t.env.ctx, id, outs);
      expect(instances()).toEqual([]);
    },
  );

  it.each([
    ["10 minutes behind", -600_000],
    ["10 minutes ahead of", 600_000],
  ])("takes over what it made when the API's clock is %s this machine's", async (_what, offset) => {
    apiClockOffsetMs = offset;
    t.emu.addFault({ ...CREATE, drop: true, phase: "after" });
    const { outs } = await provider.create(t.env.ctx, site());
    expect(outs.adopted).toBe(false);
    expect(t.env.logs.join("\n")).toContain("taking it over");
  });

  it("an instance of that id, type and source that existed before: not taken over; fails naming it and the way on", async () => {
    // Made a minute before, by someone else (the API's clock; this machine's is right).
    apiClockOffsetMs = -60_000;
    await cfCall(t.emu, "POST", `/accounts/${t.emu.accountId}/ai-search/namespaces/default/instances`, {
      id: "site",
      type: "web-crawler",
      source: "example.com",
    });
    apiClockOffsetMs = 0;
    // The API answered 7022 (already exists), and that answer was lost.
    t.emu.addFault({ ...CREATE, drop: true });
    const err = (await provider.create(t.env.ctx, site()).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(
      /an instance with that id exists that this create cannot show it made: it was created at .*, 60 s before/,
    );
    expect(err.message).toContain("not taken over");
    expect(err.message).toContain("adopt: true");
    expect(err.message).toContain(
      `DELETE /accounts/${t.emu.accountId}/ai-search/namespaces/default/instances/site`,
    );
    // Untouched: the API's default, not the program's 20.
    expect(instances()[0]!.settings.max_num_results).toBe(10);
  });

  it("takes over the instance the API made anyway when the answer timed out", async () => {
    const ctx = createContext(
      {
        apiToken: { value: t.emu.apiToken, source: "the emulator's bootstrap token" },
        tokenMintingApiToken: undefined,
        baseUrl: t.emu.url,
        wait: FAST_WAIT,
      },
      { retry: { minDelayMs: 1, maxDelayMs: 4 }, timeoutMs: 200, log: () => undefined },
    );
    try {
      t.emu.addFault({ ...CREATE, delayMs: 2_000, phase: "after" });
      const { outs } = await provider.create(ctx, site());
      expect(outs.adopted).toBe(false);
      expect(instances().map((i) => i.id)).toEqual(["site"]);
    } finally {
      await ctx.management().client.close();
    }
  });

  it("a 502 before anything was made: fails saying nothing was created, and the next create succeeds", async () => {
    t.emu.addFault({ ...CREATE, status: 502 });
    const err = (await provider.create(t.env.ctx, site()).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/HTTP 502/);
    expect(err.message).toContain("nothing was created");
    expect(instances()).toEqual([]);
    await provider.create(t.env.ctx, site());
    expect(instances().map((i) => i.id)).toEqual(["site"]);
  });

  it("an instance of that id that is not the one asked for: fails naming the difference, touching nothing", async () => {
    await cfCall(t.emu, "POST", `/accounts/${t.emu.accountId}/ai-search/namespaces/default/instances`, {
      id: "site",
      type: "web-crawler",
      source: "other.example",
    });
    // The gateway's 502 hides the API's own answer (7022).
    t.emu.addFault({ ...CREATE, status: 502 });
    const err = (await provider.create(t.env.ctx, site()).catch((e: Error) => e)) as Error;
    expect(err.message).toContain(
      'source: the instance has "https://other.example", the program declares "example.com"',
    );
    expect(err.message).toContain("left as it is");
    expect(instances()).toMatchObject([{ id: "site", source: "https://other.example" }]);
    // The API's default, not the program's 20: nothing was applied to it.
    expect(instances()[0]!.settings.max_num_results).toBe(10);
  });
});
