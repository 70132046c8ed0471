// Bad input under the real engine: preview fails with each problem named by its field, nothing is
// created or even called, and a secret passed in a bad input is not echoed back in the error.
import * as pulumi from "@pulumi/pulumi";
import { AiSearchInstance, ServiceApiToken } from "../../provider";
import { recorder, startEngine, type Engine } from "./harness";

jest.setTimeout(300_000);

const SECRET = "bad-input-test-secret-value-0123456789abcdef";
let engine: Engine;
beforeAll(async () => {
  engine = await startEngine("e2e-bad-input");
});
afterAll(async () => engine?.close());

/** Preview of a program that must fail: everything it printed, and the error. */
async function failedPreview(name: string, program: () => Promise<void>): Promise<string> {
  const stack = await engine.stack(name, program);
  const output: string[] = [];
  const err = await stack.preview(recorder(output)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  return `${output.join("")}\n${String(err)}`;
}

// The engine stops a preview at the first resource whose check fails, so one resource per program.
it("a bad ServiceApiToken: every problem named by its field, nothing created, the secret not printed", async () => {
  const printed = await failedPreview("bad-token", async () => {
    new ServiceApiToken("token", {
      accountId: new pulumi.Config("cloudflare-ai-search").require("accountId"),
      name: "",
      existingApiToken: { id: "", value: SECRET },
    });
  });
  expect(printed).toContain("name: must not be empty");
  expect(printed).toContain("existingApiToken.id");
  expect(printed).not.toContain(SECRET);
  expect(engine.emulator.requestCounts().total ?? 0).toBe(0);
});

it("an r2 AiSearchInstance without a token: the message shows the line that fixes it", async () => {
  const printed = await failedPreview("bad-instance", async () => {
    const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
    new AiSearchInstance("docs", { accountId, instanceId: "docs", type: "r2", source: "docs-bucket" });
  });
  expect(printed).toContain("property tokenId");
  expect(printed).toContain("tokenId: serviceToken.id");
  expect(engine.emulator.state().instances).toEqual([]);
  expect(engine.emulator.requestCounts().total ?? 0).toBe(0);
});
