// The runtime keeps one context (API clients and their open connections) across the configure()
// calls the dynamic-provider host makes, one per resource kind with the same stack config; a
// changed value gets a new context.
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { CONFIG_KEYS } from "../../provider/config";
import * as context from "../../provider/context";
import * as runtime from "../../provider/runtime";

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => emu.close());

const config = (extra: Record<string, string> = {}) => {
  const values: Record<string, string> = {
    [CONFIG_KEYS.apiToken]: emu.apiToken,
    [CONFIG_KEYS.baseUrl]: emu.url,
    ...extra,
  };
  return { config: { get: (key: string) => values[key] } };
};

/** A refresh of an instance that does not exist: one GET through the runtime's context. */
const readMissingInstance = () =>
  runtime.aiSearchInstance.read("missing", {
    accountId: emu.accountId,
    instanceId: "missing",
    type: "r2",
    source: "bucket",
  });

it("keeps its context across configure() calls with the same config, and makes a new one when a value changes", async () => {
  const made = jest.spyOn(context, "createContext");
  try {
    // The host configures the token's provider, then the instances' one, with the same config.
    await runtime.serviceApiToken.configure(config());
    expect(await readMissingInstance()).toEqual({});
    await runtime.aiSearchInstance.configure(config());
    expect(await readMissingInstance()).toEqual({});
    expect(made).toHaveBeenCalledTimes(1);
    expect(emu.requestCounts().total).toBe(2);

    await runtime.aiSearchInstance.configure(config({ [CONFIG_KEYS.pollIntervalMs]: "10" }));
    expect(await readMissingInstance()).toEqual({});
    expect(made).toHaveBeenCalledTimes(2);
    expect(runtime.settings().wait.pollIntervalMs).toBe(10);
  } finally {
    made.mockRestore();
  }
});
