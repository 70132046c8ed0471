// The HTTP layer: unknown routes, bad input, rate-limit headers and 429s, and logs that never
// carry a secret. The server must survive all of it.
/* eslint-disable @typescript-eslint/no-unsafe-member-access -- raw JSON answers */
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { call, fakeClock, G, mintUserToken, registerServiceToken } from "./helpers";

const clock = fakeClock();
const logLines: string[] = [];
let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, now: clock.now, log: (l) => logLines.push(l) });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe("routing", () => {
  it("answers unknown paths and methods with 404 7003/7000 in the v4 envelope", async () => {
    for (const [method, path] of [
      ["GET", "/zones"],
      ["PATCH", "/user/tokens"],
      ["GET", `/accounts/${"0".repeat(32)}/ai-search/instances/x/items`],
    ] as const) {
      const r = await call(emu, method, path);
      expect(r.status).toBe(404);
      expect(r.json).toEqual({
        success: false,
        errors: [
          {
            code: 7003,
            message: `Could not route to /client/v4${path}, perhaps your object identifier is invalid?`,
          },
          { code: 7000, message: "No route for that URI" },
        ],
        messages: [],
        result: null,
      });
    }
    const outside = await fetch(emu.url.replace("/client/v4", "/other"));
    expect(outside.status).toBe(404);
  });
});

describe("bad input", () => {
  const path = () => `/accounts/${emu.accountId}/ai-search/tokens`;

  it("malformed JSON is 400 6007", async () => {
    const r = await call(emu, "POST", path(), { rawBody: '{"name": ' });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      success: false,
      errors: [{ code: 6007, message: "Malformed JSON in request body" }],
      result: {},
    });
    const v4 = await call(emu, "POST", "/user/tokens", { rawBody: "nope" });
    expect(v4.json.errors[0].code).toBe(6007);
    expect(v4.json.result).toBeNull();
  });

  it("a body that is not an object, or is missing, is 400", async () => {
    for (const rawBody of ["[1,2]", '"str"', "null", "42"]) {
      const r = await call(emu, "POST", path(), { rawBody });
      expect(r.status).toBe(400);
      expect(r.json.errors[0].code).toBe(1001);
    }
    expect((await call(emu, "POST", "/user/tokens")).status).toBe(400);
  });

  it("a body over 1 MiB is 413 and the connection stays usable", async () => {
    const big = JSON.stringify({ name: "x".repeat(1024 * 1024 + 10) });
    const r = await call(emu, "POST", path(), { rawBody: big });
    expect(r.status).toBe(413);
    expect(r.json.success).toBe(false);
    expect(r.headers.get("ratelimit")).toMatch(/^"default";r=\d+;t=\d+$/);
    expect((await call(emu, "GET", "/user/tokens/verify")).status).toBe(200);
  });

  it("survives garbage on the socket and requests cut off mid-body", async () => {
    await new Promise<void>((resolve) => {
      const s = connect(emu.port, "127.0.0.1", () => s.end("NOT HTTP AT ALL\r\n\r\n"));
      s.on("close", () => resolve());
      s.on("error", () => resolve());
      s.resume();
    });
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${emu.url}/user/tokens`, {
        method: "POST",
        headers: { "content-length": "1000", authorization: `Bearer ${emu.apiToken}` },
      });
      req.on("error", () => resolve());
      req.write('{"name": "half');
      setImmediate(() => {
        req.destroy();
        resolve();
      });
    });
    expect((await call(emu, "GET", "/user/tokens/verify")).status).toBe(200);
  });
});

describe("rate limit", () => {
  it("sends Ratelimit and Ratelimit-Policy on every answer, and Retry-After on none but 429", async () => {
    const answers = [
      await call(emu, "GET", "/user/tokens/verify"),
      await call(emu, "GET", "/user/tokens/verify", { token: "bad" }),
      await call(emu, "GET", "/nope"),
      await call(emu, "GET", "/user/tokens", { token: null }),
      await call(emu, "POST", "/user/tokens", { rawBody: "{" }),
    ];
    for (const a of answers) {
      expect(a.headers.get("ratelimit")).toMatch(/^"default";r=\d+;t=\d+$/);
      expect(a.headers.get("ratelimit-policy")).toBe('"burst";q=1200;w=300');
      expect(a.headers.get("retry-after")).toBeNull();
    }
    // The bootstrap token made 3 of those calls (the others were anonymous or another token).
    const r = await call(emu, "GET", "/user/tokens/verify");
    expect(r.headers.get("ratelimit")).toBe('"default";r=1196;t=300');
  });

  it("past the quota answers 429 971 with Retry-After for the whole window, per token", async () => {
    const other = await mintUserToken(emu, [G.aiSearchIndexEngine]);
    emu.configure({ rateLimit: { quota: 3, windowSeconds: 60 } });
    for (let i = 0; i < 3; i++) expect((await call(emu, "GET", "/user/tokens/verify")).status).toBe(200);
    const limited = await call(emu, "GET", "/user/tokens/verify");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(limited.headers.get("ratelimit")).toBe('"default";r=0;t=60');
    expect(limited.json.errors[0].code).toBe(971);
    // Another token has its own budget.
    expect((await call(emu, "GET", "/user/tokens/verify", { token: other.value })).status).toBe(200);
    clock.advance(30_000);
    const still = await call(emu, "GET", "/user/tokens/verify");
    expect(still.status).toBe(429);
    expect(still.headers.get("retry-after")).toBe("30");
    clock.advance(30_000);
    expect((await call(emu, "GET", "/user/tokens/verify")).status).toBe(200);
  });

  it("uses the AI Search envelope on AI Search routes", async () => {
    emu.configure({ rateLimit: { quota: 1 } });
    await call(emu, "GET", `/accounts/${emu.accountId}/ai-search/tokens`);
    const r = await call(emu, "GET", `/accounts/${emu.accountId}/ai-search/tokens`);
    expect(r.status).toBe(429);
    expect(r.json.result).toEqual({});
  });

  it("can be switched off: never 429, headers still sent", async () => {
    emu.configure({ rateLimit: { quota: 1, enabled: false } });
    for (let i = 0; i < 5; i++) {
      const r = await call(emu, "GET", "/user/tokens/verify");
      expect(r.status).toBe(200);
      expect(r.headers.get("ratelimit-policy")).toBe('"burst";q=1;w=300');
    }
  });
});

describe("logs", () => {
  it("never contain a token value, an Authorization header or a cf_api_key", async () => {
    logLines.length = 0;
    const s = await registerServiceToken(emu);
    const url = `/accounts/${emu.accountId}/ai-search/tokens`;
    await call(emu, "POST", url, {
      body: { cf_api_id: s.apiTokenId, cf_api_key: "cfut_wrongsecret123", name: "n" },
    });
    await call(emu, "GET", `/user/tokens/${s.apiTokenValue}`);
    await call(emu, "GET", "/user/tokens", { token: "cfut_leakcheck" });
    await call(emu, "POST", url, { rawBody: `{"cf_api_key":"${s.apiTokenValue}"` });
    expect(logLines.length).toBeGreaterThan(4);
    const all = logLines.join("\n");
    for (const secret of [emu.apiToken, s.apiTokenValue, "cfut_wrongsecret123", "cfut_leakcheck"]) {
      expect(all).not.toContain(secret);
    }
    expect(all).not.toMatch(/bearer/i);
    expect(all).toContain("[redacted]");
  });
});

describe("latencyMs", () => {
  it("holds every API answer back while the admin API answers at once; 0 answers at once", async () => {
    emu.configure({ latencyMs: 60_000 });
    const abort = new AbortController();
    let answered = false;
    const held = fetch(`${emu.url}/user/tokens/verify`, {
      headers: { authorization: `Bearer ${emu.apiToken}` },
      signal: abort.signal,
    }).then(
      () => (answered = true),
      () => undefined,
    );
    // The request has arrived (it is counted) but its answer is held back.
    while (emu.requestCounts().total === 0) await new Promise((r) => setImmediate(r));
    const info = await fetch(emu.adminUrl + "/info");
    expect(info.status).toBe(200);
    emu.configure({ latencyMs: 0 });
    const quick = await call(emu, "GET", "/user/tokens/verify");
    expect(quick.status).toBe(200);
    expect(answered).toBe(false);
    abort.abort();
    await held;
    expect(answered).toBe(false);
  });
});
