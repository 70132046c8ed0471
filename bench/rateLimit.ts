// Part 4: the account's rate limit. The emulator (own process) enforces 1,200 requests per 5
// minutes per token (429 with Retry-After after that); `pulumi up`, `refresh` and `destroy` of a
// token plus 50 instances at the engine's default parallelism must finish without error.
import {
  emulatorConfig,
  FAST_WAITS,
  startEmulatorProcess,
  table,
  timed,
  type Engine,
  type PartResult,
} from "./support";

const N = 50;
const QUOTA = 1200;

export async function rateLimitPart(engine: Engine): Promise<PartResult> {
  const emu = await startEmulatorProcess(["--rate-limit-quota", String(QUOTA), "--rate-limit-window", "300"]);
  const { ServiceApiToken, AiSearchInstance } = engine.pkg;
  const accountId = emu.accountId;
  const stack = await engine.stack(
    "ratelimit",
    async () => {
      const token = new ServiceApiToken("token", { accountId });
      for (let i = 0; i < N; i++) {
        new AiSearchInstance(`i${i}`, {
          accountId,
          instanceId: `rl-${i}`,
          type: "r2",
          source: `b-${i}`,
          tokenId: token.id,
        });
      }
    },
    { ...emulatorConfig(emu), ...FAST_WAITS },
  );
  const rows: (string | number)[][] = [["command", "result", "requests", "share of 1,200", "ms"]];
  const data: Record<string, unknown> = {};
  let met = true;
  let spent = 0;
  try {
    for (const [name, run] of [
      ["up", () => stack.up()],
      ["refresh", () => stack.refresh()],
      ["destroy", () => stack.destroy()],
    ] as const) {
      const before = (await emu.counts()).total ?? 0;
      let result = "succeeded";
      const { ms } = await timed(async () => {
        try {
          await run();
        } catch (err) {
          met = false;
          result = `FAILED: ${err instanceof Error ? err.message.split("\n").slice(-3).join(" ") : String(err)}`;
        }
      });
      const requests = ((await emu.counts()).total ?? 0) - before;
      spent += requests;
      rows.push([name, result, requests, `${((requests / QUOTA) * 100).toFixed(1)} %`, ms.toFixed(0)]);
      data[name] = { result, requests, share: requests / QUOTA, ms };
    }
    rows.push([
      "all three",
      met ? "succeeded" : "failed",
      spent,
      `${((spent / QUOTA) * 100).toFixed(1)} %`,
      "",
    ]);
  } finally {
    await emu.stop();
  }
  return {
    part: 4,
    title: `Rate limit: ${QUOTA} requests / 5 minutes enforced; token + ${N} instances at default parallelism`,
    target: "up, refresh and destroy finish without error",
    met,
    lines: table(rows),
    data: { ...data, total: spent, quota: QUOTA },
  };
}
