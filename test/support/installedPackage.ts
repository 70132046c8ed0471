// The package as `npm install` leaves it in a user's node_modules: package.json and what its
// "files" list names (the built dist/ folders, the README and the changelog). A folder missing from "files"
// is missing here too, so tests that load the package from such a copy catch it.
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../..");

/** Copies the built package into `pkg` (e.g. `<project>/node_modules/pulumi-cloudflare-ai-search`). */
export function copyInstalledPackage(pkg: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
    files: string[];
  };
  fs.mkdirSync(pkg, { recursive: true });
  fs.copyFileSync(path.join(REPO, "package.json"), path.join(pkg, "package.json"));
  // A "!" entry only leaves files out (source maps, which the build does not write).
  for (const entry of manifest.files.filter((f) => !f.startsWith("!"))) {
    fs.cpSync(path.join(REPO, entry), path.join(pkg, entry), { recursive: true });
  }
}
