// Loads a Pulumi project folder's program by the rule Pulumi's Node.js runtime uses
// (@pulumi/pulumi/cmd/run): the entry is Pulumi.yaml's `main`, else package.json's `main`, else
// index.js; the module is `require`d, and its export is called when it is a function. So a test
// that shares an example's program goes through the project, never through a copy or a named
// export the runtime would not call.
import * as fs from "node:fs";
import * as path from "node:path";

/** The file the runtime would load for the project in `dir`. */
export function projectEntry(dir: string): string {
  const yaml = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
  const main = /^main:\s*(\S+)\s*$/m.exec(yaml)?.[1];
  if (main) return path.resolve(dir, main);
  const manifest = path.join(dir, "package.json");
  const pkg = fs.existsSync(manifest)
    ? (JSON.parse(fs.readFileSync(manifest, "utf8")) as { main?: string })
    : {};
  return path.resolve(dir, pkg.main ?? "index.js");
}

/** Requires the project's entry and, like the runtime, calls its export when it is a function. */
export async function runProjectProgram(dir: string): Promise<Record<string, unknown>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the runtime loads programs with require
  const exported = require(projectEntry(dir)) as unknown;
  const outputs: unknown = typeof exported === "function" ? await (exported as () => unknown)() : exported;
  return (outputs ?? {}) as Record<string, unknown>;
}
