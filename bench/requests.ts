// Part 3: Cloudflare API requests per operation, counted by the emulator (exact), against the
// floor: the fewest requests the operation can make. Lifecycle operations are called directly;
// preview, up and refresh of a whole stack run under the real engine.
import { createContext, type ProviderContext } from "../provider/context";
import { DEFAULT_WAIT_SETTINGS } from "../provider/config";
import * as instance from "../provider/aiSearchInstance/provider";
import type { AiSearchInstanceInputs } from "../provider/aiSearchInstance/args";
import * as token from "../provider/serviceApiToken/provider";
import type { ServiceApiTokenInputs } from "../provider/serviceApiToken/args";
import {
  emulatorConfig,
  FAST_WAITS,
  startEmulatorProcess,
  table,
  writesOf,
  type Engine,
  type EmulatorProcess,
  type PartResult,
} from "./support";

interface Row {
  operation: string;
  requests: number;
  floor: number;
  /** Why the count is above its floor (docs/performance.md). */
  why?: string;
}

const REFRESH_N = 10;
/** Items each lookup's list holds: more than the emulator serves a page (20), so lists take pages. */
const LOOKUP_N = 45;
/** Environment variables the lookups are pointed at with `credentials` (the bench is no Pulumi program). */
const LOOKUP_ENV = { apiToken: "BENCH_LOOKUP_API_TOKEN", baseUrl: "BENCH_LOOKUP_BASE_URL" };

export async function requestsPart(engine: Engine): Promise<PartResult> {
  const emu = await startEmulatorProcess(["--no-rate-limit"]);
  const rows: Row[] = [];
  try {
    await lifecycleCounts(emu, rows);
    await lookupCounts(emu, rows);
    await stackCounts(engine, emu, rows);
  } finally {
    await emu.stop();
  }
  const above = rows.filter((r) => r.requests > r.floor);
  const unexplained = above.filter((r) => !r.why);
  return {
    part: 3,
    title: "Requests per operation (counted by the emulator)",
    target: "each at its floor, or above it for a reason docs/performance.md gives",
    met: unexplained.length === 0,
    lines: [
      ...table([
        ["operation", "requests", "floor", "why above"],
        ...rows.map((r) => [
          r.operation,
          r.requests,
          r.floor,
          r.requests > r.floor ? (r.why ?? "UNEXPLAINED") : "",
        ]),
      ]),
    ],
    data: rows,
  };
}

async function lifecycleCounts(emu: EmulatorProcess, rows: Row[]): Promise<void> {
  const ctx: ProviderContext = createContext(
    {
      apiToken: { value: emu.apiToken, source: "bench" },
      tokenMintingApiToken: undefined,
      baseUrl: emu.url,
      wait: DEFAULT_WAIT_SETTINGS,
    },
    { log: () => undefined },
  );
  async function count<T>(operation: string, floor: number, why: string | undefined, fn: () => Promise<T>) {
    await emu.resetCounts();
    const result = await fn();
    rows.push({ operation, requests: (await emu.counts()).total ?? 0, floor, why });
    return result;
  }
  const tokenInputs = (extra: Record<string, unknown> = {}) =>
    // `{}` olds: not yet in state, so check draws the resource's mint marker.
    token.check({ accountId: emu.accountId, ...extra }, {}).inputs as ServiceApiTokenInputs;

  const t = await count(
    "token create (mint + register)",
    2,
    "the permission-group names are resolved to ids (1 GET) before the mint",
    () => token.create(ctx, tokenInputs()),
  );
  const read = await count("token read (refresh)", 2, undefined, () => token.read(ctx, t.id, t.outs));
  const renamed = await count(
    "token rename",
    3,
    undefined, // by design: the minted API token is renamed too (apiToken.ts renameApiToken)
    () => token.update(ctx, t.id, read.props!, tokenInputs({ name: "renamed" })),
  );
  const rotated = await count("token rotation (roll + re-register)", 2, undefined, () =>
    token.update(ctx, t.id, renamed, tokenInputs({ name: "renamed", rotationTrigger: 1 })),
  );

  const instanceInputs = (extra: Record<string, unknown> = {}) =>
    instance.check({
      accountId: emu.accountId,
      instanceId: "bench-requests",
      type: "r2",
      source: "bucket",
      tokenId: t.id,
      ...extra,
    }).inputs as AiSearchInstanceInputs;
  const created = await count("instance create (with tokenId)", 1, undefined, () =>
    instance.create(ctx, instanceInputs()),
  );
  const updated = await count("instance update", 1, undefined, () =>
    instance.update(ctx, created.id, created.outs, instanceInputs({ maxNumResults: 7 })),
  );
  await count("instance read (refresh)", 1, undefined, () => instance.read(ctx, created.id, updated));
  await count(
    "instance delete",
    1,
    "one GET after the DELETE confirms it is gone (teardown runs in the background)",
    () => instance.remove(ctx, created.id, updated),
  );
  const noTokenId = instanceInputs({ instanceId: "bench-requests-2" });
  delete (noTokenId as { tokenId?: string }).tokenId;
  const created2 = await count(
    "instance create (no tokenId)",
    2,
    undefined, // the account's tokens are listed first (issue 10)
    () => instance.create(ctx, noTokenId),
  );
  await instance.remove(ctx, created2.id, created2.outs);
  await count(
    "token delete (registration + token)",
    2,
    "the delete guard lists the account's instances and namespaces (2 GETs, sent side by side) so that a " +
      "destroy never takes away the token an instance outside the stack relies on (instanceGuard.ts)",
    () => token.remove(ctx, t.id, rotated),
  );
}

/** A call to the emulator's API with its bootstrap token (the set-up of the lookup counts). */
async function api<T>(emu: EmulatorProcess, method: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${emu.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const envelope = (await res.json()) as { success: boolean; result: T; errors: unknown };
  if (!envelope.success) throw new Error(`${method} ${route}: ${JSON.stringify(envelope.errors)}`);
  return envelope.result;
}

/**
 * Each lookup's requests: one for a lookup by id, one per page for a list (and for a lookup by
 * name, which reads the list). The emulator serves 20 items a page; each list holds LOOKUP_N.
 */
async function lookupCounts(emu: EmulatorProcess, rows: Row[]): Promise<void> {
  const {
    getServiceApiToken,
    getServiceApiTokens,
    getAiSearchInstance,
    getAiSearchInstances,
    getAiSearchNamespace,
    getAiSearchNamespaces,
  } = await import("../provider");
  process.env[LOOKUP_ENV.apiToken] = emu.apiToken;
  process.env[LOOKUP_ENV.baseUrl] = emu.url;
  const accountId = emu.accountId;
  const credentials = LOOKUP_ENV;
  const groups = await api<{ id: string; name: string }[]>(emu, "GET", "/user/tokens/permission_groups");
  const indexEngine = groups.find((g) => g.name === "AI Search Index Engine")!.id;
  const tokenIds: string[] = [];
  for (let i = 0; i < LOOKUP_N; i++) {
    const minted = await api<{ id: string; value: string }>(emu, "POST", `/accounts/${accountId}/tokens`, {
      name: `lookup ${i}`,
      policies: [
        {
          effect: "allow",
          resources: { [`com.cloudflare.api.account.${accountId}`]: "*" },
          permission_groups: [{ id: indexEngine }],
        },
      ],
    });
    const registered = await api<{ id: string }>(emu, "POST", `/accounts/${accountId}/ai-search/tokens`, {
      name: `lookup ${i}`,
      cf_api_id: minted.id,
      cf_api_key: minted.value,
      legacy: false,
    });
    tokenIds.push(registered.id);
  }
  await api(emu, "POST", `/accounts/${accountId}/ai-search/namespaces`, { name: "lookups" });
  for (let i = 0; i < LOOKUP_N; i++) {
    await api(emu, "POST", `/accounts/${accountId}/ai-search/namespaces/lookups/instances`, {
      id: `lookup-${i}`,
      type: "r2",
      source: `bucket-${i}`,
      token_id: tokenIds[0],
    });
    // The namespace list then holds `default`, `lookups` and these.
    if (i < LOOKUP_N - 2)
      await api(emu, "POST", `/accounts/${accountId}/ai-search/namespaces`, { name: `ns-${i}` });
  }
  const pages = Math.ceil(LOOKUP_N / 20);
  async function count(operation: string, floor: number, fn: () => Promise<unknown>) {
    await emu.resetCounts();
    await fn();
    rows.push({ operation, requests: (await emu.counts()).total ?? 0, floor });
  }
  try {
    await count("getServiceApiToken by id", 1, () =>
      getServiceApiToken({ accountId, id: tokenIds[7]!, credentials }),
    );
    await count(`getServiceApiToken by name (the API's search narrows ${LOOKUP_N} to 6: one page)`, 1, () =>
      getServiceApiToken({ accountId, name: "lookup 4", credentials }),
    );
    await count(`getServiceApiTokens (${LOOKUP_N})`, pages, () =>
      getServiceApiTokens({ accountId, credentials }),
    );
    await count("getAiSearchInstance", 1, () =>
      getAiSearchInstance({ accountId, namespace: "lookups", id: "lookup-3", credentials }),
    );
    await count(`getAiSearchInstances (${LOOKUP_N})`, pages, () =>
      getAiSearchInstances({ accountId, namespace: "lookups", credentials }),
    );
    await count("getAiSearchNamespace", 1, () =>
      getAiSearchNamespace({ accountId, name: "lookups", credentials }),
    );
    await count(`getAiSearchNamespaces (${LOOKUP_N})`, pages, () =>
      getAiSearchNamespaces({ accountId, credentials }),
    );
  } finally {
    for (let i = 0; i < LOOKUP_N; i++) {
      await api(emu, "DELETE", `/accounts/${accountId}/ai-search/namespaces/lookups/instances/lookup-${i}`);
      if (i < LOOKUP_N - 2) await api(emu, "DELETE", `/accounts/${accountId}/ai-search/namespaces/ns-${i}`);
    }
    await api(emu, "DELETE", `/accounts/${accountId}/ai-search/namespaces/lookups`);
    for (const id of tokenIds) await api(emu, "DELETE", `/accounts/${accountId}/ai-search/tokens/${id}`);
  }
}

async function stackCounts(engine: Engine, emu: EmulatorProcess, rows: Row[]): Promise<void> {
  const { ServiceApiToken, AiSearchInstance } = engine.pkg;
  const accountId = emu.accountId;
  const stack = await engine.stack(
    "requests",
    async () => {
      const t = new ServiceApiToken("token", { accountId });
      for (let i = 0; i < REFRESH_N; i++) {
        new AiSearchInstance(`i${i}`, {
          accountId,
          instanceId: `requests-${i}`,
          type: "r2",
          source: `bucket-${i}`,
          tokenId: t.id,
        });
      }
    },
    { ...emulatorConfig(emu), ...FAST_WAITS },
  );
  try {
    await stack.up();
    await emu.resetCounts();
    await stack.preview();
    rows.push({
      operation: `pulumi preview, unchanged (token + ${REFRESH_N})`,
      requests: (await emu.counts()).total ?? 0,
      floor: 0,
    });
    await emu.resetCounts();
    await stack.up();
    const up = await emu.counts();
    rows.push({
      operation: `pulumi up, unchanged: writes (token + ${REFRESH_N})`,
      requests: writesOf(up),
      floor: 0,
    });
    rows.push({
      operation: `pulumi up, unchanged: all requests`,
      requests: up.total ?? 0,
      floor: 0,
    });
    await emu.resetCounts();
    await stack.refresh();
    rows.push({
      operation: `pulumi refresh (token + ${REFRESH_N})`,
      requests: (await emu.counts()).total ?? 0,
      floor: 2 + REFRESH_N,
    });
    await lookupStackCounts(engine, emu, rows);
  } finally {
    await stack.destroy();
  }
}

/**
 * Another stack that does not own the token: it looks it up by name (getServiceApiTokenOutput)
 * and gives its id to REFRESH_N instances. An unchanged preview or up costs the lookup's own read
 * (one page of registrations) and nothing else.
 */
async function lookupStackCounts(engine: Engine, emu: EmulatorProcess, rows: Row[]): Promise<void> {
  const { AiSearchInstance, getServiceApiTokenOutput, DEFAULT_SERVICE_TOKEN_NAME } = engine.pkg;
  const accountId = emu.accountId;
  const stack = await engine.stack(
    "requests-lookup",
    async () => {
      const t = getServiceApiTokenOutput({ accountId, name: DEFAULT_SERVICE_TOKEN_NAME });
      for (let i = 0; i < REFRESH_N; i++) {
        new AiSearchInstance(`l${i}`, {
          accountId,
          instanceId: `requests-lookup-${i}`,
          type: "r2",
          source: `bucket-${i}`,
          tokenId: t.id,
        });
      }
    },
    { ...emulatorConfig(emu), ...FAST_WAITS },
  );
  try {
    await stack.up();
    await emu.resetCounts();
    await stack.preview();
    rows.push({
      operation: `pulumi preview, unchanged, with a token lookup (${REFRESH_N} instances)`,
      requests: (await emu.counts()).total ?? 0,
      floor: 1,
    });
    await emu.resetCounts();
    await stack.up();
    const up = await emu.counts();
    rows.push({
      operation: `pulumi up, unchanged, with a token lookup: writes`,
      requests: writesOf(up),
      floor: 0,
    });
    rows.push({
      operation: `pulumi up, unchanged, with a token lookup: all requests`,
      requests: up.total ?? 0,
      floor: 1,
    });
  } finally {
    await stack.destroy();
  }
}
