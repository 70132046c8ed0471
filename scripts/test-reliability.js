#!/usr/bin/env node
// `npm run test:reliability`: the jest project `reliability`, one file at a time (they share the
// two cores with the Pulumi engine), then the fault matrix it measured, printed from the report
// the matrix test wrote. Extra arguments go to jest (CI adds --ci --json --outputFile=...).
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const repo = path.resolve(__dirname, "..");
const report = path.join(repo, "test", "reliability", ".out", "fault-matrix.txt");
fs.rmSync(report, { force: true });
const jest = spawnSync(
  process.execPath,
  [
    require.resolve("jest/bin/jest"),
    "--selectProjects",
    "reliability",
    "--runInBand",
    ...process.argv.slice(2),
  ],
  { cwd: repo, stdio: "inherit", env: { ...process.env, RELIABILITY_REPORT: report } },
);
if (fs.existsSync(report)) {
  process.stdout.write(`\n${fs.readFileSync(report, "utf8")}`);
} else {
  console.error("test:reliability: the fault matrix test wrote no report (did it run?)");
  process.exitCode = 1;
}
if (jest.status !== 0) process.exitCode = jest.status ?? 1;
