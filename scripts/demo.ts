// `npm run demo`: the root project (Pulumi.yaml here: the compiled quickstart) run the way
// `pulumi up` in this folder runs it, as a local program under the Node.js language host, against
// the local emulator. It starts the emulator on a free port, uses a temporary file:// backend, runs
// preview and up, prints the token and the instances, then destroys everything and checks the
// emulator is empty. Nothing leaves this machine, and no file stays behind in the repository (the
// stack's Pulumi.demo.yaml is removed with the stack).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { startEmulator } from "../emulator";

const REPO = path.resolve(__dirname, "../..");
const STACK = "demo";
const STACK_FILE = path.join(REPO, `Pulumi.${STACK}.yaml`);

function say(message: string): void {
  process.stdout.write(`\n▶ ${message}\n`);
}

function cliRoot(): string {
  if (process.env.PULUMI_CLI_ROOT) return process.env.PULUMI_CLI_ROOT;
  say("Finding the Pulumi CLI (scripts/ensure-pulumi builds it from its Go module the first time)");
  const out = execFileSync(path.join(REPO, "scripts", "ensure-pulumi"), {
    cwd: REPO,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return out.trim().split("\n").at(-1) ?? "";
}

async function main(): Promise<void> {
  const started = Date.now();
  const root = cliRoot();
  if (!fs.existsSync(path.join(root, "bin", "pulumi-language-nodejs"))) {
    throw new Error(`no Node.js language host in ${root}/bin: run scripts/ensure-pulumi, which builds it`);
  }
  if (fs.existsSync(STACK_FILE)) {
    throw new Error(
      `${STACK_FILE} exists (a stack of yours?): the demo would use and then remove it; move it away`,
    );
  }
  const command = await PulumiCommand.get({ root });
  const emulator = await startEmulator({ port: 0 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cf-ai-search-demo-"));
  say(`Cloudflare API emulator listening at ${emulator.url} (account ${emulator.accountId})`);
  let stack: Stack | undefined;
  const print = { onOutput: (line: string) => process.stdout.write(line) };
  try {
    fs.mkdirSync(path.join(dir, "backend"));
    fs.mkdirSync(path.join(dir, "home"));
    say(`The root project (${path.join(REPO, "Pulumi.yaml")}), through the Node.js language host`);
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName: STACK, workDir: REPO },
      {
        pulumiCommand: command,
        envVars: {
          PULUMI_BACKEND_URL: `file://${path.join(dir, "backend")}`,
          PULUMI_CONFIG_PASSPHRASE: "demo-passphrase",
          PULUMI_HOME: path.join(dir, "home"),
          PULUMI_SKIP_UPDATE_CHECK: "true",
          PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
          PULUMI_CREDENTIAL_STORE: "plaintext",
          // The CLI finds the language host and the dynamic provider plugin beside it.
          PATH: `${path.join(root, "bin")}${path.delimiter}${process.env.PATH ?? ""}`,
        },
      },
    );
    await stack.setAllConfig({
      "cloudflare:apiToken": { value: emulator.apiToken, secret: true },
      "cloudflare-ai-search:baseUrl": { value: emulator.url },
      "cloudflare-ai-search:accountId": { value: emulator.accountId },
      "cloudflare-ai-search:propagationRetryDelayMs": { value: "100" },
      "cloudflare-ai-search:pollIntervalMs": { value: "100" },
    });

    say("pulumi preview");
    const preview = await stack.preview(print);
    say(`Preview: ${JSON.stringify(preview.changeSummary)}`);

    say("pulumi up");
    const up = await stack.up(print);
    if (up.summary.result !== "succeeded") throw new Error(`pulumi up ended with ${up.summary.result}`);

    say("Stack outputs");
    for (const [key, output] of Object.entries(up.outputs)) {
      const shown = output.secret ? "[secret]" : JSON.stringify(output.value);
      process.stdout.write(`  ${key}: ${shown}\n`);
    }
    const state = emulator.state();
    process.stdout.write(
      `  emulator now holds ${state.aiSearchTokens.length} AI Search token(s) and ` +
        `${state.instances.length} instance(s): ${state.instances.map((i) => i.id).join(", ")}\n`,
    );

    say("pulumi destroy");
    await stack.destroy(print);
    const after = emulator.state();
    const left =
      after.aiSearchTokens.length +
      after.instances.length +
      after.apiTokens.filter((t) => !t.bootstrap).length;
    if (left > 0) throw new Error(`destroy left ${left} object(s) in the emulator`);
    say(`Done in ${Math.round((Date.now() - started) / 1000)}s: everything created was destroyed.`);
  } catch (err) {
    if (stack) {
      say("Cleaning up after the failure (pulumi destroy)");
      await stack.destroy(print).catch(() => undefined);
    }
    throw err;
  } finally {
    await stack?.workspace.removeStack(STACK).catch(() => undefined);
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(STACK_FILE, { force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
