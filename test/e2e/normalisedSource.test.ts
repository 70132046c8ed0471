// Under the real engine, against the emulator, which by default stores a web-crawler source in URL
// form (normaliseInstanceValues, as a normalising API would): after `up` and `refresh`, the next `up` changes nothing. Before, refresh
// copied `https://example.com` into the state and the next up deleted and recreated the instance.
import * as pulumi from "@pulumi/pulumi";
import { AiSearchInstance, ServiceApiToken } from "../../provider";
import { recorder, startEngine, type Engine } from "./harness";

jest.setTimeout(300_000);

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine("e2e-normalised");
});
afterAll(async () => engine?.close());

it("a web-crawler source the API normalises is no change after up and refresh", async () => {
  const program = async () => {
    const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
    const token = new ServiceApiToken("token", { accountId });
    const site = new AiSearchInstance("site", {
      accountId,
      instanceId: "e2e-site",
      type: "web-crawler",
      source: "example.com",
      tokenId: token.id,
    });
    return { source: site.source };
  };
  const stack = await engine.stack("normalised", program);
  const up = await stack.up(recorder(engine.output));
  expect(up.summary.result).toBe("succeeded");
  const created = engine.emulator.state().instances;
  expect(created.map((i) => i.source)).toEqual(["https://example.com"]);

  await stack.refresh(recorder(engine.output));
  await stack.up({ ...recorder(engine.output), expectNoChanges: true });
  expect((await stack.outputs()).source!.value).toBe("example.com");
  // The same instance, never recreated.
  expect(engine.emulator.state().instances.map((i) => i.created_at)).toEqual(
    created.map((i) => i.created_at),
  );

  await stack.destroy(recorder(engine.output));
  expect(engine.emulator.state().instances).toEqual([]);
});
