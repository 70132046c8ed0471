// The HTTP server: one pipeline for every /client/v4 request, the admin API beside it.
//
//   count the call -> rate limit (headers on every answer) -> read the body (413 over the
//   limit) -> 429 if over the rate limit -> injected fault (phase "before") -> route match
//   (404 7003/7000) -> JSON parse (400 6007) -> authenticate and authorise -> handler ->
//   injected fault (phase "after") -> answer.
//
// Handlers are synchronous, so each request sees and leaves a consistent state.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { Accounts, type AccountInfo, type ExtraAccountOptions } from "./accounts";
import { handleAdmin } from "./admin";
import { authorize, credentialOf } from "./auth";
import {
  applyBehaviour,
  cloneBehaviour,
  DEFAULT_BEHAVIOUR,
  type BehaviourPatch,
  type EmulatorBehaviour,
} from "./config";
import { ApiError, defaultFaultCode, errorBody, errors, type ErrorStyle } from "./envelope";
import { FaultRegistry, type ActiveFault, type FaultSpec } from "./faults";
import { MAX_BODY_BYTES, readBody, sendJson } from "./http";
import { DEFAULT_ACCOUNT_ID, tokenSecret } from "./ids";
import { createLogger, type LogSink, type Logger } from "./log";
import type { ApiTokenStatus } from "./model";
import { RateLimiter } from "./rateLimit";
import { Router, type EmulatorCore, type RequestContext, type RouteMatch } from "./router";
import { allRoutes } from "./routes";
import { isAccountLevelInstanceRoute } from "./routes/aiSearchInstances";
import { Store, type EmulatorStateSnapshot } from "./store";

export const API_PREFIX = "/client/v4";
export const ADMIN_PREFIX = "/__emulator";

/** Options of `startEmulator`; the behaviour switches may be given here too. */
export interface EmulatorOptions extends BehaviourPatch {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** 32 lowercase hex characters; a fixed fake id by default (or the data file's). */
  accountId?: string;
  /** Secret of the bootstrap user token, which holds every permission the package needs. Generated when omitted. */
  apiToken?: string;
  /** Persist the state to this JSON file (written atomically after every change). */
  dataFile?: string;
  /**
   * Accounts besides the first, each with its own management (bootstrap) token, registrations,
   * namespaces and instances. A token works only on its own account: another account's routes
   * answer 403 / 9109. With `dataFile`, each persists to `<dataFile>.<account id>.json` beside it.
   */
  accounts?: ExtraAccountOptions[];
  /** Largest accepted request body in bytes; default 1 MiB. */
  maxBodyBytes?: number;
  /** Clock in epoch ms; tests pass a fake one. Default Date.now. */
  now?: () => number;
  /** Where log lines go (never with secrets in them). Default: nowhere. */
  log?: LogSink;
}

export interface EmulatorInfo {
  /** Base URL of the API, e.g. `http://127.0.0.1:8787/client/v4`. */
  readonly url: string;
  /** Base URL of the admin API, e.g. `http://127.0.0.1:8787/__emulator`. */
  readonly adminUrl: string;
  readonly port: number;
  readonly accountId: string;
  readonly userId: string;
  /** Secret of the bootstrap user token. */
  readonly apiToken: string;
  /** Id of the bootstrap user token. */
  readonly bootstrapTokenId: string;
  /** Every account the emulator serves, the first one (the fields above) first. */
  readonly accounts: readonly AccountInfo[];
}

/** Per route template (`POST /accounts/:account_id/ai-search/tokens`), plus `total`. */
export type RequestCounts = Record<string, number>;

export class Emulator {
  readonly store: Store;
  readonly accounts: Accounts;
  readonly router = new Router(allRoutes());
  readonly faults = new FaultRegistry();
  readonly limiter: RateLimiter;
  readonly log: Logger;
  readonly core: EmulatorCore;
  readonly apiToken: string;
  readonly maxBodyBytes: number;
  private behaviourValue: EmulatorBehaviour;
  private readonly initialBehaviour: EmulatorBehaviour;
  private readonly counts = new Map<string, number>();
  private total = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly clock: () => number;
  private address: { host: string; port: number } | undefined;
  private closing: Promise<void> | undefined;

  constructor(opts: EmulatorOptions) {
    const {
      port: _port,
      host: _host,
      accountId,
      apiToken,
      dataFile,
      maxBodyBytes,
      now,
      log,
      accounts,
      ...patch
    } = opts;
    if (accountId !== undefined && !/^[0-9a-f]{32}$/.test(accountId)) {
      throw new Error("accountId must be 32 lowercase hexadecimal characters");
    }
    if (apiToken !== undefined && !/^[\x21-\x7e]+$/.test(apiToken)) {
      throw new Error("apiToken must be non-empty printable ASCII without spaces");
    }
    this.clock = now ?? Date.now;
    this.log = createLogger(log);
    this.maxBodyBytes = maxBodyBytes ?? MAX_BODY_BYTES;
    this.initialBehaviour = applyBehaviour(DEFAULT_BEHAVIOUR, patch);
    this.behaviourValue = cloneBehaviour(this.initialBehaviour);
    this.limiter = new RateLimiter(this.behaviourValue.rateLimit, this.clock);
    this.store = new Store({ accountId, defaultAccountId: DEFAULT_ACCOUNT_ID, dataFile });
    this.apiToken = apiToken ?? tokenSecret("user");
    this.accounts = new Accounts(this.store, this.apiToken, accounts ?? [], dataFile);
    for (const store of this.accounts.stores) {
      store.ensureBootstrap(this.accounts.apiTokens.get(store)!, this.clock());
      store.commit();
    }
    this.core = this.coreFor(this.store);
    this.server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
      this.onRequest(req, res).catch((err: unknown) => this.onUnexpected(res, err));
    });
    this.server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    this.server.on("clientError", (_err, socket: Socket) => {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      else socket.destroy();
    });
  }

  /** What the handlers of one account's requests reach. */
  private coreFor(store: Store): EmulatorCore {
    const current = () => this.behaviourValue;
    return {
      store,
      log: this.log,
      now: this.clock,
      get behaviour() {
        return current();
      },
    };
  }

  // --- Lifecycle ------------------------------------------------------------------------------

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once("error", onError);
      this.server.listen(port, host, () => {
        this.server.off("error", onError);
        const a = this.server.address();
        if (a === null || typeof a === "string") return reject(new Error("server has no TCP address"));
        this.address = { host, port: a.port };
        resolve();
      });
    });
  }

  get port(): number {
    return this.address?.port ?? 0;
  }

  get origin(): string {
    const host = this.address?.host ?? "127.0.0.1";
    const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
    return `http://${shown}:${this.port}`;
  }

  /** Where it listens and what to call it with: what `GET /__emulator/info` answers. */
  info(): EmulatorInfo {
    return {
      url: `${this.origin}${API_PREFIX}`,
      adminUrl: `${this.origin}${ADMIN_PREFIX}`,
      port: this.port,
      accountId: this.store.accountId,
      userId: this.store.userId,
      apiToken: this.apiToken,
      bootstrapTokenId: this.store.bootstrapToken()?.id ?? "",
      accounts: this.accounts.info(),
    };
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      for (const s of this.sockets) s.destroy();
    });
    return this.closing;
  }

  // --- Test controls ------------------------------------------------------------------------

  get behaviour(): EmulatorBehaviour {
    return cloneBehaviour(this.behaviourValue);
  }

  configure(patch: BehaviourPatch): EmulatorBehaviour {
    const next = applyBehaviour(this.behaviourValue, patch);
    const rl = this.behaviourValue.rateLimit;
    this.behaviourValue = next;
    if (
      rl.enabled !== next.rateLimit.enabled ||
      rl.quota !== next.rateLimit.quota ||
      rl.windowSeconds !== next.rateLimit.windowSeconds
    ) {
      this.limiter.configure(next.rateLimit);
    }
    return this.behaviour;
  }

  /** Empty state except the bootstrap token (restored to its original secret and policies); counts, faults and rate-limit windows cleared; behaviour back to the start-up values unless `keepConfig`. */
  reset(opts: { keepConfig?: boolean } = {}): void {
    for (const store of this.accounts.stores) {
      store.clear();
      store.ensureBootstrap(this.accounts.apiTokens.get(store)!, this.clock());
      store.commit();
    }
    this.faults.clear();
    this.resetRequestCounts();
    if (!opts.keepConfig) this.behaviourValue = cloneBehaviour(this.initialBehaviour);
    this.limiter.configure(this.behaviourValue.rateLimit);
  }

  /** The state of one account: the first unless `accountId` names another. */
  state(accountId?: string): EmulatorStateSnapshot {
    const store = accountId === undefined ? this.store : this.accounts.byId(accountId);
    if (!store) throw new Error(`the emulator serves no account ${accountId}`);
    return store.snapshot(this.clock());
  }

  requestCounts(): RequestCounts {
    return { total: this.total, ...Object.fromEntries(this.counts) };
  }

  resetRequestCounts(): void {
    this.counts.clear();
    this.total = 0;
  }

  addFault(spec: FaultSpec): string {
    return this.faults.add(spec);
  }

  /** Out-of-band change of an API token's status (e.g. revoked after a leak). False if unknown. */
  setTokenStatus(id: string, status: ApiTokenStatus): boolean {
    const store = this.accounts.stores.find((s) => s.apiTokens.has(id));
    const token = store?.apiTokens.get(id);
    if (!store || !token) return false;
    token.status = status;
    token.modifiedAtMs = this.clock();
    store.commit();
    return true;
  }

  // --- Requests -------------------------------------------------------------------------------

  /** The match, unless its route is retired by a switch (then it is answered as an unknown path). */
  private served(match: RouteMatch | undefined): RouteMatch | undefined {
    if (!match) return undefined;
    const retired =
      this.behaviourValue.retireAccountLevelInstanceRoutes &&
      isAccountLevelInstanceRoute(match.route.template);
    return retired ? undefined : match;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const pathname = q === -1 ? rawUrl : rawUrl.slice(0, q);
    if (pathname === ADMIN_PREFIX || pathname.startsWith(ADMIN_PREFIX + "/")) {
      return handleAdmin(this, req, res, pathname, new URLSearchParams(q === -1 ? "" : rawUrl.slice(q + 1)));
    }
    const method = (req.method ?? "GET").toUpperCase();
    const apiPath = pathname.startsWith(API_PREFIX + "/") ? pathname.slice(API_PREFIX.length) : undefined;
    const match: RouteMatch | undefined =
      apiPath === undefined ? undefined : this.served(this.router.match(method, apiPath));
    const template = match ? `${method} ${match.route.template}` : "unmatched";
    this.counts.set(template, (this.counts.get(template) ?? 0) + 1);
    this.total += 1;
    const style: ErrorStyle = match?.route.aiSearch ? "aiSearch" : "v4";

    const credential = credentialOf(req.headers);
    const limitKey =
      credential.kind === "bearer" ? `t:${credential.token}` : `ip:${req.socket.remoteAddress ?? "?"}`;
    const decision = this.limiter.hit(limitKey);
    const headers = {
      ...decision.headers,
      "Cf-Ray": `${randomBytes(8).toString("hex")}-EMU`,
      // The API's own clock, as Cloudflare's answers carry it (a fake clock in tests, so skew can be tried).
      Date: new Date(this.clock()).toUTCString(),
    };
    const reply = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      sendJson(res, status, body, { ...headers, ...extra });
      this.log.info(`${method} ${pathname} ${status} ${(performance.now() - started).toFixed(1)}ms`);
    };
    const fail = (err: ApiError) => reply(err.status, errorBody(err.errors, style), err.headers);

    const body = await readBody(req, this.maxBodyBytes);
    if (!body.ok) {
      if (body.reason === "too_large") return fail(errors.bodyTooLarge(this.maxBodyBytes));
      return; // the client went away
    }
    // The round trip of the real API, 429s included; the client may go away meanwhile.
    if (!(await this.pause(this.behaviourValue.latencyMs, res))) return;
    if (!decision.allowed) return fail(errors.rateLimited(decision.retryAfterSeconds));

    const fault = this.faults.take(method, apiPath ?? pathname);
    if (fault && fault.spec.phase !== "after") {
      if (!(await this.delay(fault, res))) return;
      if (fault.spec.drop) return this.drop(req, method, pathname);
      if (fault.spec.status) return fail(faultError(fault));
    }

    if (!match || apiPath === undefined) return fail(errors.noRoute(pathname));

    let answer: { status: number; body: unknown; headers: Record<string, string> };
    try {
      let parsed: unknown = undefined;
      if (body.raw.length > 0) {
        try {
          parsed = JSON.parse(body.raw.toString("utf8"));
        } catch {
          parsed = MALFORMED;
        }
      }
      const store = this.accounts.storeFor(credential, match.params, match.route.auth.kind === "verify");
      const core = store === this.store ? this.core : this.coreFor(store);
      const token = authorize(core, credential, match.route.auth, match.route.aiSearch, match.params);
      if (parsed === MALFORMED) throw errors.malformedJson();
      const ctx: RequestContext = {
        core,
        params: match.params,
        query: new URLSearchParams(q === -1 ? "" : rawUrl.slice(q + 1)),
        body: parsed,
        token,
        path: apiPath,
      };
      const r = match.route.handler(ctx);
      answer = { status: r.status, body: r.body, headers: r.headers ?? {} };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      answer = { status: err.status, body: errorBody(err.errors, style), headers: err.headers };
    }

    if (fault && fault.spec.phase === "after") {
      if (!(await this.delay(fault, res))) return;
      if (fault.spec.drop) return this.drop(req, method, pathname);
      if (fault.spec.status) return fail(faultError(fault));
    }
    reply(answer.status, answer.body, answer.headers);
  }

  /** Waits for the fault's delay; false when the client went away (or the server closed) meanwhile. */
  private delay(fault: ActiveFault, res: ServerResponse): Promise<boolean> {
    return this.pause(fault.spec.delayMs ?? 0, res);
  }

  /** Waits `ms`; false when the client went away (or the server closed) meanwhile. */
  private pause(ms: number, res: ServerResponse): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        res.off("close", onClose);
        resolve(!res.destroyed);
      }, ms);
      const onClose = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve(false);
      };
      this.timers.add(timer);
      res.once("close", onClose);
    });
  }

  private drop(req: IncomingMessage, method: string, pathname: string): void {
    this.log.info(`${method} ${pathname} dropped by fault`);
    req.socket.destroy();
  }

  private onUnexpected(res: ServerResponse, err: unknown): void {
    this.log.error(`unexpected failure: ${err instanceof Error ? err.message : "unknown error"}`);
    const e = errors.internal();
    sendJson(res, e.status, errorBody(e.errors, "v4"));
  }
}

const MALFORMED = Symbol("malformed JSON");

function faultError(fault: ActiveFault): ApiError {
  const status = fault.spec.status!;
  const code = fault.spec.code ?? defaultFaultCode(status);
  const message = fault.spec.message ?? `Injected fault (HTTP ${status})`;
  const headers: Record<string, string> =
    status === 429 ? { "Retry-After": String(fault.spec.retryAfterSeconds ?? 1) } : {};
  return new ApiError(status, [{ code, message }], headers);
}
