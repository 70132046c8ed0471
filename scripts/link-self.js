// Makes this package resolvable by its own name from every program in the repository
// (the root Pulumi.yaml program, examples/, the e2e fixtures and the demo). The
// serialized dynamic provider does `require("<package>/runtime")`, which the provider
// host resolves from the program's directory; Node's self-reference does not work from
// that anonymous module, so node_modules/<package> must exist. Runs from `prepare`.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const { name } = require(path.join(root, "package.json"));
const link = path.join(root, "node_modules", ...name.split("/"));

fs.mkdirSync(path.dirname(link), { recursive: true });
let current;
try {
  current = fs.readlinkSync(link);
} catch {
  current = undefined;
}
if (current !== path.relative(path.dirname(link), root)) {
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(path.relative(path.dirname(link), root), link, "dir");
}
