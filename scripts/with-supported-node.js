// Runs a command (an npm script's) under Node.js 22+, whatever `node` is first on PATH:
//
//   node scripts/with-supported-node.js [--quiet] <command> [args...]
//
// On a supported Node.js it just runs the command. On an older one it asks scripts/ensure-node
// for a folder holding Node.js 22+ (it installs node@24 from the npm registry into a cache the
// first time), puts that folder first on PATH, says so in one stderr line (unless --quiet), and
// runs the command there, so that every `node` the command starts (jest, the Pulumi CLI's
// provider host) is the new one. If ensure-node cannot provide one, it stops before running
// anything, with one line naming the version found, the version needed and the fix.
//
// It runs on the old Node.js itself, so it is plain CommonJS with nothing newer than Node 18.
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const ensureNode = path.join(root, "scripts", "ensure-node");
// npm's own commands; every other script is `npm run <name>`.
const NPM_COMMANDS = ["test", "start", "stop", "restart"];

/** The major version in a version string such as "20.20.2" or "v24.21.0" (NaN if none). */
function majorOf(version) {
  return Number.parseInt(String(version).replace(/^v/, "").split(".")[0], 10);
}

/** The oldest supported major, from package.json `engines.node` (">=22"). */
function requiredMajor() {
  const range = require(path.join(root, "package.json")).engines.node;
  const match = /^>=\s*(\d+)/.exec(range);
  if (!match) throw new Error(`package.json engines.node is "${range}"; expected ">=<major>"`);
  return Number(match[1]);
}

/** What the user typed, for the one line: "npm test", "npm run demo" (a pre-script names its main script). */
function commandLabel() {
  const event = process.env.npm_lifecycle_event;
  if (!event) return `node ${path.relative(process.cwd(), __filename) || __filename}`;
  const scripts = require(path.join(root, "package.json")).scripts || {};
  const main = /^(pre|post)(.+)$/.exec(event);
  const script = main && scripts[main[2]] !== undefined ? main[2] : event;
  return NPM_COMMANDS.includes(script) ? `npm ${script}` : `npm run ${script}`;
}

/** The non-empty lines of a text, trimmed. */
function linesOf(text) {
  return String(text || "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Why ensure-node failed, in a few words: npm's error ("FetchError: ..."), else its own last line. */
function failureReason(stderr) {
  const lines = linesOf(stderr);
  const npmError = lines.find((l) => /^npm error \w*Error: /.test(l));
  if (npmError) return npmError.replace(/^npm error /, "");
  const own = lines.filter((l) => l.startsWith("ensure-node: ")).pop();
  return (own || lines.pop() || "").replace(/^ensure-node: /, "");
}

/**
 * The folder scripts/ensure-node prints and the version of the node in it, or the reason it
 * could not provide Node.js `major`+.
 */
function supportedNodeFolder(major) {
  const run = spawnSync("bash", [ensureNode], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (run.error) return { reason: `could not run it: ${run.error.message}` };
  if (run.status !== 0) return { reason: failureReason(run.stderr) || `it exited with ${run.status}` };
  const folder = linesOf(run.stdout).pop() || "";
  const probe = spawnSync(path.join(folder, "node"), ["-p", "process.version"], { encoding: "utf8" });
  const version = probe.status === 0 ? probe.stdout.trim() : "";
  if (!(majorOf(version) >= major)) {
    return { reason: `the node in ${folder} is ${version || "not runnable"}` };
  }
  return { folder, version };
}

/** Runs the command with stdio passed through; exits as it exits (same code, or same signal). */
function run(command, args, env) {
  const child = spawn(command, args, { stdio: "inherit", env });
  const forward = (signal) => child.kill(signal);
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) process.on(signal, forward);
  child.on("error", (err) => {
    process.stderr.write(`${commandLabel()}: cannot run ${command}: ${err.message}\n`);
    process.exit(127);
  });
  child.on("exit", (code, signal) => {
    for (const s of signals) process.removeListener(s, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code === null ? 1 : code);
  });
}

function main(argv) {
  const quiet = argv[0] === "--quiet";
  const [command, ...args] = quiet ? argv.slice(1) : argv;
  if (!command) {
    process.stderr.write("usage: node scripts/with-supported-node.js [--quiet] <command> [args...]\n");
    process.exit(2);
  }
  const needed = requiredMajor();
  const found = process.version;
  if (majorOf(found) >= needed) return run(command, args, process.env);

  const label = commandLabel();
  const supported = supportedNodeFolder(needed);
  if (!supported.folder) {
    process.stderr.write(
      `${label}: Node.js ${found} is older than ${needed} (package.json engines: node >=${needed}) and ` +
        `scripts/ensure-node could not provide it (${supported.reason}); fix: make the npm registry ` +
        `reachable and run export PATH="$(scripts/ensure-node):$PATH", or install Node.js ${needed}+ ` +
        `yourself and put it first on PATH\n`,
    );
    process.exit(1);
  }
  if (!quiet) {
    process.stderr.write(
      `${label}: Node.js ${found} is older than ${needed}; running under Node.js ${supported.version} from scripts/ensure-node\n`,
    );
  }
  const env = Object.assign({}, process.env, {
    PATH: supported.folder + path.delimiter + (process.env.PATH || ""),
  });
  return run(command, args, env);
}

main(process.argv.slice(2));
