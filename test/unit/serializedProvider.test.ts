// The provider text Pulumi stores in state for every resource: serialized with Pulumi's own
// serializer, it must hold no credential, stay under 2 KiB, and run from a program directory
// where the package is installed by name (which is how the provider host loads it).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Module from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { configure } from "../../provider/runtime";
import type { RuntimeResource } from "../../provider/shim";

// The shim as it ships (compiled by tsc into dist/ by `npm ci`'s prepare, or `npm run build`):
// ts-jest's output of the same source differs by a few bytes.
const BUILT = path.resolve(__dirname, "../../dist/provider");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the built file, not the TS source
const { shimFor } = require(path.join(BUILT, "shim.js")) as typeof import("../../provider/shim");

const CREDENTIAL = "serialization-test-credential-0123456789abcdef";
const MINTING_CREDENTIAL = "serialization-test-minting-credential-0123456789";
// Pulumi's serializer wraps each function in ~190 bytes of scaffolding, so seven one-line
// methods cost ~2 KB whatever they say: 2,058 bytes measured on @pulumi/pulumi 3.276. The bound
// catches anything captured by accident (a schema or a client would add tens of KB).
const SIZE_BOUND = 2200;
const RESOURCES: RuntimeResource[] = ["serviceApiToken", "aiSearchInstance"];
/** Inputs each resource rejects for one reason only: a bad account id. */
const BAD_ACCOUNT: Record<RuntimeResource, Record<string, unknown>> = {
  serviceApiToken: { accountId: "nope" },
  aiSearchInstance: { accountId: "nope", instanceId: "docs" },
};

/** Serialized exactly as `pulumi.dynamic.Resource` does it (same closure, same variable name). */
async function serialized(resource: RuntimeResource): Promise<string> {
  const provider = shimFor(resource);
  const result = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  expect(result.containsSecrets).toBe(false);
  return result.text;
}

/** Loads serialized text the way the provider host does (require-from-string), from `dir`. */
function loadFrom(dir: string, text: string): { handler: () => pulumi.dynamic.ResourceProvider } {
  const filename = path.join(dir, "__provider.js");
  const m = new Module(filename);
  m.filename = filename;
  m.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(dir);
  (m as unknown as { _compile(code: string, file: string): void })._compile(text, filename);
  return m.exports as { handler: () => pulumi.dynamic.ResourceProvider };
}

describe("the serialized provider", () => {
  const saved = { ...process.env };
  beforeAll(async () => {
    // Credentials are present everywhere a careless shim could capture them from.
    process.env.CLOUDFLARE_API_TOKEN = CREDENTIAL;
    process.env.CLOUDFLARE_AI_SEARCH_TOKEN_MINTING_API_TOKEN = MINTING_CREDENTIAL;
    await configure({
      config: {
        get: (key) =>
          ({
            "cloudflare:apiToken": CREDENTIAL,
            "cloudflare-ai-search:tokenMintingApiToken": MINTING_CREDENTIAL,
          })[key],
      },
    });
  });
  afterAll(() => {
    process.env = saved;
  });

  it.each(RESOURCES)("%s: holds no credential and stays small", async (resource) => {
    const text = await serialized(resource);
    expect(text).not.toContain(CREDENTIAL);
    expect(text).not.toContain(MINTING_CREDENTIAL);
    expect(text).not.toMatch(/zod|undici|CloudflareClient/);
    expect(text).toContain('require("pulumi-cloudflare-ai-search/runtime")');
    expect(Buffer.byteLength(text)).toBeLessThan(SIZE_BOUND);
  });

  it.each(RESOURCES)("%s: runs from a program directory that has the package installed", async (resource) => {
    const program = fs.mkdtempSync(path.join(os.tmpdir(), "shim-program-"));
    try {
      fs.mkdirSync(path.join(program, "node_modules"));
      fs.symlinkSync(
        path.resolve(__dirname, "../.."),
        path.join(program, "node_modules", "pulumi-cloudflare-ai-search"),
      );
      const provider = loadFrom(program, await serialized(resource)).handler();
      const result = await provider.check!({}, { ...BAD_ACCOUNT[resource], __provider: "x" });
      expect(result.failures?.map((f) => f.property)).toEqual(["accountId"]);
    } finally {
      fs.rmSync(program, { recursive: true, force: true });
    }
  });
});
