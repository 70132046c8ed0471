// `npm run release:check`: the tarball `npm publish` would upload, checked as its users get it.
// It holds only what a user needs; publint finds nothing wrong in its package.json; its exports
// and types resolve for CommonJS and ESM consumers and for TypeScript's node10, node16 and bundler
// resolution (@arethetypeswrong/cli); installed from the tarball into an empty project, a program
// using every export type-checks under each resolution and loads under require and import; and
// `pulumi preview` of the quickstart example runs in that project against the emulator. Prints the
// tarball's size. dist/ must be built first (the npm script does).
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as ts from "typescript";
import { startEngine, type Engine } from "../e2e/harness";
import { installPacked, packPackage, type PackedPackage } from "../support/packedPackage";

jest.setTimeout(600_000);

const REPO = path.resolve(__dirname, "../..");
const NAME = "pulumi-cloudflare-ai-search";
const run = promisify(execFile);
/** The package's entries, as a consumer imports them. */
const ENTRIES = [NAME, `${NAME}/emulator`, `${NAME}/runtime`];

let dir: string;
let packed: PackedPackage;
/** An empty project with only the tarball, @pulumi/pulumi, typescript and @types/node installed. */
let project: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-ai-search-release-"));
  packed = await packPackage(dir);
  project = path.join(dir, "consumer");
  await installPacked(project, packed.tarball, ["@types/node"]);
  process.stdout.write(
    `release:check: ${path.basename(packed.tarball)}: ${packed.files.length} files, ` +
      `${(packed.size / 1000).toFixed(1)} kB packed, ${(packed.unpackedSize / 1000).toFixed(1)} kB unpacked, ` +
      `${packed.files.filter((f) => f.endsWith(".map")).length} source maps\n`,
  );
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs a package's bin (from this repository's node_modules) with Node; resolves with its output. */
async function bin(pkg: string, args: string[]): Promise<string> {
  // Not require.resolve: a package's "exports" may hide its package.json.
  const manifest = path.join(REPO, "node_modules", pkg, "package.json");
  const { bin: bins } = JSON.parse(fs.readFileSync(manifest, "utf8")) as {
    bin: string | Record<string, string>;
  };
  const script = path.join(path.dirname(manifest), typeof bins === "string" ? bins : Object.values(bins)[0]!);
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], { encoding: "utf8" });
    return stdout + stderr;
  } catch (err) {
    const { stdout = "", stderr = "" } = err as { stdout?: string; stderr?: string };
    throw new Error(`${pkg} ${args.join(" ")} failed:\n${stdout}${stderr}`);
  }
}

it("npm pack lists only what a user needs: the built entries, their types, README, LICENSE, CHANGELOG", () => {
  const needed =
    /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/(provider|emulator|nodeVersion)\/.+\.(js|d\.ts))$/;
  expect(packed.files.filter((f) => !needed.test(f))).toEqual([]);
  expect(packed.files).toEqual(
    expect.arrayContaining(["README.md", "LICENSE", "CHANGELOG.md", "package.json"]),
  );
  // Every JavaScript file has its declarations (a consumer's type-check needs them).
  const js = packed.files.filter((f) => f.endsWith(".js") && !f.endsWith("/cli.js"));
  expect(js.filter((f) => !packed.files.includes(f.replace(/\.js$/, ".d.ts")))).toEqual([]);
});

it("publint finds no problem, suggestions included", async () => {
  const out = await bin("publint", ["run", packed.tarball, "--strict", "--level", "suggestion"]);
  expect(out).toContain("All good!");
});

it("exports and types resolve for node10, node16 (from CommonJS and from ESM) and bundler (attw)", async () => {
  // The shims are a wildcard export: name each file, so that attw checks it too.
  const shims = packed.files.filter((f) => /^dist\/provider\/shims\/[^/]+\.js$/.test(f)).map((f) => `./${f}`);
  expect(shims.length).toBeGreaterThan(0);
  const out = await bin("@arethetypeswrong/cli", [
    packed.tarball,
    "--profile",
    "strict",
    "--format",
    "table-flipped",
    "--no-color",
    "--include-entrypoints",
    ...shims,
  ]);
  expect(out).toContain("No problems found");
});

/** Every export of each entry, as the installed declarations give them: names, and which are values. */
function exportsOf(): Map<string, { name: string; value: boolean }[]> {
  const resolved = ENTRIES.map((entry) =>
    require.resolve(entry, { paths: [project] }).replace(/\.js$/, ".d.ts"),
  );
  const program = ts.createProgram(resolved, { noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  return new Map(
    ENTRIES.map((entry, i) => {
      const module = checker.getSymbolAtLocation(program.getSourceFile(resolved[i]!)!)!;
      const names = checker.getExportsOfModule(module).map((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return { name: symbol.name, value: (target.flags & ts.SymbolFlags.Value) !== 0 };
      });
      return [entry, names];
    }),
  );
}

/** A program that imports every export of every entry by name, and uses each. */
function everyExportProgram(exports: Map<string, { name: string; value: boolean }[]>): string {
  const lines: string[] = [];
  const values: string[] = [];
  const types: string[] = [];
  [...exports].forEach(([entry, names], i) => {
    const alias = (name: string) => `${name} as e${i}_${name}`;
    lines.push(
      `import { ${names.map((n) => (n.value ? alias(n.name) : `type ${alias(n.name)}`)).join(", ")} } from "${entry}";`,
    );
    for (const n of names) (n.value ? values : types).push(`e${i}_${n.name}`);
  });
  lines.push(`export const values = [${values.join(", ")}] as const;`);
  lines.push(`export type Types = [${types.join(", ")}];`);
  // And the resources as a program declares them, checked against their Args.
  lines.push(
    `const token = new e0_ServiceApiToken("token", { accountId: "0123456789abcdef0123456789abcdef" });`,
    `const ns = new e0_AiSearchNamespace("ns", { accountId: token.accountId, name: "docs" });`,
    `new e0_AiSearchInstance("docs", { accountId: token.accountId, instanceId: "docs", namespace: ns, type: "r2", source: "docs-bucket", tokenId: token.id });`,
    `export const emulator = e1_startEmulator({ port: 0 });`,
  );
  return lines.join("\n") + "\n";
}

it("installed from the tarball, a program using every export type-checks (node10, node16 CJS and ESM, bundler) and loads (require, import)", async () => {
  const exports = exportsOf();
  expect(exports.get(NAME)!.map((n) => n.name)).toEqual(
    expect.arrayContaining([
      "ServiceApiToken",
      "AiSearchInstance",
      "AiSearchNamespace",
      "ServiceApiTokenArgs",
    ]),
  );
  const program = everyExportProgram(exports);
  const check = path.join(project, "typecheck");
  fs.mkdirSync(check);
  fs.writeFileSync(path.join(check, "consumer.ts"), program);
  fs.writeFileSync(path.join(check, "consumer.cts"), program);
  fs.writeFileSync(path.join(check, "consumer.mts"), program);
  // skipLibCheck: the program's use of every export is checked against the declarations, and attw
  // (above) checks that the declarations' own imports resolve; checking every library's
  // declarations too would add about 25 s per run, most of it @pulumi/pulumi's.
  const base = { strict: true, noEmit: true, skipLibCheck: true, types: ["node"] };
  const configs = {
    // What `pulumi new typescript` writes: CommonJS with Node 10 resolution.
    node10: { ...base, module: "commonjs", moduleResolution: "node10", target: "es2022" },
    // .cts is a CommonJS consumer, .mts an ESM one, under Node's own resolution.
    node16: { ...base, module: "node16", moduleResolution: "node16", target: "es2022" },
    bundler: { ...base, module: "esnext", moduleResolution: "bundler", target: "es2022" },
  };
  const files = {
    node10: ["consumer.ts"],
    node16: ["consumer.cts", "consumer.mts"],
    bundler: ["consumer.ts"],
  };
  const tsc = path.join(project, "node_modules", "typescript", "bin", "tsc");
  for (const [name, compilerOptions] of Object.entries(configs)) {
    const config = path.join(check, `tsconfig.${name}.json`);
    fs.writeFileSync(config, JSON.stringify({ compilerOptions, files: files[name as keyof typeof files] }));
    await run(process.execPath, [tsc, "-p", config], { cwd: check, encoding: "utf8" }).catch(
      (err: Error & { stdout?: string }) => {
        throw new Error(`tsc (${name}) failed on the consumer program:\n${err.stdout ?? err.message}`);
      },
    );
  }

  // At run time: each value export is there under require and under import (Node reads a
  // CommonJS module's named exports for ESM importers from its source, so this can differ).
  const valueNames = Object.fromEntries(
    [...exports].map(([entry, n]) => [entry, n.filter((x) => x.value).map((x) => x.name)]),
  );
  const loader = `
    const want = ${JSON.stringify(valueNames)};
    const missing = [];
    for (const [entry, names] of Object.entries(want)) {
      const required = require(entry);
      const imported = await import(entry);
      for (const name of names) {
        if (required[name] === undefined) missing.push("require " + entry + ": " + name);
        if (imported[name] === undefined) missing.push("import " + entry + ": " + name);
      }
    }
    console.log(JSON.stringify(missing));
  `;
  fs.writeFileSync(path.join(check, "load.cjs"), `(async () => {${loader}})();`);
  const { stdout } = await run(process.execPath, ["load.cjs"], { cwd: check, encoding: "utf8" });
  expect(JSON.parse(stdout)).toEqual([]);
});

describe("pulumi preview in that project", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine("release-check");
  });
  afterAll(async () => engine?.close());

  it("plans the quickstart example's token, namespace and three instances against the emulator, writing nothing", async () => {
    fs.copyFileSync(path.join(REPO, "examples", "quickstart", "index.ts"), path.join(project, "index.ts"));
    fs.writeFileSync(
      path.join(project, "Pulumi.yaml"),
      "name: release-check\nruntime: nodejs\nmain: index.ts\n",
    );
    const stack = await engine.project("release", project);
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ create: 6 });
    const state = engine.emulator.state();
    expect(state.aiSearchTokens).toEqual([]);
    expect(state.instances).toEqual([]);
  });
});
