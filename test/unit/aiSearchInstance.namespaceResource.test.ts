// AiSearchInstance takes an AiSearchNamespace as its `namespace`: the instance registers the
// namespace's name (its `name` output, which carries the dependency the engine orders by).
// Checked under Pulumi's mocks, from what the classes register.
import * as pulumi from "@pulumi/pulumi";
import { AiSearchInstance, AiSearchNamespace } from "../../provider";
import { ACCOUNT_ID } from "../support/mockCloudflare";

describe("AiSearchInstance namespace", () => {
  it("registers the name of an AiSearchNamespace passed as namespace", async () => {
    const registered = new Map<string, Record<string, unknown>>();
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.set(args.name, args.inputs as Record<string, unknown>);
          return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
        },
        call: () => ({}),
      },
      "proj",
      "dev",
    );
    const ns = new AiSearchNamespace("ns", { accountId: ACCOUNT_ID, name: "team-a" });
    const instance = new AiSearchInstance("docs", {
      accountId: ACCOUNT_ID,
      instanceId: "docs",
      namespace: ns,
    });
    await new Promise<void>((resolve) => pulumi.all([instance.id, ns.id]).apply(() => resolve()));
    expect(registered.get("docs")?.namespace).toBe("team-a");
    expect(registered.get("ns")?.name).toBe("team-a");
  });

  it("passes a plain name through as it is", async () => {
    const registered = new Map<string, Record<string, unknown>>();
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.set(args.name, args.inputs as Record<string, unknown>);
          return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
        },
        call: () => ({}),
      },
      "proj",
      "dev",
    );
    const instance = new AiSearchInstance("docs", {
      accountId: ACCOUNT_ID,
      instanceId: "docs",
      namespace: "x",
    });
    await new Promise<void>((resolve) => instance.id.apply(() => resolve()));
    expect(registered.get("docs")?.namespace).toBe("x");
  });
});
