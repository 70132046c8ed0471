// The emulator on a bad day of its own: malformed JSON, oversized and slow bodies, wrong content
// types and a seeded fuzz of random bodies on every route. None may crash it, hang it, or get a
// 5xx the real API would not send (with no fault injected, Cloudflare answers these with 4xx).
import * as net from "node:net";
import { request } from "undici";
import { startEmulator, type EmulatorHandle } from "../../emulator";

jest.setTimeout(180_000);

let emu: EmulatorHandle;
let tokenId: string;
let aiTokenId: string;
const INSTANCE = "fuzz-docs";
beforeAll(async () => {
  emu = await startEmulator({ port: 0, rateLimit: { enabled: false } });
  const minted = await call("POST", "/user/tokens", {
    name: "fuzz",
    policies: [
      {
        effect: "allow",
        resources: { [`com.cloudflare.api.account.${emu.accountId}`]: "*" },
        permission_groups: [{ id: await aiSearchGroupId() }],
      },
    ],
  });
  const result = (minted.json as { result: { id: string; value: string } }).result;
  tokenId = result.id;
  const registered = await call("POST", `/accounts/${emu.accountId}/ai-search/tokens`, {
    cf_api_id: result.id,
    cf_api_key: result.value,
    name: "fuzz",
  });
  aiTokenId = (registered.json as { result: { id: string } }).result.id;
  await call("POST", `/accounts/${emu.accountId}/ai-search/instances`, {
    id: INSTANCE,
    type: "r2",
    source: "docs-bucket",
    token_id: aiTokenId,
  });
});
afterAll(async () => emu?.close());

async function aiSearchGroupId(): Promise<string> {
  const groups = await call("GET", "/user/tokens/permission_groups");
  const list = (groups.json as { result: { id: string; name: string }[] }).result;
  const group = list.find((g) => /AI Search/i.test(g.name)) ?? list[0];
  if (!group) throw new Error("the emulator lists no permission groups");
  return group.id;
}

interface Answer {
  status: number;
  json: unknown;
}

/** A route template with the ids of this run. */
const fill = (template: string) =>
  template.replace(":account", emu.accountId).replace(":token", tokenId).replace(":aiToken", aiTokenId);

async function call(
  method: string,
  template: string,
  body?: unknown,
  options: { raw?: string | Buffer; contentType?: string } = {},
): Promise<Answer> {
  const payload = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const res = await request(`${emu.url}${fill(template)}`, {
    method: method as "GET",
    headers: {
      authorization: `Bearer ${emu.apiToken}`,
      ...(payload !== undefined ? { "content-type": options.contentType ?? "application/json" } : {}),
    },
    ...(payload !== undefined ? { body: payload } : {}),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.statusCode, json };
}

/** Every route the emulator serves, as templates: `:account`, `:token`, `:aiToken` are filled in at run time. */
function routes(): [string, string][] {
  const a = `/accounts/:account`;
  const tokenRoutes = (base: string): [string, string][] => [
    ["GET", base],
    ["POST", base],
    ["GET", `${base}/permission_groups`],
    ["GET", `${base}/verify`],
    ["GET", `${base}/:token`],
    ["PUT", `${base}/:token`],
    ["PUT", `${base}/:token/value`],
  ];
  return [
    ...tokenRoutes("/user/tokens"),
    ...tokenRoutes(`${a}/tokens`),
    ["GET", `${a}/ai-search/tokens`],
    ["POST", `${a}/ai-search/tokens`],
    ["GET", `${a}/ai-search/tokens/:aiToken`],
    ["PUT", `${a}/ai-search/tokens/:aiToken`],
    ["GET", `${a}/ai-search/instances`],
    ["POST", `${a}/ai-search/instances`],
    ["GET", `${a}/ai-search/instances/fuzz-docs`],
    ["PUT", `${a}/ai-search/instances/fuzz-docs`],
    ["GET", `${a}/ai-search/instances/fuzz-docs/stats`],
    ["GET", `${a}/ai-search/namespaces/default/instances`],
    ["POST", `${a}/ai-search/namespaces/default/instances`],
    ["PUT", `${a}/ai-search/namespaces/default/instances/fuzz-docs`],
  ];
}

/** mulberry32: the fuzz is reproducible from its seed. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELDS = [
  "id",
  "name",
  "type",
  "source",
  "token_id",
  "cf_api_id",
  "cf_api_key",
  "policies",
  "status",
  "legacy",
  "max_num_results",
  "cache_ttl",
  "chunk_size",
  "source_params",
  "permission_groups",
  "resources",
  "effect",
  "condition",
  "expires_on",
  "not_before",
  "paused",
  "index_method",
  "__proto__",
  "constructor",
];

function randomValue(rand: () => number, depth: number): unknown {
  const pick = Math.floor(rand() * (depth > 2 ? 6 : 9));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2:
      return Math.floor((rand() - 0.5) * 10 ** Math.floor(rand() * 12));
    case 3:
      return rand() * 1e308 * (rand() < 0.5 ? -1 : 1);
    case 4:
      return "x".repeat(Math.floor(rand() * 300));
    case 5:
      return String.fromCharCode(...Array.from({ length: 8 }, () => Math.floor(rand() * 0xd7ff)));
    case 6:
      return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
    default:
      return randomObject(rand, depth + 1);
  }
}

function randomObject(rand: () => number, depth: number): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  const n = Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) {
    const key = FIELDS[Math.floor(rand() * FIELDS.length)] ?? "k";
    Object.defineProperty(obj, key, { value: randomValue(rand, depth), enumerable: true, writable: true });
  }
  return obj;
}

function randomBody(rand: () => number): { raw: string | Buffer; contentType: string } {
  const contentTypes = [
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "application/json; charset=latin1",
    "",
  ];
  const contentType = contentTypes[Math.floor(rand() * contentTypes.length)] ?? "application/json";
  const kind = rand();
  if (kind < 0.6) return { raw: JSON.stringify(randomObject(rand, 0)), contentType };
  if (kind < 0.75) return { raw: JSON.stringify(randomValue(rand, 0)) ?? "null", contentType };
  if (kind < 0.9) {
    const text = JSON.stringify(randomObject(rand, 0));
    return { raw: text.slice(0, Math.floor(rand() * text.length)), contentType };
  }
  return {
    raw: Buffer.from(Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256))),
    contentType,
  };
}

async function healthy(): Promise<boolean> {
  const res = await request(emu.url.replace(/\/client\/v4$/, "/__emulator/health"), {
    headersTimeout: 5_000,
  });
  await res.body.dump();
  return res.statusCode === 200;
}

describe("malformed and hostile bodies", () => {
  it.each(routes().filter(([m]) => m !== "GET"))(
    "%s %s: malformed JSON is a 400 with code 6007",
    async (method, path) => {
      const res = await call(method, path, undefined, { raw: '{"name": "x",' });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.json)).toContain("6007");
    },
  );

  it("an oversized body is a 413 envelope, and the emulator keeps serving", async () => {
    const res = await call("POST", `/accounts/${emu.accountId}/ai-search/instances`, undefined, {
      raw: JSON.stringify({ id: "big", type: "r2", source: "b", description: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(await healthy()).toBe(true);
  });

  it("a body that arrives slowly is read whole; one that stops half-way does not block others", async () => {
    const body = JSON.stringify({ name: "slow" });
    const url = new URL(emu.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST ${url.pathname}/user/tokens/verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${emu.apiToken}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
        );
        let i = 0;
        const timer = setInterval(() => {
          socket.write(body.slice(i, i + 3));
          i += 3;
          if (i >= body.length) clearInterval(timer);
        }, 30);
      });
      let text = "";
      socket.on("data", (d: Buffer) => (text += d.toString()));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 [1-4]\d\d /);

    const stalled = net.connect(Number(url.port), url.hostname);
    await new Promise((r) => stalled.once("connect", r));
    stalled.write(
      `POST ${url.pathname}/user/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${emu.apiToken}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`,
    );
    expect(await healthy()).toBe(true);
    expect((await call("GET", "/user/tokens/verify")).status).toBe(200);
    stalled.destroy();
    expect(await healthy()).toBe(true);
  });

  it.each([
    ["text/plain", '{"name":"x"}'],
    ["application/x-www-form-urlencoded", "name=x&type=r2"],
    ["multipart/form-data; boundary=x", "--x\r\n\r\nname\r\n--x--"],
  ])("a body sent as %s gets a 4xx envelope, never a 5xx", async (contentType, raw) => {
    const res = await call("POST", `/accounts/${emu.accountId}/ai-search/instances`, undefined, {
      raw,
      contentType,
    });
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(500);
    expect(res.json).toHaveProperty("success");
  });
});

describe("seeded fuzz of random bodies on every route", () => {
  const SEED = 12;
  const ROUNDS = 40;
  it(`seed ${SEED}: ${ROUNDS} random bodies a route, no 5xx, no hang, no crash`, async () => {
    const rand = seeded(SEED);
    const fiveHundreds: string[] = [];
    let sent = 0;
    for (const [method, path] of routes()) {
      for (let i = 0; i < ROUNDS; i++) {
        const body = randomBody(rand);
        const res = await call(method, path, undefined, body).catch((e: unknown) => ({
          status: -1,
          json: String(e),
        }));
        sent++;
        if (res.status >= 500 || res.status < 0) {
          fiveHundreds.push(
            `${method} ${path} ${res.status} ${JSON.stringify(res.json).slice(0, 200)} body=${String(body.raw).slice(0, 100)}`,
          );
        }
      }
    }
    expect(fiveHundreds).toEqual([]);
    expect(sent).toBe(routes().length * ROUNDS);
    expect(await healthy()).toBe(true);
    // Still the emulator it was: the instance the fuzz could not legally delete is there.
    expect((await call("GET", `/accounts/${emu.accountId}/ai-search/instances/fuzz-docs`)).status).toBe(200);
  });
});
