// The smallest round trip through the real engine: one ServiceApiToken up and destroyed.
import * as pulumi from "@pulumi/pulumi";
import { ServiceApiToken } from "../../provider";
import { recorder, startEngine, type Engine } from "./harness";

jest.setTimeout(300_000);

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine("e2e-smoke");
});
afterAll(async () => engine?.close());

it("creates a service token with a secret value, then destroys it leaving nothing behind", async () => {
  const program = async () => {
    const token = new ServiceApiToken("token", {
      accountId: new pulumi.Config("cloudflare-ai-search").require("accountId"),
    });
    return { tokenId: token.id, value: token.value };
  };
  const stack = await engine.stack("smoke", program);
  const up = await stack.up(recorder(engine.output));
  expect(up.summary.result).toBe("succeeded");
  expect(up.outputs.value?.secret).toBe(true);
  expect(engine.emulator.state().aiSearchTokens.map((t) => t.id)).toEqual([up.outputs.tokenId?.value]);

  await stack.destroy(recorder(engine.output));
  const after = engine.emulator.state();
  expect(after.aiSearchTokens).toEqual([]);
  expect(after.apiTokens.filter((t) => !t.bootstrap)).toEqual([]);
});
