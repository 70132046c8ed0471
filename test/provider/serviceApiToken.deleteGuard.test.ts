// The delete guard of ServiceApiToken (issue 10): deleting the registration fails while instances
// the delete does not remove may rely on it, names them, and leaves the registration in place;
// `deleteWhileInstancesRemain` deletes anyway. Against the emulator, which models an instance made
// without token_id as relying on the account's token (as wrangler's instances do).
import type { ServiceApiTokenInputs, ServiceApiTokenOutputs } from "../../provider/serviceApiToken/args";
import type { AiSearchInstanceInputs } from "../../provider/aiSearchInstance/args";
import * as instances from "../../provider/aiSearchInstance/provider";
import * as tokens from "../../provider/serviceApiToken/provider";
import { cfCall, useEmulator } from "../support/emulatorContext";

// The emulator's clock, moved on by `tick` so that creation times (whole seconds) are ordered.
let clockMs = Date.parse("2026-01-01T00:00:00Z");
// A short delete bound: a refusal comes after the guard has waited it out for instances to go.
// The account-level instance routes retired: the guard lists `default` through the namespaced route.
const t = useEmulator(
  { now: () => clockMs, retireAccountLevelInstanceRoutes: true },
  { deleteTimeoutMs: 500 },
);

async function createToken(
  name = "AI Search Service API Token",
): Promise<{ id: string; outs: ServiceApiTokenOutputs }> {
  const inputs = tokens.check({ accountId: t.emu.accountId, name }).inputs as ServiceApiTokenInputs;
  return tokens.create(t.env.ctx, inputs);
}

/** An instance made outside any stack, without token_id, the way `wrangler ai-search create` makes one. */
async function rawInstance(id: string, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await cfCall(
    t.emu,
    "POST",
    `/accounts/${t.emu.accountId}/ai-search/namespaces/default/instances`,
    {
      id,
      type: "r2",
      source: "docs-bucket",
      ...extra,
    },
  );
  expect(res.status).toBe(200);
}

async function registrationStatus(id: string): Promise<number> {
  return (await cfCall(t.emu, "GET", `/accounts/${t.emu.accountId}/ai-search/tokens/${id}`)).status;
}

async function instanceStatus(id: string): Promise<string | undefined> {
  const res = await cfCall<{ status?: string }>(
    t.emu,
    "GET",
    `/accounts/${t.emu.accountId}/ai-search/namespaces/default/instances/${id}`,
  );
  return res.result.status;
}

const tick = () => {
  clockMs += 2_000;
};

it("refuses to delete the account's only token while an instance made without token_id remains, naming it", async () => {
  const token = await createToken();
  await rawInstance("docs");

  const error = await tokens.remove(t.env.ctx, token.id, token.outs).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).toContain("default/docs (r2)");
  expect(message).toContain("only registered token");
  // It says how to proceed: the three ways on.
  expect(message).toContain("delete those instances or point them at another token");
  expect(message).toContain(`adopt: { id: "${token.id}" }`);
  expect(message).toContain("deleteWhileInstancesRemain: true");

  // Nothing was deleted: the registration and its API token still work for the instance.
  expect(await registrationStatus(token.id)).toBe(200);
  expect(await instanceStatus("docs")).not.toBe("error");
  expect(t.emu.state().apiTokens.some((a) => a.id === token.outs.cfApiId)).toBe(true);
});

it("deletes it anyway with deleteWhileInstancesRemain, warning with the instances named", async () => {
  const token = await createToken();
  await rawInstance("docs");

  await tokens.remove(t.env.ctx, token.id, { ...token.outs, deleteWhileInstancesRemain: true });
  expect(await registrationStatus(token.id)).toBe(404);
  expect(t.env.logs.join("\n")).toContain("default/docs");
  // What the guard protects against: the instance lost its token.
  expect(await instanceStatus("docs")).toBe("error");
});

it("deletes a token whose remaining instance goes within the bound: one that was being deleted", async () => {
  t.emu.configure({ instanceDeleteMs: 60_000 });
  const token = await createToken();
  await rawInstance("docs");
  // An instance being deleted: still listed (the emulator shows "deleting"; the API's status
  // values are undocumented, so the guard reads none of them) while AI Search tears it down.
  const deleted = await cfCall(
    t.emu,
    "DELETE",
    `/accounts/${t.emu.accountId}/ai-search/namespaces/default/instances/docs`,
  );
  expect(deleted.status).toBe(200);

  // The teardown ends while the guard waits: the emulator's clock passes the delete time.
  const teardownEnds = setTimeout(() => (clockMs += 61_000), 100);
  try {
    await tokens.remove(t.env.ctx, token.id, token.outs);
  } finally {
    clearTimeout(teardownEnds);
  }
  expect(await registrationStatus(token.id)).toBe(404);
  expect(t.env.logs.join("\n")).toContain("default/docs may rely on it; waiting up to");
});

it("refuses, once the bound has passed, when an instance being deleted stays listed: the status alone proves nothing", async () => {
  t.emu.configure({ instanceDeleteMs: 60_000 });
  const token = await createToken();
  await rawInstance("docs");
  expect(
    (
      await cfCall(
        t.emu,
        "DELETE",
        `/accounts/${t.emu.accountId}/ai-search/namespaces/default/instances/docs`,
      )
    ).status,
  ).toBe(200);
  expect(await instanceStatus("docs")).toBe("deleting");

  await expect(tokens.remove(t.env.ctx, token.id, token.outs)).rejects.toThrow(/default\/docs \(r2\)/);
  expect(await registrationStatus(token.id)).toBe(200);
});

it("a destroy that deletes a tokenId-less instance and the token in parallel never fails on the guard", async () => {
  // `pulumi destroy` of a token and a web crawler declared without tokenId: no graph edge, so
  // both deletes start at once. The instance's DELETE is held a moment, so that the guard's first
  // list sees it live (not yet being deleted), as when the engine starts the token's delete first.
  const token = await createToken();
  const crawler = instances.check({
    accountId: t.emu.accountId,
    instanceId: "site",
    type: "web-crawler",
    source: "example.com",
  }).inputs as AiSearchInstanceInputs;
  const site = await instances.create(t.env.ctx, crawler);
  t.emu.addFault({ method: "DELETE", path: "/accounts/*/ai-search/**/site", delayMs: 300 });

  await Promise.all([
    instances.remove(t.env.ctx, site.id, site.outs),
    tokens.remove(t.env.ctx, token.id, token.outs),
  ]);
  expect(await registrationStatus(token.id)).toBe(404);
  expect(t.emu.state().instances).toEqual([]);
  expect(t.emu.state().apiTokens.filter((a) => !a.bootstrap)).toEqual([]);
});

it("with another registered token: counts only an instance that names this one", async () => {
  t.emu.configure({ echoTokenIdOnRead: true });
  const ours = await createToken("ours");
  tick();
  await rawInstance("named", { token_id: ours.id });
  tick();
  const other = await createToken("other");
  tick();
  await rawInstance("elsewhere", { token_id: other.id });
  // Names neither: the account keeps the other registration, so this one is not counted (the
  // decision: README, ServiceApiToken's delete guard).
  await rawInstance("implicit");

  const error = await tokens.remove(t.env.ctx, ours.id, ours.outs).catch((e: unknown) => e);
  const message = (error as Error).message;
  expect(message).toContain("1 AI Search instance(s)");
  expect(message).toContain("default/named (r2): names it");
  expect(message).not.toContain("elsewhere");
  expect(message).not.toContain("implicit");
  expect(await registrationStatus(ours.id)).toBe(200);

  // Once the instance that names it is gone, the delete goes through with "implicit" still there.
  expect(
    (
      await cfCall(
        t.emu,
        "DELETE",
        `/accounts/${t.emu.accountId}/ai-search/namespaces/default/instances/named`,
      )
    ).status,
  ).toBe(200);
  await tokens.remove(t.env.ctx, ours.id, ours.outs);
  expect(await registrationStatus(ours.id)).toBe(404);
  expect(await instanceStatus("implicit")).not.toBe("error");
});

it("with another registered token: deletes one registered after every instance that names no token", async () => {
  const other = await createToken("other");
  tick();
  // Made when only the other token existed, so it cannot have been given this one.
  await rawInstance("implicit");
  tick();
  const ours = await createToken("ours");

  await tokens.remove(t.env.ctx, ours.id, ours.outs);
  expect(await registrationStatus(ours.id)).toBe(404);
  expect(await registrationStatus(other.id)).toBe(200);
  expect(await instanceStatus("implicit")).not.toBe("error");
});

it("costs two list requests when no instance remains", async () => {
  const token = await createToken();
  t.emu.resetRequestCounts();
  await tokens.remove(t.env.ctx, token.id, token.outs);
  const counts = t.emu.requestCounts() as Record<string, number>;
  expect(counts["GET /accounts/:account_id/ai-search/namespaces/:namespace/instances"]).toBe(1);
  expect(counts["GET /accounts/:account_id/ai-search/namespaces"]).toBe(1);
  // No instance left: the registrations are not listed.
  expect(counts["GET /accounts/:account_id/ai-search/tokens"] ?? 0).toBe(0);
});

it("an adopted token with deleteOnDestroy: the refusal says to stop deleting it, which leaves it in place", async () => {
  // Made outside this resource (another stack, or by hand), adopted here with deleteOnDestroy.
  const shared = await createToken("Shared token");
  const inputs = tokens.check({
    accountId: t.emu.accountId,
    adopt: { id: shared.id, deleteOnDestroy: true },
  }).inputs as ServiceApiTokenInputs;
  const adopted = await tokens.create(t.env.ctx, inputs);
  await rawInstance("other-stacks-docs", { token_id: shared.id });

  const error = await tokens.remove(t.env.ctx, adopted.id, adopted.outs).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).toContain("default/other-stacks-docs (r2)");
  expect(message).toContain("was adopted with adopt.deleteOnDestroy");
  expect(message).toContain("set adopt.deleteOnDestroy to false");

  // Doing what it says: the delete leaves the registration, and the instance keeps its token.
  await tokens.remove(t.env.ctx, adopted.id, {
    ...adopted.outs,
    adopt: { id: shared.id, deleteOnDestroy: false },
  });
  expect(await registrationStatus(shared.id)).toBe(200);
  expect(await instanceStatus("other-stacks-docs")).not.toBe("error");
});
