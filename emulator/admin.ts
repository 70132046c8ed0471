// The admin API under /__emulator: test controls, never part of the Cloudflare API. No
// authentication, and answered only to loopback clients. Plain JSON, no v4 envelope.
//
//   GET    /__emulator/health                       {ok: true}
//   GET    /__emulator/info                         {url, adminUrl, port, accountId, userId, apiToken, bootstrapTokenId, accounts}
//   GET    /__emulator/state                        the whole state (no secrets)
//   POST   /__emulator/reset                        body {keepConfig?}: empty state but the bootstrap token
//   GET    /__emulator/config                       the behaviour switches
//   PUT    /__emulator/config                       partial switches -> the full new set
//   GET    /__emulator/faults                       active faults
//   POST   /__emulator/faults                       a fault spec -> 201 {id}
//   DELETE /__emulator/faults                       all -> {deleted}
//   DELETE /__emulator/faults/{id}                  one -> {deleted: 1}, 404 if unknown
//   GET    /__emulator/requests                     {total, "<METHOD> <template>": n, ...}
//   DELETE /__emulator/requests                     reset the counts
//   PATCH  /__emulator/tokens/{id}                  {status: active|disabled|expired|revoked}
//   DELETE /__emulator/tokens/{id}                  delete an API token out of band
//   DELETE /__emulator/ai-search/tokens/{id}        delete an AI Search token out of band (no 7076)
//   DELETE /__emulator/ai-search/instances/{id}     delete an instance out of band (starts its token's teardown)
//   DELETE /__emulator/ai-search/namespaces/{name}  delete a namespace out of band, with its instances and jobs
//   DELETE /__emulator/ai-search/namespaces/{name}/instances/{id}   delete an instance of any namespace out of band
//   POST   /__emulator/ai-search/namespaces/{name}/instances/{id}/jobs  body {description?}: start a
//                                                   scheduled sync (source "schedule", no cooldown) -> 201 {id}
//   GET    /__emulator/metrics                      process memory and uptime, for the bench
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { BehaviourPatchSchema } from "./config";
import { FaultSpecSchema } from "./faults";
import { isLoopback, readBody, sendJson } from "./http";
import { newJob } from "./jobs";
import type { ApiTokenStatus } from "./model";
import { ADMIN_PREFIX, type Emulator } from "./server";
import { DEFAULT_NAMESPACE } from "./store";

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const StatusBody = z.strictObject({
  status: z.enum(["active", "disabled", "expired", "revoked", "revoked (exposed)"]),
});
const ResetBody = z.strictObject({ keepConfig: z.boolean().optional() });
const ScheduledJobBody = z.strictObject({ description: z.string().optional() });

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new AdminError(
    400,
    r.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "),
  );
}

export async function handleAdmin(
  emu: Emulator,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  _query: URLSearchParams,
): Promise<void> {
  if (!isLoopback(req.socket.remoteAddress)) {
    req.resume();
    return sendJson(res, 403, { error: "the admin API answers loopback clients only" });
  }
  const body = await readBody(req, emu.maxBodyBytes);
  if (!body.ok) {
    if (body.reason === "too_large") sendJson(res, 413, { error: "body too large" });
    return;
  }
  let json: unknown = undefined;
  if (body.raw.length > 0) {
    try {
      json = JSON.parse(body.raw.toString("utf8"));
    } catch {
      return sendJson(res, 400, { error: "malformed JSON" });
    }
  }
  try {
    const { status, result } = route(
      emu,
      (req.method ?? "GET").toUpperCase(),
      pathname.slice(ADMIN_PREFIX.length),
      json,
    );
    sendJson(res, status, result);
  } catch (err) {
    if (err instanceof AdminError) return sendJson(res, err.status, { error: err.message });
    throw err;
  }
}

function route(
  emu: Emulator,
  method: string,
  path: string,
  body: unknown,
): { status: number; result: unknown } {
  const ok = (result: unknown, status = 200) => ({ status, result });
  const segs = path.split("/").filter(Boolean);
  const [, b, c] = segs;
  const key = `${method} /${segs.length ? segs.map((s, i) => (i > 0 && isIdPosition(segs, i) ? ":id" : s)).join("/") : ""}`;

  const nsRoute = namespaceRoute(emu, method, segs, body);
  if (nsRoute) return nsRoute;

  switch (key) {
    case "GET /":
    case "GET /health":
      return ok({ ok: true });
    case "GET /info":
      return ok(emu.info());
    case "GET /state":
      return ok(emu.state());
    case "POST /reset":
      emu.reset(parse(ResetBody, body ?? {}));
      return ok({ ok: true });
    case "GET /config":
      return ok(emu.behaviour);
    case "PUT /config":
      return ok(emu.configure(parse(BehaviourPatchSchema, body ?? {})));
    case "GET /faults":
      return ok(emu.faults.list());
    case "POST /faults":
      return ok({ id: emu.addFault(parse(FaultSpecSchema, body)) }, 201);
    case "DELETE /faults":
      return ok({ deleted: emu.faults.clear() });
    case "DELETE /faults/:id":
      if (!emu.faults.remove(b!)) throw new AdminError(404, "no such fault");
      return ok({ deleted: 1 });
    case "GET /requests":
      return ok(emu.requestCounts());
    case "DELETE /requests":
      emu.resetRequestCounts();
      return ok({ ok: true });
    case "GET /metrics":
      return ok({
        ...process.memoryUsage(),
        uptimeSeconds: process.uptime(),
        requests: emu.requestCounts().total,
      });
    case "PATCH /tokens/:id": {
      const { status } = parse(StatusBody, body);
      const s: ApiTokenStatus = status === "revoked" ? "revoked (exposed)" : status;
      if (!emu.setTokenStatus(b!, s)) throw new AdminError(404, "no such API token");
      return ok({ id: b, status: s });
    }
    case "DELETE /tokens/:id":
      if (!emu.store.deleteApiToken(b!)) throw new AdminError(404, "no such API token");
      emu.store.commit();
      return ok({ deleted: 1 });
    case "DELETE /ai-search/tokens/:id":
      if (!emu.store.aiSearchTokens.delete(c!)) throw new AdminError(404, "no such AI Search token");
      emu.store.teardowns.delete(c!);
      emu.store.commit();
      return ok({ deleted: 1 });
    case "DELETE /ai-search/instances/:id":
      deleteInstanceOutOfBand(emu, DEFAULT_NAMESPACE, c!);
      return ok({ deleted: 1 });
    default:
      throw new AdminError(404, `no admin route ${method} ${ADMIN_PREFIX}${path}`);
  }
}

/**
 * Deletes an instance (and its jobs) at once and starts its token's teardown window: a named
 * token always, the account's token it relied on implicitly only when that blocks deletion.
 */
function deleteInstanceOutOfBand(emu: Emulator, namespace: string, id: string): void {
  const instance = emu.store.getInstance(namespace, id);
  if (!instance) throw new AdminError(404, "no such instance");
  emu.store.deleteInstance(namespace, id);
  const b = emu.behaviour;
  emu.store.startTeardown(
    instance,
    b.instanceTeardownMs,
    b.implicitTokenDeletion === "refuse",
    emu.core.now(),
  );
  emu.store.commit();
}

/** The `/ai-search/namespaces/{name}…` admin routes; undefined for any other path. */
function namespaceRoute(
  emu: Emulator,
  method: string,
  segs: string[],
  body: unknown,
): { status: number; result: unknown } | undefined {
  if (segs[0] !== "ai-search" || segs[1] !== "namespaces" || segs.length < 3) return undefined;
  const name = segs[2]!; // names and ids have no characters that need encoding
  const store = emu.store;
  if (!store.namespaces.has(name)) throw new AdminError(404, "no such namespace");
  if (method === "DELETE" && segs.length === 3) {
    if (name === DEFAULT_NAMESPACE) throw new AdminError(400, "the default namespace cannot be deleted");
    for (const i of [...store.instances.values()]) {
      if (i.namespace === name) deleteInstanceOutOfBand(emu, name, i.id);
    }
    store.namespaces.delete(name);
    store.commit();
    return { status: 200, result: { deleted: 1 } };
  }
  if (segs[3] !== "instances" || segs.length < 5) return undefined;
  const id = segs[4]!;
  if (method === "DELETE" && segs.length === 5) {
    deleteInstanceOutOfBand(emu, name, id);
    return { status: 200, result: { deleted: 1 } };
  }
  if (method === "POST" && segs.length === 6 && segs[5] === "jobs") {
    const { description } = parse(ScheduledJobBody, body ?? {});
    const instance = store.getInstance(name, id);
    if (!instance) throw new AdminError(404, "no such instance");
    const now = emu.core.now();
    const job = newJob(
      instance,
      emu.behaviour,
      now,
      "schedule",
      description ?? null,
      store.tokenProblem(instance, now),
    );
    store.jobs.set(job.id, job);
    store.commit();
    return { status: 201, result: { id: job.id } };
  }
  return undefined;
}

/** Which path segments are ids: the last one of /faults/x, /tokens/x, /ai-search/{tokens,instances}/x. */
function isIdPosition(segs: string[], i: number): boolean {
  if (segs[0] === "ai-search") return i === 2;
  return i === 1;
}
