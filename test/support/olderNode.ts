// A folder whose `node` is older than the package supports, for tests that start real processes
// on it. The machine's own older Node.js when it has one (CI's /usr/bin/node is 20.20.2);
// otherwise this Node.js started with a preload that makes it report itself as v20.20.2, which
// is all the version checks read (process.version and process.versions.node).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MINIMUM_NODE_MAJOR } from "../../nodeVersion/requirement";

const SYSTEM_NODE = "/usr/bin/node";
const REPORTED_VERSION = "20.20.2";

export interface OlderNode {
  /** A folder holding only `node`, to put first on PATH. */
  readonly bin: string;
  /** `${bin}/node`. */
  readonly node: string;
  /** What it reports as process.versions.node, e.g. "20.20.2". */
  readonly version: string;
  /** For test names: which Node.js this is. */
  readonly description: string;
  /** Removes the folder. */
  remove(): void;
}

function versionOf(node: string): string | undefined {
  const probe = spawnSync(node, ["-p", "process.versions.node"], { encoding: "utf8" });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/** The system's Node.js if it is older than supported, else undefined. */
function systemOlderNode(): string | undefined {
  if (!fs.existsSync(SYSTEM_NODE)) return undefined;
  const version = versionOf(SYSTEM_NODE);
  return version !== undefined && Number(version.split(".")[0]) < MINIMUM_NODE_MAJOR ? version : undefined;
}

export function olderNode(): OlderNode {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "older-node-"));
  const node = path.join(bin, "node");
  const system = systemOlderNode();
  let description: string;
  if (system !== undefined) {
    fs.symlinkSync(SYSTEM_NODE, node);
    description = `${SYSTEM_NODE} v${system}`;
  } else {
    const preload = path.join(bin, "report-older-version.js");
    fs.writeFileSync(
      preload,
      `Object.defineProperty(process, "version", { value: "v${REPORTED_VERSION}" });\n` +
        `Object.defineProperty(process.versions, "node", { value: "${REPORTED_VERSION}" });\n`,
    );
    fs.writeFileSync(node, `#!/bin/sh\nexec "${process.execPath}" --require "${preload}" "$@"\n`, {
      mode: 0o755,
    });
    description = `Node.js ${process.version} reporting itself as v${REPORTED_VERSION} (no older Node.js at ${SYSTEM_NODE})`;
  }
  const version = versionOf(node);
  if (version === undefined) throw new Error(`${node} does not run`);
  return { bin, node, version, description, remove: () => fs.rmSync(bin, { recursive: true, force: true }) };
}
