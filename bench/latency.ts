// Part 2: the critical path under real latencies. The emulator (own process) holds every answer
// back LATENCY_MS, lets a new or rolled API token register only PROPAGATION_MS after it was
// minted (7012 before), and keeps an AI Search token in use (7076) TEARDOWN_MS after its last
// instance was deleted. The stack runs with the provider's DEFAULT waits, as a user's does.
// Each operation's wall time is set next to its floor: the unavoidable sequential round trips
// and waits on its critical path, plus the engine's own time for the same step with do-nothing
// resources of the same shape (an instance's property set; measured in the same run).
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { wideProgram } from "./engine";
import {
  emulatorConfig,
  load,
  startEmulatorProcess,
  table,
  timed,
  waitCounter,
  type Engine,
  type PartResult,
} from "./support";

export const LATENCY_MS = 100;
export const PROPAGATION_MS = 3_000;
export const TEARDOWN_MS = 5_000;
const N = 10;
const TARGET = 1.25;

export async function latencyPart(engine: Engine): Promise<PartResult> {
  const emu = await startEmulatorProcess([
    "--no-rate-limit",
    "--latency-ms",
    String(LATENCY_MS),
    "--propagation-ms",
    String(PROPAGATION_MS),
    "--instance-teardown-ms",
    String(TEARDOWN_MS),
  ]);
  const { ServiceApiToken, AiSearchInstance } = engine.pkg;
  const accountId = emu.accountId;
  let rotation = 0;
  let groups = ["AI Search Index Engine"];
  const ours = async () => {
    const token = new ServiceApiToken("token", {
      accountId,
      rotationTrigger: rotation,
      permissionGroups: groups,
    });
    for (let i = 0; i < N; i++) {
      new AiSearchInstance(`i${i}`, {
        accountId,
        instanceId: `lat-${i}`,
        type: "r2",
        source: `b-${i}`,
        tokenId: token.id,
      });
    }
  };
  const config: ConfigMap = emulatorConfig(emu); // default waits
  const stack = await engine.stack("latency", ours, config);
  const trivial = await engine.stack("latency-trivial", wideProgram(N + 1), config);
  const rtt = LATENCY_MS;
  // Floors: sequential requests on the critical path x latency, plus the waits the API imposes.
  // token create: permission groups GET, mint POST, [propagation], registration POST.
  const floors = {
    up: 3 * rtt + PROPAGATION_MS + 1 * rtt, // + instance creates in parallel: 1 round trip
    rotation: 1 * rtt + PROPAGATION_MS + 1 * rtt, // roll, [propagation], registration PUT
    replacement: 3 * rtt + PROPAGATION_MS + 1 * rtt + 2 * rtt, // new token; instance PUTs in parallel; old registration + API token DELETE
    destroy: 1 * rtt + TEARDOWN_MS + 2 * rtt, // instance DELETEs in parallel; [teardown]; registration + API token DELETE
  };
  const rows: (string | number)[][] = [
    [
      "operation",
      "wall ms",
      "API floor ms",
      "engine ms",
      "floor ms",
      "ratio",
      "requests",
      "7012 retries",
      "load",
    ],
  ];
  const data: Record<string, unknown> = {};
  let met = true;
  try {
    const engineUp = (await timed(() => trivial.up())).ms; // creates N+1
    const engineNoop = (await timed(() => trivial.up())).ms; // an up that changes nothing
    const engineDestroy = (await timed(() => trivial.destroy())).ms;
    const step = async (
      name: keyof typeof floors,
      engineMs: number,
      run: (onEvent: ReturnType<typeof waitCounter>["onEvent"]) => Promise<unknown>,
    ) => {
      const w = waitCounter();
      const l = load();
      await emu.resetCounts();
      const { ms } = await timed(() => run(w.onEvent));
      const requests = (await emu.counts()).total ?? 0;
      const floor = floors[name] + engineMs;
      const ratio = ms / floor;
      if (ratio > TARGET) met = false;
      rows.push([
        name,
        ms.toFixed(0),
        floors[name],
        engineMs.toFixed(0),
        floor.toFixed(0),
        ratio.toFixed(2),
        requests,
        w.waits(),
        l,
      ]);
      data[name] = {
        wallMs: ms,
        apiFloorMs: floors[name],
        engineMs,
        floorMs: floor,
        ratio,
        requests,
        waits: w.waits(),
        load: l,
      };
    };
    await step("up", engineUp, (onEvent) => stack.up({ onEvent }));
    rotation = 1;
    await step("rotation", engineNoop, (onEvent) => stack.up({ onEvent }));
    groups = ["AI Search Index Engine", "Workers R2 Storage Read"];
    await step("replacement", engineNoop, (onEvent) => stack.up({ onEvent }));
    await step("destroy", engineDestroy, (onEvent) => stack.destroy({ onEvent }));
  } finally {
    await emu.stop();
  }
  return {
    part: 2,
    title: `Critical path with ${LATENCY_MS} ms/request, ${PROPAGATION_MS} ms propagation, ${TEARDOWN_MS} ms instance teardown (token + ${N} instances, default waits)`,
    target: `wall / floor <= ${TARGET} (floor = sequential round trips and API waits + the engine's time for do-nothing resources)`,
    met,
    lines: table(rows),
    data,
  };
}
