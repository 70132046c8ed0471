// The ServiceApiToken class gives every resource a mint marker from its project, stack and name:
// the same at every preview and up, different for another stack or resource. Checked under Pulumi's
// mocks, from the inputs the class registers.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { ServiceApiToken } from "../../provider";
import { mintedTokenName } from "../../provider/serviceApiToken/apiToken";
import { ACCOUNT_ID } from "../support/mockCloudflare";

const registered: Record<string, unknown>[] = [];

async function registerIn(project: string, stack: string, name: string): Promise<unknown> {
  registered.length = 0;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        registered.push(inputs);
        return { id: `${args.name}-id`, state: inputs };
      },
      call: () => ({}),
    },
    project,
    stack,
  );
  const token = new ServiceApiToken(name, { accountId: ACCOUNT_ID });
  await new Promise<void>((resolve) => token.id.apply(() => resolve()));
  return registered[0]?.mintMarker;
}

describe("ServiceApiToken mint marker", () => {
  it("is deterministic for one project, stack and resource name, and differs for any other", async () => {
    const first = await registerIn("proj", "dev", "token");
    expect(first).toMatch(/^[0-9a-f]{8}$/);
    expect(await registerIn("proj", "dev", "token")).toBe(first);
    expect(await registerIn("proj", "prod", "token")).not.toBe(first);
    expect(await registerIn("proj", "dev", "token2")).not.toBe(first);
    expect(await registerIn("other", "dev", "token")).not.toBe(first);
    expect(first).toBe(createHash("sha256").update("proj/dev/token").digest("hex").slice(0, 8));
  });

  it("ends the minted API token's name, within the 120-character limit", () => {
    expect(mintedTokenName("AI Search Service API Token", "0badc0de")).toBe(
      "AI Search Service API Token (pulumi 0badc0de)",
    );
    const long = mintedTokenName("x".repeat(120), "0badc0de");
    expect(long).toHaveLength(120);
    expect(long.endsWith(" (pulumi 0badc0de)")).toBe(true);
    expect(mintedTokenName("plain", undefined)).toBe("plain");
  });
});
