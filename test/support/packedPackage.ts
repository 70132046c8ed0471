// The package as a user gets it from the registry: `npm pack` of this checkout (what its "files"
// list takes from the built dist/, without lifecycle scripts: build first), then `npm install` of
// that tarball into a project folder of its own, next to @pulumi/pulumi and typescript at the
// versions this repository is tested with, so that npm takes them from its cache.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

const REPO = path.resolve(__dirname, "../..");
const run = promisify(execFile);

/** What `npm pack --json` says of the tarball. */
export interface PackedPackage {
  /** Absolute path of the .tgz. */
  tarball: string;
  /** Every file in it, as paths inside the package. */
  files: string[];
  /** Bytes of the tarball. */
  size: number;
  /** Bytes of its files, unpacked. */
  unpackedSize: number;
}

/** Packs this checkout into `dest`. */
export async function packPackage(dest: string): Promise<PackedPackage> {
  const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dest], {
    cwd: REPO,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const [packed] = JSON.parse(stdout) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: { path: string }[];
  }[];
  if (!packed) throw new Error(`npm pack printed no result:\n${stdout}`);
  return {
    tarball: path.join(dest, packed.filename),
    files: packed.files.map((f) => f.path).sort(),
    size: packed.size,
    unpackedSize: packed.unpackedSize,
  };
}

/** The version of `name` this repository is tested with (its own node_modules). */
export function testedVersion(name: string): string {
  const manifest = path.join(REPO, "node_modules", name, "package.json");
  return (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version;
}

/**
 * Makes `project` a new npm project (if it has no package.json) and installs the tarball there,
 * with @pulumi/pulumi (the peer dependency), typescript and `extra` packages at the versions this
 * repository is tested with.
 */
export async function installPacked(project: string, tarball: string, extra: string[] = []): Promise<void> {
  fs.mkdirSync(project, { recursive: true });
  const manifest = path.join(project, "package.json");
  if (!fs.existsSync(manifest)) {
    fs.writeFileSync(manifest, JSON.stringify({ name: path.basename(project), private: true }));
  }
  await run(
    "npm",
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      tarball,
      ...["@pulumi/pulumi", "typescript", ...extra].map((name) => `${name}@${testedVersion(name)}`),
    ],
    { cwd: project, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
}
