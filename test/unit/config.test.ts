// Where credentials and settings come from: the stack config given to configure(), then the
// environment; and the messages when they are missing or wrong.
import { DEFAULT_WAIT_SETTINGS, missingCredentialMessage, resolveSettings } from "../../provider/config";
import { createContext } from "../../provider/context";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe("resolveSettings", () => {
  it("prefers the stack config and says where each credential came from", () => {
    const s = resolveSettings(
      config({
        "cloudflare:apiToken": "from-config",
        "cloudflare-ai-search:tokenMintingApiToken": "minting-from-config",
        "cloudflare-ai-search:baseUrl": "http://127.0.0.1:1/client/v4",
      }),
      { CLOUDFLARE_API_TOKEN: "from-env", CLOUDFLARE_API_BASE_URL: "http://env" },
    );
    expect(s.apiToken).toEqual({ value: "from-config", source: "config cloudflare:apiToken" });
    expect(s.tokenMintingApiToken?.source).toBe("config cloudflare-ai-search:tokenMintingApiToken");
    expect(s.baseUrl).toBe("http://127.0.0.1:1/client/v4");
  });

  it("falls back to the environment, CLOUDFLARE_API_BASE_URL before CLOUDFLARE_BASE_URL", () => {
    const s = resolveSettings(undefined, {
      CLOUDFLARE_API_TOKEN: "from-env",
      CLOUDFLARE_BASE_URL: "http://second",
      CLOUDFLARE_API_BASE_URL: "http://first",
    });
    expect(s.apiToken).toEqual({ value: "from-env", source: "environment variable CLOUDFLARE_API_TOKEN" });
    expect(s.tokenMintingApiToken).toBeUndefined();
    expect(s.baseUrl).toBe("http://first");
    expect(resolveSettings(undefined, { CLOUDFLARE_BASE_URL: "http://second" }).baseUrl).toBe(
      "http://second",
    );
  });

  it("treats empty values as unset", () => {
    const s = resolveSettings(config({ "cloudflare:apiToken": " " }), { CLOUDFLARE_API_TOKEN: "" });
    expect(s.apiToken).toBeUndefined();
  });

  it("reads the waiting bounds, and rejects one that is not a number", () => {
    const s = resolveSettings(
      config({
        "cloudflare-ai-search:deleteTimeoutSeconds": "20",
        "cloudflare-ai-search:pollIntervalMs": "50",
      }),
      {},
    );
    expect(s.wait).toEqual({ ...DEFAULT_WAIT_SETTINGS, deleteTimeoutMs: 20_000, pollIntervalMs: 50 });
    expect(() => resolveSettings(config({ "cloudflare-ai-search:propagationRetries": "many" }), {})).toThrow(
      'Config cloudflare-ai-search:propagationRetries must be a non-negative number, got "many"',
    );
  });

  it("rejects a base URL that is not an http(s) URL, naming where it came from and an example", () => {
    expect(() =>
      resolveSettings(config({ "cloudflare-ai-search:baseUrl": "api.cloudflare.com" }), {}),
    ).toThrow(
      "Config cloudflare-ai-search:baseUrl must be an http(s) URL such as https://api.cloudflare.com/client/v4",
    );
    expect(() => resolveSettings(undefined, { CLOUDFLARE_API_BASE_URL: "ftp://x" })).toThrow(
      "environment variable CLOUDFLARE_API_BASE_URL must be an http(s) URL",
    );
  });

  it("fails with how to set a credential when there is none, at the first API call", () => {
    const ctx = createContext(resolveSettings(undefined, {}));
    expect(() => ctx.management()).toThrow(missingCredentialMessage());
    expect(missingCredentialMessage()).toContain("pulumi config set --secret cloudflare:apiToken");
  });
});
