// The provider text Pulumi stores in state for every resource, serialized with Pulumi's own
// serializer. It must hold no credential, stay small, and run from a program directory where the
// package is installed by name (which is how the provider host loads it). There are two forms:
// - installed (the package under node_modules, as in every user's project): a single require of
//   the shim module, about 260 bytes;
// - by value (the package loaded by its real path, as in this repository): the shim's functions
//   copied, about 2 KB.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Module from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { configure } from "../../provider/runtime";
import type { RuntimeResource, ShimProvider } from "../../provider/shim";
import { copyInstalledPackage } from "../support/installedPackage";

const REPO = path.resolve(__dirname, "../..");
const CREDENTIAL = "serialization-test-credential-0123456789abcdef";
const MINTING_CREDENTIAL = "serialization-test-minting-credential-0123456789";
const RESOURCES: RuntimeResource[] = ["serviceApiToken", "aiSearchInstance", "aiSearchNamespace"];
// Pulumi's serializer wraps each function in ~190 bytes of scaffolding, so seven one-line methods
// copied by value cost ~2 KB whatever they say (2,058 bytes measured on @pulumi/pulumi 3.276).
// The bounds catch anything captured by accident (a schema or a client would add tens of KB).
const BY_VALUE_BOUND = 2200;
const INSTALLED_BOUND = 512;

/** The built shim (dist/, as it ships: `npm ci`'s prepare builds it, or `npm run build`). */
function builtShim(resource: RuntimeResource): ShimProvider {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built file, not the TS source
  return require(path.join(REPO, "dist", "provider", "shims", `${resource}.js`)) as ShimProvider;
}

/** Serialized exactly as `pulumi.dynamic.Resource` does it (same closure, same variable name). */
async function serialize(provider: ShimProvider): Promise<string> {
  const result = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  expect(result.containsSecrets).toBe(false);
  return result.text;
}

/** A program directory whose node_modules holds a copy of the package, as `npm install` leaves it. */
function installedProgram(): string {
  const program = fs.mkdtempSync(path.join(os.tmpdir(), "shim-program-"));
  const modules = path.join(program, "node_modules");
  const pkg = path.join(modules, "pulumi-cloudflare-ai-search");
  copyInstalledPackage(pkg);
  for (const dep of ["@pulumi", "zod", "undici"])
    fs.symlinkSync(path.join(REPO, "node_modules", dep), path.join(modules, dep));
  return program;
}

/** Loads serialized text the way the provider host does (require-from-string), from `dir`. */
function loadFrom(dir: string, text: string): ShimProvider {
  const filename = path.join(dir, "__provider.js");
  const m = new Module(filename);
  m.filename = filename;
  m.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(dir);
  (m as unknown as { _compile(code: string, file: string): void })._compile(text, filename);
  return (m.exports as { handler: () => ShimProvider }).handler();
}

describe("the serialized provider", () => {
  const saved = { ...process.env };
  let program: string;
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
    program = installedProgram();
  });
  afterAll(() => {
    process.env = saved;
    fs.rmSync(program, { recursive: true, force: true });
  });

  it.each(RESOURCES)("%s by value: holds no credential and stays small", async (resource) => {
    const text = await serialize(builtShim(resource));
    expect(text).not.toContain(CREDENTIAL);
    expect(text).not.toContain(MINTING_CREDENTIAL);
    expect(text).not.toMatch(/zod|undici|CloudflareClient/);
    expect(text).toContain('require("pulumi-cloudflare-ai-search/runtime")');
    expect(Buffer.byteLength(text)).toBeLessThan(BY_VALUE_BOUND);
  });

  it.each(RESOURCES)(
    "%s by value: runs from a program directory that has the package installed",
    async (resource) => {
      const provider = loadFrom(program, await serialize(builtShim(resource)));
      const result = await provider.check!({}, { accountId: "nope", __provider: "x" });
      expect(result.failures?.map((f) => f.property)).toContain("accountId");
    },
  );

  it.each(RESOURCES)(
    "%s installed: one require of the shim module, a few hundred bytes, and it runs",
    async (resource) => {
      // A plain Node process, as a Pulumi program runs (jest's module registry hides modules from
      // the serializer). The environment holds the credential, to show it is not captured.
      const script = `
      const pulumi = require("@pulumi/pulumi");
      const provider = require("pulumi-cloudflare-ai-search/dist/provider/shims/${resource}.js");
      pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })
        .then((r) => process.stdout.write(r.text));`;
      const text = execFileSync(process.execPath, ["-e", script], {
        cwd: program,
        encoding: "utf8",
        env: { ...process.env, NODE_NO_WARNINGS: "1" },
      });
      expect(text).toContain(`require("pulumi-cloudflare-ai-search/dist/provider/shims/${resource}.js")`);
      expect(text).not.toContain(CREDENTIAL);
      expect(Buffer.byteLength(text)).toBeLessThan(INSTALLED_BOUND);

      const provider = loadFrom(program, text);
      const result = await provider.check!({}, { accountId: "nope", __provider: "x" });
      expect(result.failures?.map((f) => f.property)).toContain("accountId");
    },
  );
});
