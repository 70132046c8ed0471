// Every partial failure (a create or update that fails after making or changing something) keeps
// the serialized provider in the properties the engine stores, on create as well as update, so
// that refresh (read) and destroy (delete) work on exactly that state. Driven through the real
// dynamic-provider host of @pulumi/pulumi, against the emulator; every path that throws one:
// - an instance create whose sync fails: the job ends in error, the 7020 cooldown outlasts its
//   bound, the job POST gets a 5xx, or its connection drops;
// - an instance update whose sync fails;
// - a token rotation whose registration PUT fails after the roll.
// (Namespace creates and token creates throw no partial failure: they leave nothing behind or
// take over what they made.)
import { startEmulator, type EmulatorHandle, type FaultSpec } from "../../emulator";
import { CONFIG_KEYS } from "../../provider/config";
import { registerByHand } from "../support/outOfBand";
import {
  HostCallError,
  startProviderHost,
  type PartialFailure,
  type ProviderHost,
} from "../support/providerHost";

jest.setTimeout(60_000);

let emu: EmulatorHandle;
let host: ProviderHost;
/** The account's service token, which every instance names. */
let tokenId: string;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  host = await startProviderHost({
    [CONFIG_KEYS.apiToken]: emu.apiToken,
    [CONFIG_KEYS.baseUrl]: emu.url,
    [CONFIG_KEYS.pollIntervalMs]: "20",
    [CONFIG_KEYS.propagationRetryDelayMs]: "5",
    [CONFIG_KEYS.deleteTimeoutSeconds]: "5",
    [CONFIG_KEYS.httpRetryDelayMs]: "1",
  });
  tokenId = (await registerByHand(emu, "account token")).id;
});
afterAll(async () => {
  host?.close();
  await emu?.close();
});
afterEach(() => {
  emu.clearFaults();
  emu.configure({ jobOutcome: "success" });
});

// The `default` namespace keeps the account-level routes; `**` covers both forms.
const JOBS = "/accounts/*/ai-search/**/jobs";

/** The partial failure a host call ended with; fails the test if it ended otherwise. */
async function partialFailureOf(call: Promise<unknown>): Promise<PartialFailure> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HostCallError);
  const partial = (err as HostCallError).partial;
  if (!partial) throw new Error(`not a partial failure: ${(err as Error).message}`);
  return partial;
}

/** Refresh and destroy on what the engine stored: both work, and nothing is left. */
async function refreshAndDestroy(failure: PartialFailure, provider: string): Promise<void> {
  expect(failure.properties.__provider).toBe(provider);
  const read = await host.read(failure.id, failure.properties);
  expect(read.id).toBe(failure.id);
  expect(read.properties.__provider).toBe(provider);
  await host.delete(failure.id, failure.properties);
}

describe("an instance create whose sync fails", () => {
  let provider: string;
  beforeAll(async () => {
    provider = await host.providerText("aiSearchInstance");
  });

  const create = async (instanceId: string) => {
    const inputs = await host.check(
      {},
      {
        __provider: provider,
        accountId: emu.accountId,
        instanceId,
        type: "web-crawler",
        source: "example.com",
        tokenId,
        sync: { onCreate: true, waitSeconds: 5 },
      },
    );
    return partialFailureOf(host.create(inputs));
  };

  const cases: [string, () => void, RegExp][] = [
    ["the job ends in error", () => emu.configure({ jobOutcome: "error", jobDurationMs: 0 }), /ended with/],
    [
      "the 7020 cooldown outlasts its bound",
      () => emu.addFault({ method: "POST", path: JOBS, status: 429, code: 7020, retryAfterSeconds: 600 }),
      /cooldown/,
    ],
    ["the job POST gets a 503", () => emu.addFault({ method: "POST", path: JOBS, status: 503 }), /503/],
    [
      "the job POST's connection drops",
      () => emu.addFault({ method: "POST", path: JOBS, drop: true } satisfies FaultSpec),
      /could not be completed/,
    ],
  ];

  it.each(cases)(
    "%s: the stored state keeps the provider; refresh and destroy work",
    async (_, fault, why) => {
      const instanceId = `pf-${emu.state().instances.length + Math.floor(Math.random() * 1e6)}`;
      fault();
      const failure = await create(instanceId);
      expect(failure.message).toMatch(why);
      expect(failure.id).toBe(instanceId);
      expect(failure.properties.instanceId).toBe(instanceId);
      emu.clearFaults();
      await refreshAndDestroy(failure, provider);
      expect(emu.state().instances.map((i) => i.id)).not.toContain(instanceId);
    },
  );
});

it("an instance update whose sync fails: the stored state keeps the provider", async () => {
  const provider = await host.providerText("aiSearchInstance");
  const declared = {
    __provider: provider,
    accountId: emu.accountId,
    instanceId: "pf-update",
    type: "web-crawler",
    source: "example.com",
    tokenId,
    sync: { onChangeOf: "v1", waitSeconds: 5 },
  };
  const created = await host.create(await host.check({}, declared));
  expect(created.properties.__provider).toBe(provider);

  emu.configure({ jobOutcome: "error", jobDurationMs: 0, syncCooldownMs: 0 });
  const news = await host.check(declared, { ...declared, sync: { onChangeOf: "v2", waitSeconds: 5 } });
  const failure = await partialFailureOf(host.update(created.id, created.properties, news));
  expect(failure.message).toMatch(/ended with/);
  await refreshAndDestroy(failure, provider);
  expect(emu.state().instances.map((i) => i.id)).not.toContain("pf-update");
});

it("a token rotation whose registration PUT fails: the stored state keeps the provider", async () => {
  const provider = await host.providerText("serviceApiToken");
  const declared = { __provider: provider, accountId: emu.accountId };
  const created = await host.create(await host.check({}, declared));

  emu.addFault({ method: "PUT", path: "/accounts/*/ai-search/tokens/*", status: 503 });
  const news = await host.check(declared, { ...declared, rotationTrigger: "r1" });
  const failure = await partialFailureOf(host.update(created.id, created.properties, news));
  expect(failure.properties.registrationStale).toBe(true);
  emu.clearFaults();
  await refreshAndDestroy(failure, provider);
  expect(emu.state().aiSearchTokens.map((t) => t.id)).toEqual([tokenId]);
  expect(
    emu
      .state()
      .apiTokens.filter((t) => !t.bootstrap)
      .map((t) => t.name),
  ).toEqual(["account token"]);
});
