// What the provider's refresh sees when the account's AI Search token an instance relies on goes
// away (issue 10): the emulator reports the loss as the docs describe it ("lose access to their
// data source and stop indexing"), and `read` carries it into the instance's `status` output.
import type { AiSearchInstanceInputs } from "../../provider/aiSearchInstance/args";
import * as provider from "../../provider/aiSearchInstance/provider";
import type { ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as tokens from "../../provider/serviceApiToken/provider";
import { cfCall, useEmulator } from "../support/emulatorContext";

const t = useEmulator();

function checked(news: Record<string, unknown>): AiSearchInstanceInputs {
  const result = provider.check({ accountId: t.emu.accountId, ...news });
  expect(result.failures).toEqual([]);
  return result.inputs as AiSearchInstanceInputs;
}

it("a refresh shows status error once the registration an instance relied on implicitly is deleted out of band", async () => {
  const inputs = tokens.check({ accountId: t.emu.accountId, name: "AI Search Service API Token" })
    .inputs as ServiceApiTokenInputs;
  const token = await tokens.create(t.env.ctx, inputs);
  // No tokenId: the instance relies on the account's token, as wrangler's instances do.
  const { outs } = await provider.create(
    t.env.ctx,
    checked({ instanceId: "site", type: "web-crawler", source: "example.com" }),
  );
  expect(outs.status).toBe("waiting");
  expect(t.emu.state().instances[0]!.token).toEqual({ id: token.id, how: "implicit" });

  // Nothing names the token, so the API lets it go.
  const deleted = await cfCall(t.emu, "DELETE", `/accounts/${t.emu.accountId}/ai-search/tokens/${token.id}`);
  expect(deleted.status).toBe(200);
  const { props } = await provider.read(t.env.ctx, "site", outs);
  expect(props!.status).toBe("error");
});
