#!/usr/bin/env node
// `npm run docs`: generates docs/reference/ from the TSDoc of the public API (typedoc.json: the
// package's two entries, markdown through typedoc-plugin-markdown, no source links, no git
// revision, no timestamps) and formats it with the repository's Prettier config, so the output is
// the same on every machine. `npm run docs:check` (`--check`) generates the same into a temporary
// folder and fails, naming the files, when the committed docs/reference/ differs from it.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const prettier = require("prettier");

const repo = path.resolve(__dirname, "..");
const committed = path.join(repo, "docs", "reference");
const check = process.argv.includes("--check");

/** Every file under `dir`, as paths relative to it, sorted. */
function files(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

async function main() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "cf-ai-search-docs-"));
  try {
    const typedocBin = path.join(path.dirname(require.resolve("typedoc/package.json")), "bin", "typedoc");
    const typedoc = spawnSync(process.execPath, [typedocBin, "--out", out, "--logLevel", "Warn"], {
      cwd: repo,
      stdio: "inherit",
    });
    if (typedoc.status !== 0) throw new Error(`typedoc exited with ${typedoc.status}`);
    // Formatted as if the files were in docs/reference/, with the repository's own config.
    const options = (await prettier.resolveConfig(path.join(committed, "README.md"))) ?? {};
    for (const file of files(out)) {
      const full = path.join(out, file);
      const text = fs.readFileSync(full, "utf8");
      fs.writeFileSync(
        full,
        await prettier.format(text, { ...options, filepath: path.join(committed, file) }),
      );
    }
    if (check) {
      const want = files(out);
      const have = files(committed);
      const differ = [
        ...want.filter((f) => !have.includes(f)).map((f) => `missing: docs/reference/${f}`),
        ...have.filter((f) => !want.includes(f)).map((f) => `not generated: docs/reference/${f}`),
        ...want
          .filter((f) => have.includes(f))
          .filter(
            (f) =>
              fs.readFileSync(path.join(out, f), "utf8") !== fs.readFileSync(path.join(committed, f), "utf8"),
          )
          .map((f) => `differs: docs/reference/${f}`),
      ];
      if (differ.length > 0) {
        console.error(
          `docs:check: docs/reference/ is not what the types generate (${differ.length} files); run \`npm run docs\` and commit:\n` +
            differ.map((d) => `  ${d}`).join("\n"),
        );
        process.exitCode = 1;
        return;
      }
      console.log(`docs:check: docs/reference/ matches the types (${want.length} files)`);
      return;
    }
    fs.rmSync(committed, { recursive: true, force: true });
    fs.cpSync(out, committed, { recursive: true });
    console.log(`docs: wrote ${files(committed).length} files to docs/reference/`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`docs: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
