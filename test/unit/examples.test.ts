// The example projects under Pulumi's mocks, each loaded from its folder the way the runtime does
// (Pulumi.yaml / package.json `main`, require, call the export): the resources they declare, that
// every input they pass is valid for the provider's check, and the stack outputs they return.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as instanceProvider from "../../provider/aiSearchInstance/provider";
import * as namespaceProvider from "../../provider/aiSearchNamespace/provider";
import * as tokenProvider from "../../provider/serviceApiToken/provider";
import { ACCOUNT_ID } from "../support/mockCloudflare";
import { runProjectProgram } from "../support/projectProgram";

const EXAMPLES = path.resolve(__dirname, "../../examples");

const TOKEN_ID = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0";
const TOKEN_TYPE = "pulumi-nodejs:dynamic/cloudflare-ai-search:ServiceApiToken";
const INSTANCE_TYPE = "pulumi-nodejs:dynamic/cloudflare-ai-search:AiSearchInstance";
const NAMESPACE_TYPE = "pulumi-nodejs:dynamic/cloudflare-ai-search:AiSearchNamespace";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** Runs the project in examples/<name> under mocks that answer like the provider would. */
async function run(
  name: string,
  config: Record<string, string>,
): Promise<{ registered: Registered[]; outputs: Record<string, unknown> }> {
  const registered: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        registered.push({ type: args.type, name: args.name, inputs });
        if (args.type === TOKEN_TYPE) {
          return {
            id: TOKEN_ID,
            state: { ...inputs, tokenId: TOKEN_ID, adopted: inputs.adopt !== undefined },
          };
        }
        if (args.type === NAMESPACE_TYPE) {
          return { id: String(inputs.name), state: { ...inputs, adopted: inputs.adopt !== undefined } };
        }
        return {
          id: String(inputs.instanceId),
          state: { ...inputs, status: "waiting", adopted: inputs.adopt !== undefined },
        };
      },
      call: () => ({}),
    },
    "examples",
    "test",
  );
  pulumi.runtime.setAllConfig({ "cloudflare-ai-search:accountId": ACCOUNT_ID, ...config });
  const outputs = await runProjectProgram(path.join(EXAMPLES, name));
  const resolved = await settled(pulumi.output(outputs));
  return { registered, outputs: resolved as Record<string, unknown> };
}

function settled(value: pulumi.Output<unknown>): Promise<unknown> {
  return new Promise((resolve) => value.apply(resolve));
}

/** The provider's own check accepts what the program passes (as the engine would send it). */
function expectValid(r: Registered) {
  const { __provider: _p, ...inputs } = r.inputs;
  const check =
    r.type === TOKEN_TYPE
      ? tokenProvider.check
      : r.type === NAMESPACE_TYPE
        ? namespaceProvider.check
        : instanceProvider.check;
  expect({ name: r.name, failures: check(inputs).failures }).toEqual({ name: r.name, failures: [] });
}

describe("examples/quickstart", () => {
  it("declares one service token, a namespace and three instances in it, the web crawler included, all using the token", async () => {
    const { registered, outputs } = await run("quickstart", {});
    expect(registered.map((r) => [r.type, r.name]).sort()).toEqual([
      [INSTANCE_TYPE, "docs"],
      [INSTANCE_TYPE, "support"],
      [INSTANCE_TYPE, "website"],
      [NAMESPACE_TYPE, "namespace"],
      [TOKEN_TYPE, "ai-search-token"],
    ]);
    registered.forEach(expectValid);
    const byName = Object.fromEntries(registered.map((r) => [r.name, r.inputs]));
    expect(byName.docs).toMatchObject({
      type: "r2",
      tokenId: TOKEN_ID,
      instanceId: "quickstart-docs",
      namespace: "quickstart",
      sync: { onCreate: true, waitSeconds: 120 },
    });
    expect(byName.namespace).toMatchObject({ name: "quickstart" });
    expect(byName.support).toMatchObject({ type: "r2", tokenId: TOKEN_ID, namespace: "quickstart" });
    expect(byName.website).toMatchObject({ type: "web-crawler", tokenId: TOKEN_ID, namespace: "quickstart" });
    expect(outputs).toEqual({
      tokenId: TOKEN_ID,
      namespace: "quickstart",
      instanceIds: ["quickstart-docs", "quickstart-support", "quickstart-website"],
      statuses: { docs: "waiting", support: "waiting", website: "waiting" },
    });
  });
});

describe("examples/adopt-existing", () => {
  it("adopts the token by name and the instance by id", async () => {
    const { registered, outputs } = await run("adopt-existing", {
      "cloudflare-ai-search:existingInstanceId": "legacy-docs",
      "cloudflare-ai-search:existingInstanceSource": "legacy-bucket",
    });
    registered.forEach(expectValid);
    const [token, instance] = registered;
    expect(token!.inputs.adopt).toEqual({ name: "AI Search Service API Token" });
    expect(instance!.inputs).toMatchObject({
      instanceId: "legacy-docs",
      type: "r2",
      source: "legacy-bucket",
      tokenId: TOKEN_ID,
      adopt: true,
    });
    expect(outputs).toMatchObject({ tokenId: TOKEN_ID, instanceId: "legacy-docs", instanceAdopted: true });
  });
});
