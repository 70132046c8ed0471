// ServiceApiToken's failure paths against the emulator: after every one of them the emulator's
// state shows no orphaned API token and no stray registration.
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { DEFAULT_WAIT_SETTINGS } from "../../provider/config";
import { createContext, type ProviderContext } from "../../provider/context";
import type { ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as provider from "../../provider/serviceApiToken/provider";

let emu: EmulatorHandle;
let ctx: ProviderContext;
const logs: string[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => {
  emu.reset();
  logs.length = 0;
  ctx = createContext(
    {
      apiToken: { value: emu.apiToken, source: "config cloudflare:apiToken" },
      tokenMintingApiToken: undefined,
      baseUrl: emu.url,
      wait: {
        ...DEFAULT_WAIT_SETTINGS,
        propagationRetries: 3,
        propagationRetryDelayMs: 5,
        pollIntervalMs: 5,
      },
    },
    { retry: { minDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 2_000, log: (m) => logs.push(m) },
  );
});

const inputs = (extra: Record<string, unknown> = {}) =>
  provider.check({ accountId: emu.accountId, ...extra }).inputs as ServiceApiTokenInputs;
const minted = () => emu.state().apiTokens.filter((t) => !t.bootstrap);

function expectClean() {
  expect(minted()).toEqual([]);
  expect(emu.state().aiSearchTokens).toEqual([]);
}

describe("ServiceApiToken failure paths leave nothing behind", () => {
  it("registration refused for good: the minted token is revoked", async () => {
    emu.configure({ propagationFailures: 10 });
    await expect(provider.create(ctx, inputs())).rejects.toThrow(/was revoked, so nothing is left behind/);
    expectClean();
  });

  it("registration answers 500: the minted token is revoked", async () => {
    emu.addFault({ method: "POST", path: "/accounts/*/ai-search/tokens", status: 500, code: 7001 });
    await expect(provider.create(ctx, inputs())).rejects.toThrow(/7001/);
    expectClean();
  });

  it("the mint's answer is lost: the token minted anyway is found and revoked", async () => {
    emu.addFault({ method: "POST", path: "/accounts/*/tokens", drop: true, phase: "after", times: 1 });
    const err = (await provider.create(ctx, inputs()).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/the token it minted anyway \([0-9a-f]+\) was revoked/);
    expectClean();
  });

  it("the mint is refused before anything happens: nothing to clean", async () => {
    emu.addFault({ method: "POST", path: "/accounts/*/tokens", drop: true, times: 1 });
    const err = (await provider.create(ctx, inputs()).catch((e: Error) => e)) as Error;
    expect(err.message).toContain("no token was minted");
    expectClean();
  });

  it("the registration's answer is lost: the registration made anyway and the token are both removed", async () => {
    emu.addFault({
      method: "POST",
      path: "/accounts/*/ai-search/tokens",
      drop: true,
      phase: "after",
      times: 1,
    });
    await expect(provider.create(ctx, inputs())).rejects.toThrow(/was revoked/);
    expectClean();
  });

  it("7012 while the token propagates, then success; delete leaves nothing", async () => {
    emu.configure({ propagationFailures: 2 });
    const { id, outs } = await provider.create(ctx, inputs());
    expect(logs.filter((l) => l.includes("7012"))).toHaveLength(2);
    await provider.remove(ctx, id, outs);
    expectClean();
  });

  it("a rotation keeps the token id and the old secret stops working", async () => {
    const { id, outs } = await provider.create(ctx, inputs());
    const rotated = await provider.update(ctx, id, outs, inputs({ rotationTrigger: "r1" }));
    expect(rotated.tokenId).toBe(id);
    expect(rotated.value).not.toBe(outs.value);
    const verify = (value: string) =>
      fetch(`${emu.url}/accounts/${emu.accountId}/tokens/verify`, {
        headers: { authorization: `Bearer ${value}` },
      }).then((r) => r.status);
    expect(await verify(rotated.value!)).toBe(200);
    expect(await verify(outs.value!)).not.toBe(200);
    await provider.remove(ctx, id, rotated);
    expectClean();
  });
});
