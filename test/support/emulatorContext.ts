// A provider context pointed at a running emulator, with its bootstrap token as the credential
// and small waiting bounds, as provider tests against the emulator use it.
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../../emulator";
import type { WaitSettings } from "../../provider/config";
import { createContext, type ProviderContext } from "../../provider/context";

export const FAST_WAIT: WaitSettings = {
  propagationRetries: 3,
  propagationRetryDelayMs: 5,
  deleteTimeoutMs: 5_000,
  pollIntervalMs: 20,
};

export interface EmulatorContext {
  readonly ctx: ProviderContext;
  readonly logs: string[];
  /** Closes the HTTP clients the context made. */
  close(): Promise<void>;
}

export function emulatorContext(emu: EmulatorHandle, wait: Partial<WaitSettings> = {}): EmulatorContext {
  const logs: string[] = [];
  const ctx = createContext(
    {
      apiToken: { value: emu.apiToken, source: "the emulator's bootstrap token" },
      tokenMintingApiToken: undefined,
      baseUrl: emu.url,
      wait: { ...FAST_WAIT, ...wait },
    },
    { retry: { minDelayMs: 1, maxDelayMs: 4 }, log: (m) => logs.push(m) },
  );
  return { ctx, logs, close: () => ctx.management().client.close() };
}

/** A call to the emulator's API with its bootstrap token, outside the provider (out-of-band changes). */
export async function cfCall<T = unknown>(
  emu: EmulatorHandle,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; result: T }> {
  const res = await fetch(emu.url + path, {
    method,
    headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as { result: T };
  return { status: res.status, result: json.result };
}

/** The emulator and a provider context on it, for a test file: started once, reset before each test. */
export interface EmulatorFixture {
  readonly emu: EmulatorHandle;
  readonly env: EmulatorContext;
}

/** Registers the jest hooks that start, reset and stop an emulator; use the fields inside tests. */
export function useEmulator(
  options: EmulatorOptions = {},
  wait: Partial<WaitSettings> = {},
): EmulatorFixture {
  const fixture = {} as { emu: EmulatorHandle; env: EmulatorContext };
  beforeAll(async () => {
    fixture.emu = await startEmulator({ ...options, port: 0 });
    fixture.env = emulatorContext(fixture.emu, wait);
  });
  afterAll(async () => {
    await fixture.env?.close();
    await fixture.emu?.close();
  });
  beforeEach(() => {
    fixture.emu.reset();
    fixture.env.logs.length = 0;
  });
  return fixture;
}
