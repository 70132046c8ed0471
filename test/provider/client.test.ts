// The Cloudflare client against the emulator over real HTTP on loopback: retries, timeouts,
// dropped connections, and that no credential ever reaches an error.
import { startEmulator, type EmulatorHandle } from "../../emulator";
import {
  CloudflareNetworkError,
  InternalServerError,
  cloudflareApi,
  type CloudflareApi,
  type RequestEvent,
} from "../../provider/cloudflare";

let emu: EmulatorHandle;
let api: CloudflareApi;
let events: RequestEvent[];
const owner = () => ({ kind: "account" as const, accountId: emu.accountId });
const PERMISSION_GROUPS = "GET /accounts/:account_id/tokens/permission_groups";
const MINT = "POST /accounts/:account_id/tokens";

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => {
  emu.reset();
  events = [];
  api = cloudflareApi({
    apiToken: emu.apiToken,
    baseUrl: emu.url,
    timeoutMs: 500,
    retry: { minDelayMs: 5, maxDelayMs: 20 },
    onEvent: (e) => events.push(e),
  });
});
afterEach(async () => api.client.close());

/** The whole error as any log line or state file could show it. */
function everything(err: unknown): string {
  const e = err as Error;
  return `${e.message}\n${e.stack ?? ""}\n${JSON.stringify(e)}`;
}

describe("CloudflareClient over HTTP", () => {
  it("retries a GET whose connection was dropped", async () => {
    emu.addFault({ method: "GET", path: "/accounts/*/tokens/permission_groups", drop: true, times: 1 });
    const groups = await api.apiTokens.listPermissionGroups(owner());
    expect(groups.map((g) => g.name)).toContain("AI Search Index Engine");
    expect(emu.requestCounts()[PERMISSION_GROUPS]).toBe(2);
  });

  it("retries a GET on 503 and succeeds", async () => {
    emu.addFault({ method: "GET", path: "/accounts/*/tokens/permission_groups", status: 503, times: 2 });
    await api.apiTokens.listPermissionGroups(owner());
    expect(emu.requestCounts()[PERMISSION_GROUPS]).toBe(3);
    expect(events.filter((e) => e.status === 503 && e.retryInMs !== undefined)).toHaveLength(2);
  });

  it("does not retry a POST that failed with 503, so a token is never minted twice", async () => {
    emu.addFault({ method: "POST", path: "/accounts/*/tokens", status: 503, times: 1 });
    const err = await api.apiTokens
      .create(owner(), {
        name: "t",
        policies: [{ effect: "allow", resources: {}, permission_groups: [{ id: "x" }] }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(emu.requestCounts()[MINT]).toBe(1);
    expect(everything(err)).not.toContain(emu.apiToken);
  });

  it("does not retry a POST whose response was lost", async () => {
    emu.addFault({ method: "POST", path: "/accounts/*/tokens", drop: true, phase: "after", times: 1 });
    const err = await api.apiTokens
      .create(owner(), {
        name: "lost",
        policies: [
          {
            effect: "allow",
            resources: { [`com.cloudflare.api.account.${emu.accountId}`]: "*" },
            permission_groups: [{ id: "9e9b428a0bcd46fd80e580b46a69963c" }],
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudflareNetworkError);
    expect(emu.requestCounts()[MINT]).toBe(1);
  });

  it("times out a call that does not answer, and retries it when it is a GET", async () => {
    emu.addFault({ method: "GET", path: "/accounts/*/tokens/permission_groups", delayMs: 2_000, times: 1 });
    await api.apiTokens.listPermissionGroups(owner());
    expect(events.some((e) => e.errorCode === "UND_ERR_HEADERS_TIMEOUT")).toBe(true);
    expect(emu.requestCounts()[PERMISSION_GROUPS]).toBe(2);
  });

  it("gives up after its retries with a network error that names the call", async () => {
    emu.addFault({ method: "GET", path: "/accounts/*/ai-search/tokens", drop: true });
    const err = await api.aiSearchTokens.list(emu.accountId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudflareNetworkError);
    expect((err as Error).message).toContain(`GET /accounts/${emu.accountId}/ai-search/tokens`);
    expect(everything(err)).not.toContain(emu.apiToken);
    expect(emu.requestCounts()["GET /accounts/:account_id/ai-search/tokens"]).toBe(5);
  });

  it("waits out a 429 with Retry-After", async () => {
    emu.addFault({
      path: "/accounts/*/tokens/permission_groups",
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
    });
    await api.apiTokens.listPermissionGroups(owner());
    expect(events[0]).toMatchObject({ status: 429, retryInMs: 1000 });
  });

  it("sends the bearer token and keeps it out of errors for a refused credential", async () => {
    const stranger = cloudflareApi({ apiToken: "not-a-real-token-abcdef0123456789", baseUrl: emu.url });
    const err = await stranger.aiSearchTokens.list(emu.accountId).catch((e: unknown) => e);
    await stranger.client.close();
    expect((err as { status: number }).status).toBe(401);
    expect(everything(err)).not.toContain("not-a-real-token-abcdef0123456789");
  });
});

describe("paging follows what the server says it returned, not the per_page asked for", () => {
  /** Registers `n` AI Search tokens (named svc-0 …) for one minted API token. */
  async function registerMany(n: number): Promise<void> {
    const minted = await api.apiTokens.create(owner(), {
      name: "svc",
      policies: [
        {
          effect: "allow",
          resources: { [`com.cloudflare.api.account.${emu.accountId}`]: "*" },
          permission_groups: [{ id: "9e9b428a0bcd46fd80e580b46a69963c" }],
        },
      ],
    });
    for (let i = 0; i < n; i++) {
      await api.aiSearchTokens.create(emu.accountId, {
        cf_api_id: minted.id,
        cf_api_key: minted.value,
        name: `svc-${i}`,
        legacy: false,
      });
    }
  }

  it("lists all 60 AI Search tokens from a server that serves at most 20 a page", async () => {
    expect(emu.behaviour().pageSizeCap).toBe(20); // the emulator's default, not set by this test
    await registerMany(60);
    const all = await api.aiSearchTokens.list(emu.accountId);
    expect(all).toHaveLength(60);
    expect(new Set(all.map((t) => t.name)).size).toBe(60);
    expect(emu.requestCounts()["GET /accounts/:account_id/ai-search/tokens"]).toBe(3);
  });

  it("lists every API token of the owner across capped pages", async () => {
    await registerMany(0);
    for (let i = 0; i < 24; i++) {
      await api.apiTokens.create(owner(), {
        name: `t-${i}`,
        policies: [
          {
            effect: "allow",
            resources: { [`com.cloudflare.api.account.${emu.accountId}`]: "*" },
            permission_groups: [{ id: "9e9b428a0bcd46fd80e580b46a69963c" }],
          },
        ],
      });
    }
    // The account token registerMany minted, and 24 more (the bootstrap token is the user's).
    expect(await api.apiTokens.list(owner())).toHaveLength(25);
  });
});
