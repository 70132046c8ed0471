// The HTTP client's bounds come from the stack config (cloudflare-ai-search:requestTimeoutMs,
// httpRetries, httpRetryDelayMs), so that a stack (and the fault matrix) can shorten them.
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { CloudflareNetworkError } from "../../provider/cloudflare";
import { resolveSettings } from "../../provider/config";
import { createContext } from "../../provider/context";

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => emu?.close());
afterEach(() => emu.clearFaults());

const configured = (values: Record<string, string>) =>
  createContext(
    resolveSettings(
      {
        get: (key: string) =>
          ({ "cloudflare:apiToken": emu.apiToken, "cloudflare-ai-search:baseUrl": emu.url, ...values })[key],
      },
      {},
    ),
  );

it("a configured request timeout ends a slow answer, retried the configured number of times", async () => {
  emu.addFault({ method: "GET", path: "/user/tokens/permission_groups", delayMs: 3_000 });
  emu.resetRequestCounts();
  const ctx = configured({
    "cloudflare-ai-search:requestTimeoutMs": "200",
    "cloudflare-ai-search:httpRetries": "1",
    "cloudflare-ai-search:httpRetryDelayMs": "1",
  });
  const err = await ctx
    .management()
    .apiTokens.listPermissionGroups({ kind: "user" })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CloudflareNetworkError);
  expect(emu.requestCounts()["GET /user/tokens/permission_groups"]).toBe(2);
  await ctx.management().client.close();
});

it("rejects an HTTP bound that is not a number, naming the key", () => {
  expect(() =>
    resolveSettings({ get: (k) => (k === "cloudflare-ai-search:requestTimeoutMs" ? "soon" : undefined) }, {}),
  ).toThrow('Config cloudflare-ai-search:requestTimeoutMs must be a non-negative number, got "soon"');
});
