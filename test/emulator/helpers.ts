// Shared helpers of the emulator contract tests: a raw HTTP client (global fetch) and a few
// builders. Not a test file itself.
// Raw answers are untyped JSON on purpose (the tests check their exact shape), hence:
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access */
import { PERMISSION_GROUP_IDS, type EmulatorHandle } from "../../emulator";

export interface RawAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON body (undefined when the body is empty or not JSON). */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- untyped JSON
  text: string;
}

export interface CallOptions {
  /** Bearer token; the emulator's bootstrap token when omitted, none when null. */
  token?: string | null;
  body?: unknown;
  /** Sent as is instead of JSON.stringify(body). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

/** Calls the emulator's API with fetch: `path` is relative to /client/v4. */
export async function call(
  emu: EmulatorHandle,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? emu.apiToken : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | Buffer | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const res = await fetch(emu.url + path, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** Calls the admin API. */
export async function admin(
  emu: EmulatorHandle,
  method: string,
  path: string,
  body?: unknown,
): Promise<RawAnswer> {
  const res = await fetch(emu.adminUrl + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined, text };
}

export const G = PERMISSION_GROUP_IDS;

export function accountPolicy(accountId: string, groups: string[], effect: "allow" | "deny" = "allow") {
  return {
    effect,
    resources: { [`com.cloudflare.api.account.${accountId}`]: "*" },
    permission_groups: groups.map((id) => ({ id })),
  };
}

export function userPolicy(userId: string, groups: string[]) {
  return {
    effect: "allow" as const,
    resources: { [`com.cloudflare.api.user.${userId}`]: "*" },
    permission_groups: groups.map((id) => ({ id })),
  };
}

/** Mints a user token with these account-scoped groups; returns `{id, value}`. */
export async function mintUserToken(
  emu: EmulatorHandle,
  groups: string[],
  name = "test token",
): Promise<{ id: string; value: string }> {
  const r = await call(emu, "POST", "/user/tokens", {
    body: { name, policies: [accountPolicy(emu.accountId, groups)] },
  });
  if (r.status !== 200) throw new Error(`mint failed: ${r.text}`);
  return { id: r.json.result.id, value: r.json.result.value };
}

/** Mints an Index Engine token and registers it with AI Search (`legacy: false`). */
export async function registerServiceToken(
  emu: EmulatorHandle,
  name = "svc",
): Promise<{ apiTokenId: string; apiTokenValue: string; aiSearchTokenId: string }> {
  const t = await mintUserToken(emu, [G.aiSearchIndexEngine], name);
  const r = await call(emu, "POST", `/accounts/${emu.accountId}/ai-search/tokens`, {
    body: { cf_api_id: t.id, cf_api_key: t.value, name, legacy: false },
  });
  if (r.status !== 201) throw new Error(`register failed: ${r.text}`);
  return { apiTokenId: t.id, apiTokenValue: t.value, aiSearchTokenId: r.json.result.id };
}

/** A controllable clock for the emulator's `now` option. */
export function fakeClock(start = Date.parse("2026-03-01T12:00:00Z")) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}
