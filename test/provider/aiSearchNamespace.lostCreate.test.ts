// A namespace create whose answer is lost (a dropped connection, a gateway's 502) may still have
// been carried out. Against the emulator's faults: the create takes over the namespace only when
// the API created it after the request was sent (madeByThisRequest.ts); one that existed before is
// someone else's, and the create fails naming it and the way on.
import type { FaultSpec } from "../../emulator/faults";
import type { AiSearchNamespaceInputs } from "../../provider/aiSearchNamespace/args";
import * as provider from "../../provider/aiSearchNamespace/provider";
import { cfCall, useEmulator } from "../support/emulatorContext";

/** How far the emulator's clock (the API's) is from this machine's: a test may set the API's clock wrong. */
let apiClockOffsetMs = 0;
const t = useEmulator({ now: () => Date.now() + apiClockOffsetMs });
beforeEach(() => (apiClockOffsetMs = 0));

const CREATE = { method: "POST", path: "/accounts/*/ai-search/namespaces", times: 1 } as const;

function docs(extra: Record<string, unknown> = {}): AiSearchNamespaceInputs {
  const result = provider.check({ accountId: t.emu.accountId, name: "docs", description: "ours", ...extra });
  expect(result.failures).toEqual([]);
  return result.inputs as AiSearchNamespaceInputs;
}

const namespaces = () => t.emu.state().namespaces.filter((n) => n.name !== "default");

describe("AiSearchNamespace create whose answer is lost", () => {
  const afterCommit: [string, Partial<FaultSpec>, number][] = [
    ["a dropped connection", { drop: true }, 0],
    ["a 502", { status: 502 }, 0],
    ["a dropped connection, the API's clock 10 minutes behind", { drop: true }, -600_000],
    ["a dropped connection, the API's clock 10 minutes ahead", { drop: true }, 600_000],
  ];

  it.each(afterCommit)("takes over the namespace the API made anyway (%s)", async (_what, fault, offset) => {
    apiClockOffsetMs = offset;
    t.emu.addFault({ ...CREATE, ...fault, phase: "after" });
    const { id, outs } = await provider.create(t.env.ctx, docs());
    expect(id).toBe("docs");
    expect(outs.adopted).toBe(false);
    expect(t.env.logs.join("\n")).toContain("taking it over");
    expect(namespaces().map((n) => n.name)).toEqual(["docs"]);
  });

  it("a namespace of that name that existed before: not taken over; fails naming it and the way on", async () => {
    // Someone else's, made a minute before on the API's clock.
    apiClockOffsetMs = -60_000;
    await cfCall(t.emu, "POST", `/accounts/${t.emu.accountId}/ai-search/namespaces`, {
      name: "docs",
      description: "theirs",
    });
    apiClockOffsetMs = 0;
    // The API answered 7064 (already exists), and that answer was lost.
    t.emu.addFault({ ...CREATE, drop: true });
    const err = (await provider.create(t.env.ctx, docs()).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(
      /a namespace "docs" exists that this create cannot show it made: it was created at .*, 60 s before/,
    );
    expect(err.message).toContain("not taken over");
    expect(err.message).toContain("adopt: true");
    expect(err.message).toContain(`DELETE /accounts/${t.emu.accountId}/ai-search/namespaces/docs`);
    expect(namespaces().map((n) => [n.name, n.description])).toEqual([["docs", "theirs"]]);
  });

  it("nothing made (dropped before the API): fails with the lost answer, and the next create succeeds", async () => {
    t.emu.addFault({ ...CREATE, drop: true });
    await expect(provider.create(t.env.ctx, docs())).rejects.toThrow();
    expect(namespaces()).toEqual([]);
    await provider.create(t.env.ctx, docs());
    expect(namespaces().map((n) => n.name)).toEqual(["docs"]);
  });
});
