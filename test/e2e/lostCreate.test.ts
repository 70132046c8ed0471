// Under the real engine: the answer to an instance create is lost (a gateway's 502 after the API
// made the instance). The `up` takes the instance over and records it, so the next `up` changes
// nothing (before, the up failed and the next one met 7022 with an instance nobody tracked), and
// destroy removes it.
import * as pulumi from "@pulumi/pulumi";
import { AiSearchInstance, ServiceApiToken } from "../../provider";
import { recorder, startEngine, type Engine } from "./harness";

jest.setTimeout(300_000);

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine("e2e-lost-create");
});
afterAll(async () => engine?.close());

it("an instance create answered 502 after the API made it is taken over; the next up changes nothing", async () => {
  const program = async () => {
    const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
    const token = new ServiceApiToken("token", { accountId });
    new AiSearchInstance("docs", {
      accountId,
      instanceId: "e2e-lost",
      type: "r2",
      source: "docs-bucket",
      tokenId: token.id,
      maxNumResults: 20,
    });
  };
  engine.emulator.addFault({
    method: "POST",
    path: "/accounts/*/ai-search/namespaces/*/instances",
    status: 502,
    phase: "after",
    times: 1,
  });
  const stack = await engine.stack("lost", program);
  const up = await stack.up(recorder(engine.output));
  expect(up.summary.result).toBe("succeeded");
  expect(engine.emulator.state().instances.map((i) => i.id)).toEqual(["e2e-lost"]);

  await stack.up({ ...recorder(engine.output), expectNoChanges: true });
  await stack.refresh({ ...recorder(engine.output), expectNoChanges: true });

  await stack.destroy(recorder(engine.output));
  expect(engine.emulator.state().instances).toEqual([]);
  expect(engine.emulator.state().aiSearchTokens).toEqual([]);
});
