// The interop example under Pulumi's mocks: @pulumi/cloudflare's AiSearchInstance gets the
// ServiceApiToken's id as tokenId, and the token's secret value stays a Pulumi secret. The mock
// monitor applies `additionalSecretOutputs` the way the engine does, so the secret-ness checked
// here is the one the resource class asks for.
//
// The project is loaded from its folder the way the runtime does (package.json `main`, require,
// call the export). @pulumi/cloudflare comes from test/fixtures/pulumi-cloudflare (with its own
// copy of @pulumi/pulumi); jest's moduleNameMapper makes every import use the root copy.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as Package from "../../provider";
import { ACCOUNT_ID } from "../support/mockCloudflare";
import { projectEntry, runProjectProgram } from "../support/projectProgram";

const PROJECT = path.resolve(__dirname, "../../examples/with-cloudflare-provider");

const TOKEN_ID = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0";
const SECRET = "fake-mocked-secret-value-000000000000000001";
const mockTokens: Package.ServiceApiToken[] = [];

// Records the ServiceApiToken objects the program makes (same type token, same behaviour).
jest.mock("pulumi-cloudflare-ai-search", () => {
  const actual = jest.requireActual<typeof Package>("pulumi-cloudflare-ai-search");
  class Recorded extends actual.ServiceApiToken {
    constructor(...args: ConstructorParameters<typeof actual.ServiceApiToken>) {
      super(...args);
      mockTokens.push(this);
    }
  }
  return { ...actual, ServiceApiToken: Recorded };
});

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

describe("examples/with-cloudflare-provider", () => {
  const registered: Registered[] = [];
  let outputs: Record<string, unknown>;

  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          const inputs = args.inputs as Record<string, unknown>;
          registered.push({ type: args.type, name: args.name, inputs });
          if (args.type.endsWith(":ServiceApiToken")) {
            return { id: TOKEN_ID, state: { ...inputs, tokenId: TOKEN_ID, value: SECRET } };
          }
          return { id: String(inputs.aiSearchInstanceId), state: inputs };
        },
        call: () => ({}),
      },
      "with-cloudflare-provider",
      "test",
    );
    emulateAdditionalSecretOutputs();
    pulumi.runtime.setAllConfig({ "cloudflare-ai-search:accountId": ACCOUNT_ID });

    outputs = await runProjectProgram(PROJECT);
  });

  it("is a TypeScript project whose entry exports the program as the module itself", () => {
    expect(projectEntry(PROJECT)).toBe(path.join(PROJECT, "index.ts"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- as the runtime loads it
    expect(typeof require(projectEntry(PROJECT))).toBe("function");
  });

  it("registers the token with our type and the instance with @pulumi/cloudflare's", async () => {
    await settled(outputs.instanceId);
    expect(registered.map((r) => [r.type, r.name])).toEqual([
      ["pulumi-nodejs:dynamic/cloudflare-ai-search:ServiceApiToken", "ai-search-token"],
      ["cloudflare:index/aiSearchInstance:AiSearchInstance", "docs"],
    ]);
  });

  it("passes the ServiceApiToken's id to the cloudflare AiSearchInstance as tokenId", async () => {
    expect(await settled(outputs.tokenId)).toBe(TOKEN_ID);
    const instance = registered.find((r) => r.type.startsWith("cloudflare:"))!;
    expect(instance.inputs).toMatchObject({
      accountId: ACCOUNT_ID,
      aiSearchInstanceId: "docs",
      type: "r2",
      source: "docs",
      tokenId: TOKEN_ID,
    });
    expect(await settled(outputs.instanceId)).toBe("docs");
  });

  it("keeps the token's value a secret", async () => {
    expect(mockTokens).toHaveLength(1);
    const token = mockTokens[0]!;
    expect(await pulumi.isSecret(token.value)).toBe(true);
    expect(await settled(token.value)).toBe(SECRET);
    expect(await pulumi.isSecret(token.id)).toBe(false);
    expect(await pulumi.isSecret(token.tokenId)).toBe(false);
  });
});

/** The value of an Output (or a plain value). */
function settled(value: unknown): Promise<unknown> {
  return new Promise((resolve) => pulumi.output(value as pulumi.Input<string>).apply(resolve));
}

/**
 * The mock monitor ignores `additionalSecretOutputs`; the engine marks those outputs secret.
 * Do the same here: after the mock answered, wrap the listed keys as secrets.
 */
function emulateAdditionalSecretOutputs(): void {
  type Request = { getAdditionalsecretoutputsList(): string[] };
  type Response = { getObject(): { fields?: unknown } | undefined; setObject(o: unknown): void };
  type Callback = (err: unknown, res?: Response) => void;
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: Request, cb: Callback): void;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) =>
    original(req, (err, res) => {
      const secretKeys = req.getAdditionalsecretoutputsList();
      if (err || !res || secretKeys.length === 0) return cb(err, res);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- protobuf struct of the SDK's own copy
      const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as {
        Struct: {
          fromJavaScript(o: Record<string, unknown>): unknown;
        };
      };
      const object = (
        res.getObject() as unknown as { toJavaScript(): Record<string, unknown> }
      ).toJavaScript();
      for (const key of secretKeys) {
        if (key in object) {
          object[key] = {
            [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
            value: object[key],
          };
        }
      }
      res.setObject(Struct.fromJavaScript(object));
      cb(null, res);
    });
}
