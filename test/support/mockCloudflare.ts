// A MockAgent (undici's own HTTP mock, net connect disabled) set up as api.cloudflare.com, plus a
// provider context that sends through it with tiny waits, so lifecycle tests run in milliseconds.
import { MockAgent, type Interceptable } from "undici";
import { DEFAULT_BASE_URL } from "../../provider/cloudflare";
import type { ProviderSettings } from "../../provider/config";
import { createContext, type ProviderContext } from "../../provider/context";

export const ORIGIN = "https://api.cloudflare.com";
export const ACCOUNT_ID = "0123456789abcdef0123456789abcdef";
export const MANAGEMENT_TOKEN = "test-management-token-not-a-secret-0001";

export interface MockCloudflare {
  readonly agent: MockAgent;
  readonly pool: Interceptable;
  readonly ctx: ProviderContext;
  readonly logs: string[];
  /** Every request the client sent, as "METHOD /path" relative to /client/v4, without query. */
  calls(): string[];
  /** Parsed JSON bodies of the requests, in order. */
  bodies(): unknown[];
  /** Sent headers of the requests, in order. */
  headers(): Record<string, string>[];
}

export function mockCloudflare(settings: Partial<ProviderSettings> = {}): MockCloudflare {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  const logs: string[] = [];
  const ctx = createContext(
    {
      apiToken: { value: MANAGEMENT_TOKEN, source: "config cloudflare:apiToken" },
      tokenMintingApiToken: undefined,
      baseUrl: DEFAULT_BASE_URL,
      // A wait that must end (a 7076, a 7066, an instance still "deleting") ends by the mock's
      // answers, not by the clock: a small bound here failed tests on a busy machine. Tests of the
      // bound itself pass SHORT_DELETE_BOUND.
      wait: { propagationRetries: 3, propagationRetryDelayMs: 1, deleteTimeoutMs: 60_000, pollIntervalMs: 5 },
      ...settings,
    },
    { dispatcher: agent, retry: { minDelayMs: 1, maxDelayMs: 4 }, log: (m) => logs.push(m) },
  );
  const history = () => agent.getCallHistory()?.calls() ?? [];
  return {
    agent,
    pool,
    ctx,
    logs,
    calls: () => history().map((c) => `${c.method} ${c.path.replace("/client/v4", "").split("?")[0]}`),
    bodies: () =>
      history().map((c): unknown =>
        typeof c.body === "string" && c.body ? (JSON.parse(c.body) as unknown) : undefined,
      ),
    headers: () => history().map((c) => c.headers as Record<string, string>),
  };
}

/** Settings for tests of the delete bound itself: it runs out after a few polls. */
export const SHORT_DELETE_BOUND: Partial<ProviderSettings> = {
  wait: { propagationRetries: 3, propagationRetryDelayMs: 1, deleteTimeoutMs: 40, pollIntervalMs: 5 },
};

/** A v4 success envelope. */
export function ok(result: unknown, extra: Record<string, unknown> = {}) {
  return { success: true, errors: [], messages: [], result, ...extra };
}

/** A v4 error envelope. */
export function fail(code: number, message: string) {
  return { success: false, errors: [{ code, message }], messages: [], result: {} };
}

export const v4 = (path: string) => `/client/v4${path}`;
