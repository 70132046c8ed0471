// A 404 that names no object (7003 + 7000 "no route": a retired route, a wrong base URL) is an
// error, never "gone". Against the emulator with a base URL whose path it does not serve: refresh
// keeps every resource (instance, namespace, service token: not marked `registrationMissing`),
// delete fails and leaves everything in place, and a lost create's read-back does not conclude
// that nothing was made.
import type { AiSearchInstanceInputs } from "../../provider/aiSearchInstance/args";
import * as instances from "../../provider/aiSearchInstance/provider";
import type { AiSearchNamespaceInputs } from "../../provider/aiSearchNamespace/args";
import * as namespaces from "../../provider/aiSearchNamespace/provider";
import type { ServiceApiTokenInputs } from "../../provider/serviceApiToken/args";
import * as tokens from "../../provider/serviceApiToken/provider";
import { emulatorContext, useEmulator, type EmulatorContext } from "../support/emulatorContext";

const t = useEmulator({ retireAccountLevelInstanceRoutes: true });

/** A provider context whose base URL has a path the emulator does not serve (`/client/v3`). */
let wrongBase: EmulatorContext;
beforeAll(() => {
  wrongBase = emulatorContext({ ...t.emu, url: t.emu.url.replace("/client/v4", "/client/v3") });
});
afterAll(() => wrongBase.close());

async function stack() {
  const accountId = t.emu.accountId;
  const token = await tokens.create(
    t.env.ctx,
    tokens.check({ accountId, name: "svc" }).inputs as ServiceApiTokenInputs,
  );
  const ns = await namespaces.create(
    t.env.ctx,
    namespaces.check({ accountId, name: "team" }).inputs as AiSearchNamespaceInputs,
  );
  const made = [];
  for (const namespace of ["default", "team"]) {
    const inputs = instances.check({
      accountId,
      instanceId: `docs-${namespace}`,
      namespace,
      tokenId: token.id,
    }).inputs as AiSearchInstanceInputs;
    made.push(await instances.create(t.env.ctx, inputs));
  }
  return { token, ns, made };
}

const everything = () => {
  const s = t.emu.state();
  return {
    tokens: s.aiSearchTokens.map((x) => x.id),
    apiTokens: s.apiTokens.length,
    namespaces: s.namespaces.map((n) => n.name).sort(),
    instances: s.instances.map((i) => `${i.namespace}/${i.id}`).sort(),
  };
};

const NOT_SERVED = /base URL \S+\/client\/v3 is not served/;

describe("a 404 that names no object changes nothing", () => {
  it("refresh keeps the instances, the namespace and the service token (no registrationMissing)", async () => {
    const { token, ns, made } = await stack();
    for (const { id, outs } of made) {
      await expect(instances.read(wrongBase.ctx, id, outs)).rejects.toThrow(NOT_SERVED);
    }
    await expect(namespaces.read(wrongBase.ctx, ns.id, ns.outs)).rejects.toThrow(NOT_SERVED);
    await expect(tokens.read(wrongBase.ctx, token.id, token.outs)).rejects.toThrow(NOT_SERVED);
    expect(wrongBase.logs.join("\n")).not.toContain("no longer exists");
  });

  it("delete fails and deletes nothing, for an instance, a namespace and a service token", async () => {
    const { token, ns, made } = await stack();
    const before = everything();
    for (const { id, outs } of made) {
      await expect(instances.remove(wrongBase.ctx, id, outs)).rejects.toThrow(NOT_SERVED);
    }
    await expect(namespaces.remove(wrongBase.ctx, ns.id, ns.outs)).rejects.toThrow(NOT_SERVED);
    await expect(tokens.remove(wrongBase.ctx, token.id, token.outs)).rejects.toThrow(NOT_SERVED);
    expect(everything()).toEqual(before);
  });

  it("an update of an instance fails on it instead of calling the instance gone", async () => {
    const { made } = await stack();
    const { id, outs } = made[0]!;
    const news = instances.check({ ...outs, maxNumResults: 7 }).inputs as AiSearchInstanceInputs;
    const err = (await instances.update(wrongBase.ctx, id, outs, news).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(NOT_SERVED);
    expect(err.message).not.toContain("no longer exists");
  });

  it("a lost create whose read-back is answered 'no route' does not conclude that nothing was made", async () => {
    const accountId = t.emu.accountId;
    const token = await tokens.create(
      t.env.ctx,
      tokens.check({ accountId, name: "svc" }).inputs as ServiceApiTokenInputs,
    );
    const path = "/accounts/*/ai-search/namespaces/default/instances";
    t.emu.addFault({ method: "POST", path, status: 502, phase: "after", times: 1 });
    t.emu.addFault({ method: "GET", path: `${path}/*`, status: 404, times: 1 });
    const inputs = instances.check({ accountId, instanceId: "lost", tokenId: token.id })
      .inputs as AiSearchInstanceInputs;
    const err = (await instances.create(t.env.ctx, inputs).catch((e: Error) => e)) as Error;
    expect(err.message).toContain("reading the instance back failed too");
    expect(err.message).not.toContain("nothing was created");
  });
});
