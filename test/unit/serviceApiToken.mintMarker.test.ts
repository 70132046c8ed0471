// A ServiceApiToken's mint marker is drawn at random by `check` when the engine holds no state for
// the resource, and kept from the state from then on: two stacks of the same project, stack and
// resource name (two `file://` backends, two organisations) never share one. It is kept under an
// internal key (`__`), which the engine never shows in a preview.
import * as pulumi from "@pulumi/pulumi";
import { ServiceApiToken } from "../../provider";
import { mintedTokenName } from "../../provider/serviceApiToken/apiToken";
import { MINT_MARKER_KEY } from "../../provider/serviceApiToken/args";
import * as provider from "../../provider/serviceApiToken/provider";
import { ACCOUNT_ID } from "../support/mockCloudflare";

const news = { accountId: ACCOUNT_ID, __provider: "code" };
const markerOf = (olds: Record<string, unknown>) => provider.check({ ...news }, olds).inputs[MINT_MARKER_KEY];

describe("ServiceApiToken mint marker", () => {
  it("is drawn anew for every resource the engine holds no state for, so two same-named stacks differ", () => {
    const first = markerOf({});
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    // The same program in another backend (same project, stack and name): another marker.
    expect(markerOf({})).not.toBe(first);
  });

  it("is kept from the state, so every update of the resource names its tokens the same way", () => {
    const first = markerOf({});
    expect(markerOf({ accountId: ACCOUNT_ID, [MINT_MARKER_KEY]: first })).toBe(first);
  });

  it("state from an earlier version: its shared hash marker is not trusted, and its bookkeeping is carried unchanged", () => {
    const olds = { accountId: ACCOUNT_ID, mintMarker: "1115be9f", notInState: true };
    const inputs = provider.check({ ...news }, olds).inputs;
    expect(inputs[MINT_MARKER_KEY]).toMatch(/^[0-9a-f]{16}$/);
    // Dropping them would read as a change the user did not make.
    expect(inputs).toMatchObject({ mintMarker: "1115be9f", notInState: true });
  });

  it("the ServiceApiToken class registers no marker: only check adds one", async () => {
    const registered: Record<string, unknown>[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args.inputs as Record<string, unknown>);
          return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
        },
        call: () => ({}),
      },
      "proj",
      "dev",
    );
    const token = new ServiceApiToken("token", { accountId: ACCOUNT_ID });
    await new Promise<void>((resolve) => token.id.apply(() => resolve()));
    expect(Object.keys(registered[0] ?? {}).filter((k) => /marker|notInState/i.test(k))).toEqual([]);
  });

  it("ends the minted API token's name, within the 120-character limit", () => {
    expect(mintedTokenName("AI Search Service API Token", "0123456789abcdef")).toBe(
      "AI Search Service API Token (pulumi 0123456789abcdef)",
    );
    const long = mintedTokenName("x".repeat(120), "0123456789abcdef");
    expect(long).toHaveLength(120);
    expect(long.endsWith(" (pulumi 0123456789abcdef)")).toBe(true);
    expect(mintedTokenName("plain", undefined)).toBe("plain");
  });
});
