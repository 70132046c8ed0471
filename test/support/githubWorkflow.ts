// Reads one job of a GitHub Actions workflow file well enough to run its shell steps the way a
// runner does: the job's `env:` and each step's `run:` (block or one line), in order. Only the
// shapes examples/ci/github-actions.yml uses (block scalars with `|`, plain or quoted scalars);
// actionlint checks the file itself in CI.
import * as fs from "node:fs";

export interface WorkflowJob {
  env: Record<string, string>;
  /** Each step: its `run` script, or `uses` for an action step. */
  steps: ({ run: string } | { uses: string })[];
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const scalar = (text: string) =>
  text
    .trim()
    .replace(/^"(.*)"$/, "$1")
    .replace(/^'(.*)'$/, "$1");

export function workflowJob(file: string, job: string): WorkflowJob {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const start = lines.findIndex((l) => l === `  ${job}:`);
  if (start < 0) throw new Error(`${file} has no job ${job}`);
  const end = lines.findIndex((l, i) => i > start && /^ {0,2}\S/.test(l));
  const body = lines.slice(start + 1, end < 0 ? undefined : end);

  const env: Record<string, string> = {};
  const steps: WorkflowJob["steps"] = [];
  for (let i = 0; i < body.length; i++) {
    const line = body[i]!;
    if (line === "    env:") {
      for (i++; i < body.length && indentOf(body[i]!) > 4; i++) {
        const [key, ...value] = body[i]!.trim().split(":");
        env[key!] = scalar(value.join(":"));
      }
      i--;
      continue;
    }
    const uses = /^\s+(?:- )?uses: (\S+)$/.exec(line);
    if (uses) steps.push({ uses: uses[1]! });
    const run = /^(\s+)(?:- )?run: (.*)$/.exec(line);
    if (!run) continue;
    if (run[2] !== "|") {
      steps.push({ run: scalar(run[2]!) });
      continue;
    }
    const keyIndent = run[1]!.length + (line.trimStart().startsWith("- ") ? 2 : 0);
    const script: string[] = [];
    for (i++; i < body.length && (body[i]!.trim() === "" || indentOf(body[i]!) > keyIndent); i++) {
      script.push(body[i]!.slice(keyIndent + 2));
    }
    i--;
    steps.push({ run: script.join("\n").trimEnd() + "\n" });
  }
  return { env, steps };
}
