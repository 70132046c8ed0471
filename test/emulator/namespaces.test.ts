// Contract of the AI Search namespace routes over raw HTTP, and of instances in a namespace other
// than `default` (reference 3.1).
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- raw JSON answers */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { parseCli } from "../../emulator/cli";
import { admin, call, fakeClock, G, mintUserToken, registerServiceToken } from "./helpers";

const clock = fakeClock();
let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, now: clock.now });
});
afterAll(() => emu.close());
// A create without token_id relies on the account's AI Search token (accountTokenRequiredFor
// "every-instance"): every test starts with one registered.
beforeEach(async () => {
  emu.reset();
  await registerServiceToken(emu, "account token");
});

const nsUrl = (name?: string) =>
  `/accounts/${emu.accountId}/ai-search/namespaces${name === undefined ? "" : `/${name}`}`;
const instancesIn = (ns: string) => `${nsUrl(ns)}/instances`;
const codes = (r: { json: { errors: { code: number }[] } }) => r.json.errors.map((e) => e.code);

describe("namespaces CRUD", () => {
  it("default always exists, with no creation time", async () => {
    const r = await call(emu, "GET", nsUrl("default"));
    expect(r.status).toBe(200);
    expect(r.json.result).toMatchObject({ name: "default", description: null, created_at: null });
    const list = await call(emu, "GET", nsUrl());
    expect(list.json.result.map((n: { name: string }) => n.name)).toEqual(["default"]);
  });

  it("create, read, list, update, delete", async () => {
    const created = await call(emu, "POST", nsUrl(), {
      body: { name: "production", description: "prod docs", public_endpoint_params: { enabled: true } },
    });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ success: true, errors: [] });
    expect(created.json.result).toEqual({
      name: "production",
      description: "prod docs",
      created_at: "2026-03-01T12:00:00Z",
      public_endpoint_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      public_endpoint_params: { enabled: true },
    });
    expect((await call(emu, "GET", nsUrl("production"))).json.result).toEqual(created.json.result);

    const updated = await call(emu, "PUT", nsUrl("production"), {
      body: { description: "production docs", public_endpoint_params: { authorized_hosts: ["a.example"] } },
    });
    expect(updated.status).toBe(200);
    // public_endpoint_params is replaced whole: `enabled` is gone.
    expect(updated.json.result).toMatchObject({
      description: "production docs",
      public_endpoint_params: { authorized_hosts: ["a.example"] },
    });
    expect(emu.state().namespaces).toEqual([
      expect.objectContaining({ name: "default", instances: 0 }),
      {
        name: "production",
        description: "production docs",
        public_endpoint_params: { authorized_hosts: ["a.example"] },
        created_at: "2026-03-01T12:00:00.000Z",
        instances: 0,
      },
    ]);

    const deleted = await call(emu, "DELETE", nsUrl("production"));
    expect(deleted.status).toBe(200);
    expect(deleted.json.result.name).toBe("production");
    const gone = await call(emu, "GET", nsUrl("production"));
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({
      success: false,
      errors: [{ code: 7063, message: "namespace_not_found" }],
      result: {},
    });
    expect(codes(await call(emu, "PUT", nsUrl("production"), { body: {} }))).toEqual([7063]);
    expect(codes(await call(emu, "DELETE", nsUrl("production")))).toEqual([7063]);
  });

  it("a taken name is 7064 (409), default included", async () => {
    await call(emu, "POST", nsUrl(), { body: { name: "docs" } });
    for (const name of ["docs", "default"]) {
      const r = await call(emu, "POST", nsUrl(), { body: { name } });
      expect(r.status).toBe(409);
      expect(r.json.errors).toEqual([{ code: 7064, message: "namespace_already_exists" }]);
    }
  });

  it("default cannot be deleted nor its description changed (7065); its public endpoint can", async () => {
    const del = await call(emu, "DELETE", nsUrl("default"));
    expect(del.status).toBe(400);
    expect(codes(del)).toEqual([7065]);
    const desc = await call(emu, "PUT", nsUrl("default"), { body: { description: "mine" } });
    expect(desc.status).toBe(400);
    expect(codes(desc)).toEqual([7065]);
    const pep = await call(emu, "PUT", nsUrl("default"), {
      body: { public_endpoint_params: { enabled: true } },
    });
    expect(pep.status).toBe(200);
    expect(pep.json.result).toMatchObject({
      name: "default",
      description: null,
      public_endpoint_params: { enabled: true },
    });
  });

  it("maxNamespaces counts default; one more is 7062 (403)", async () => {
    emu.configure({ maxNamespaces: 3 });
    expect((await call(emu, "POST", nsUrl(), { body: { name: "a" } })).status).toBe(200);
    expect((await call(emu, "POST", nsUrl(), { body: { name: "b" } })).status).toBe(200);
    const r = await call(emu, "POST", nsUrl(), { body: { name: "c" } });
    expect(r.status).toBe(403);
    expect(codes(r)).toEqual([7062]);
    await call(emu, "DELETE", nsUrl("b"));
    expect((await call(emu, "POST", nsUrl(), { body: { name: "c" } })).status).toBe(200);
  });

  it("the default limit is 100 namespaces", async () => {
    for (let i = 1; i < 100; i++) {
      expect((await call(emu, "POST", nsUrl(), { body: { name: `n${i}` } })).status).toBe(200);
    }
    expect(codes(await call(emu, "POST", nsUrl(), { body: { name: "one-too-many" } }))).toEqual([7062]);
  });

  it("validates the body: name rule, description at most 256, no rename, unknown fields", async () => {
    for (const body of [
      { name: "Upper" },
      { name: "" },
      { name: "ok", description: "x".repeat(257) },
      { name: "ok", extra: true },
      { description: "no name" },
    ]) {
      const r = await call(emu, "POST", nsUrl(), { body });
      expect(r.status).toBe(400);
      expect(codes(r).every((c) => c === 1001)).toBe(true);
    }
    expect(
      (await call(emu, "POST", nsUrl(), { body: { name: "ok", description: "x".repeat(256) } })).status,
    ).toBe(200);
    const rename = await call(emu, "PUT", nsUrl("ok"), { body: { name: "other" } });
    expect(rename.status).toBe(400);
    expect(rename.json.errors[0].path).toEqual(["name"]);
  });

  it("lists page by page with result_info and filter by name or description", async () => {
    for (const [name, description] of [
      ["alpha", "first"],
      ["beta", "Second ALPHA-like"],
      ["gamma", null],
    ] as const) {
      await call(emu, "POST", nsUrl(), { body: { name, description } });
    }
    const p1 = await call(emu, "GET", `${nsUrl()}?per_page=2`);
    expect(p1.json.result.map((n: { name: string }) => n.name)).toEqual(["default", "alpha"]);
    expect(p1.json.result_info).toEqual({ page: 1, per_page: 2, count: 2, total_count: 4 });
    const p2 = await call(emu, "GET", `${nsUrl()}?per_page=2&page=2`);
    expect(p2.json.result.map((n: { name: string }) => n.name)).toEqual(["beta", "gamma"]);
    const p3 = await call(emu, "GET", `${nsUrl()}?per_page=2&page=3`);
    expect(p3.json.result).toEqual([]);
    const found = await call(emu, "GET", `${nsUrl()}?search=alpha`);
    expect(found.json.result.map((n: { name: string }) => n.name)).toEqual(["alpha", "beta"]);
  });

  it("reads need Auto Rag Read or Write; writes need Write (9109)", async () => {
    const reader = (await mintUserToken(emu, [G.autoRagRead])).value;
    expect((await call(emu, "GET", nsUrl(), { token: reader })).status).toBe(200);
    const w = await call(emu, "POST", nsUrl(), { token: reader, body: { name: "x" } });
    expect(w.status).toBe(403);
    expect(codes(w)).toEqual([9109]);
  });
});

describe("instances in a namespace", () => {
  it("ids are unique per namespace; the account-level routes act on default", async () => {
    await call(emu, "POST", nsUrl(), { body: { name: "docs" } });
    expect((await call(emu, "POST", instancesIn("docs"), { body: { id: "same" } })).status).toBe(200);
    expect((await call(emu, "POST", instancesIn("default"), { body: { id: "same" } })).status).toBe(200);
    const dup = await call(emu, "POST", instancesIn("docs"), { body: { id: "same" } });
    expect(codes(dup)).toEqual([7022]);

    const inDocs = await call(emu, "GET", `${instancesIn("docs")}/same`);
    expect(inDocs.json.result.namespace).toBe("docs");
    const account = `/accounts/${emu.accountId}/ai-search/instances`;
    expect((await call(emu, "GET", `${account}/same`)).json.result.namespace).toBe("default");
    expect(
      (await call(emu, "GET", account)).json.result.map((i: { namespace: string }) => i.namespace),
    ).toEqual(["default"]);
    // The account-level list's `namespace` filter selects another namespace.
    const filtered = await call(emu, "GET", `${account}?namespace=docs`);
    expect(filtered.json.result.map((i: { namespace: string }) => i.namespace)).toEqual(["docs"]);
    expect(codes(await call(emu, "GET", `${account}?namespace=nope`))).toEqual([7063]);

    const put = await call(emu, "PUT", `${instancesIn("docs")}/same`, { body: { max_num_results: 7 } });
    expect(put.json.result).toMatchObject({ namespace: "docs", max_num_results: 7 });
    expect((await call(emu, "GET", `${account}/same`)).json.result.max_num_results).not.toBe(7);
    expect((await call(emu, "GET", `${instancesIn("docs")}/same/stats`)).status).toBe(200);
    // A move is the PATCH's (below): `namespace` is not a field of the PUT (or create) body.
    const move = await call(emu, "PUT", `${instancesIn("docs")}/same`, { body: { namespace: "default" } });
    expect(move.status).toBe(400);
    expect(move.json.errors[0].message).toMatch(/namespace/);
    expect(emu.state().instances.map((i) => `${i.namespace}/${i.id}`)).toEqual(["docs/same", "default/same"]);
  });

  it("an unknown namespace is 7063 on every instance route", async () => {
    for (const [method, path] of [
      ["POST", instancesIn("nope")],
      ["GET", instancesIn("nope")],
      ["GET", `${instancesIn("nope")}/x`],
      ["PUT", `${instancesIn("nope")}/x`],
      ["DELETE", `${instancesIn("nope")}/x`],
      ["GET", `${instancesIn("nope")}/x/stats`],
    ] as const) {
      const r = await call(emu, method, path, {
        body: method === "POST" ? { id: "x" } : method === "PUT" ? {} : undefined,
      });
      expect([method, path, r.status, codes(r)]).toEqual([method, path, 404, [7063]]);
    }
  });

  it("a namespace holding instances cannot be deleted (7066, 409), also while one is being torn down", async () => {
    emu.configure({ instanceDeleteMs: 5000 });
    await call(emu, "POST", nsUrl(), { body: { name: "docs" } });
    await call(emu, "POST", instancesIn("docs"), { body: { id: "one" } });
    const busy = await call(emu, "DELETE", nsUrl("docs"));
    expect(busy.status).toBe(409);
    expect(busy.json.errors).toEqual([{ code: 7066, message: "namespace_has_instances" }]);
    expect((await call(emu, "DELETE", `${instancesIn("docs")}/one`)).status).toBe(200);
    expect(codes(await call(emu, "DELETE", nsUrl("docs")))).toEqual([7066]);
    clock.advance(5000);
    expect((await call(emu, "DELETE", nsUrl("docs"))).status).toBe(200);
  });
});

describe("moving an instance between namespaces (PATCH {new_namespace}, API reference)", () => {
  it("moves it with its index, jobs, stats and public endpoint id, and back to default", async () => {
    await call(emu, "POST", nsUrl(), { body: { name: "team" } });
    const created = await call(emu, "POST", instancesIn("default"), {
      body: { id: "site", type: "web-crawler", source: "example.com", max_num_results: 7 },
    });
    expect(created.status).toBe(200);
    const inDefault = `${instancesIn("default")}/site`;
    const job = (await call(emu, "POST", `${inDefault}/jobs`)).json.result;
    clock.advance(60_000); // the job ends: its items are indexed
    const statsBefore = (await call(emu, "GET", `${inDefault}/stats`)).json.result;
    expect(statsBefore.completed).toBeGreaterThan(0);

    const moved = await call(emu, "PATCH", inDefault, { body: { new_namespace: "team" } });
    expect(moved.status).toBe(200);
    expect(moved.json.result).toMatchObject({ id: "site", namespace: "team" });
    const inTeam = `${instancesIn("team")}/site`;
    expect(codes(await call(emu, "GET", inDefault))).toEqual([7002]);
    expect((await call(emu, "GET", inTeam)).json.result).toMatchObject({
      namespace: "team",
      max_num_results: 7,
      public_endpoint_id: created.json.result.public_endpoint_id,
      created_at: created.json.result.created_at,
    });
    expect((await call(emu, "GET", `${inTeam}/stats`)).json.result).toEqual(statsBefore);
    expect((await call(emu, "GET", `${inTeam}/jobs/${job.id}`)).json.result.id).toBe(job.id);
    expect(
      (await call(emu, "GET", `${instancesIn("team")}`)).json.result.map((i: { id: string }) => i.id),
    ).toEqual(["site"]);

    // `default` moves it back; a move to where it is changes nothing.
    expect((await call(emu, "PATCH", inTeam, { body: { new_namespace: "default" } })).status).toBe(200);
    expect((await call(emu, "PATCH", inDefault, { body: { new_namespace: "default" } })).status).toBe(200);
    expect(emu.state().instances.map((i) => `${i.namespace}/${i.id}`)).toEqual(["default/site"]);
    expect((await call(emu, "GET", `${inDefault}/stats`)).json.result).toEqual(statsBefore);
  });

  it("refuses a target that holds an instance with that id (400), and an unknown target (7063); nothing moves", async () => {
    await call(emu, "POST", nsUrl(), { body: { name: "team" } });
    await call(emu, "POST", instancesIn("default"), { body: { id: "same", max_num_results: 3 } });
    await call(emu, "POST", instancesIn("team"), { body: { id: "same", max_num_results: 9 } });
    const taken = await call(emu, "PATCH", `${instancesIn("default")}/same`, {
      body: { new_namespace: "team" },
    });
    expect(taken.status).toBe(400);
    expect(codes(taken)).toEqual([7022]);
    const unknown = await call(emu, "PATCH", `${instancesIn("default")}/same`, {
      body: { new_namespace: "nope" },
    });
    expect([unknown.status, codes(unknown)]).toEqual([404, [7063]]);
    const bad = await call(emu, "PATCH", `${instancesIn("default")}/same`, { body: { namespace: "team" } });
    expect(bad.status).toBe(400);
    expect(
      emu.state().instances.map((i) => `${i.namespace}/${i.id}/${String(i.settings.max_num_results)}`),
    ).toEqual(["default/same/3", "team/same/9"]);
  });
});

describe("retireAccountLevelInstanceRoutes", () => {
  const account = () => `/accounts/${emu.accountId}/ai-search/instances`;
  const noRoute = (r: { status: number; json: { errors: { code: number }[] } }) => [r.status, codes(r)];

  it("an unknown path is 404 with 7003 and 7000", async () => {
    const r = await call(emu, "GET", `/accounts/${emu.accountId}/ai-search/nothing-here`);
    expect(noRoute(r)).toEqual([404, [7003, 7000]]);
  });

  it("off (the default): the account-level routes are served", async () => {
    expect((await call(emu, "POST", account(), { body: { id: "a" } })).status).toBe(200);
    expect((await call(emu, "GET", `${account()}/a`)).status).toBe(200);
  });

  it("on: every account-level instance route answers as an unknown path; the namespaced ones still serve", async () => {
    await call(emu, "POST", instancesIn("default"), {
      body: { id: "a", type: "web-crawler", source: "example.com" },
    });
    await admin(emu, "PUT", "/config", { retireAccountLevelInstanceRoutes: true });
    try {
      const unknownPath = await call(emu, "GET", `/accounts/${emu.accountId}/ai-search/nothing-here`);
      for (const [method, path, body] of [
        ["POST", account(), { id: "b" }],
        ["GET", account(), undefined],
        ["GET", `${account()}/a`, undefined],
        ["PUT", `${account()}/a`, {}],
        ["PATCH", `${account()}/a`, { new_namespace: "default" }],
        ["DELETE", `${account()}/a`, undefined],
        ["GET", `${account()}/a/stats`, undefined],
        ["POST", `${account()}/a/jobs`, {}],
        ["GET", `${account()}/a/jobs`, undefined],
      ] as const) {
        const r = await call(emu, method, path, { body });
        expect([method, path, ...noRoute(r)]).toEqual([method, path, 404, [7003, 7000]]);
        // The same envelope as any path Cloudflare does not serve.
        const keys = (json: unknown) => Object.keys(json as object).sort();
        expect(keys(r.json)).toEqual(keys(unknownPath.json));
      }
      expect((await call(emu, "GET", `${instancesIn("default")}/a`)).status).toBe(200);
      expect(emu.state().instances.map((i) => i.id)).toEqual(["a"]);
    } finally {
      await admin(emu, "PUT", "/config", { retireAccountLevelInstanceRoutes: false });
    }
  });

  it("is a start-up option and a CLI flag", async () => {
    const retired = await startEmulator({ port: 0, retireAccountLevelInstanceRoutes: true });
    try {
      const r = await call(retired, "GET", `/accounts/${retired.accountId}/ai-search/instances`);
      expect(noRoute(r)).toEqual([404, [7003, 7000]]);
    } finally {
      await retired.close();
    }
    expect(parseCli(["--retire-account-level-instance-routes"], {})?.behaviour).toMatchObject({
      retireAccountLevelInstanceRoutes: true,
    });
  });
});

describe("persistence", () => {
  it("namespaces and their instances survive a restart from the data file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-ns-"));
    const dataFile = join(dir, "state.json");
    try {
      const first = await startEmulator({ port: 0, dataFile });
      await registerServiceToken(first);
      await call(first, "POST", `/accounts/${first.accountId}/ai-search/namespaces`, {
        body: { name: "kept", description: "survives" },
      });
      await call(first, "POST", `/accounts/${first.accountId}/ai-search/namespaces/kept/instances`, {
        body: { id: "inst" },
      });
      await first.close();
      const second = await startEmulator({ port: 0, dataFile });
      try {
        const r = await call(second, "GET", `/accounts/${second.accountId}/ai-search/namespaces/kept`);
        expect(r.json.result).toMatchObject({ name: "kept", description: "survives" });
        const i = await call(
          second,
          "GET",
          `/accounts/${second.accountId}/ai-search/namespaces/kept/instances/inst`,
        );
        expect(i.json.result.namespace).toBe("kept");
        expect(second.state().namespaces.map((n) => n.name)).toEqual(["default", "kept"]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("sync jobs survive a restart; a data file from before namespaces and jobs still loads", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-jobs-"));
    const dataFile = join(dir, "state.json");
    try {
      const first = await startEmulator({ port: 0, dataFile, jobDurationMs: 3_600_000 });
      await registerServiceToken(first);
      const base = `/accounts/${first.accountId}/ai-search/instances`;
      await call(first, "POST", base, { body: { id: "web", type: "web-crawler", source: "example.com" } });
      const job = (await call(first, "POST", `${base}/web/jobs`, { body: { description: "kept" } })).json
        .result;
      await first.close();
      const second = await startEmulator({ port: 0, dataFile });
      try {
        const r = await call(second, "GET", `${base}/web/jobs/${job.id}`);
        expect(r.json.result).toMatchObject({ id: job.id, description: "kept" });
        expect(r.json.result).not.toHaveProperty("ended_at");
        // Still in its cooldown after the restart.
        expect((await call(second, "POST", `${base}/web/jobs`)).status).toBe(429);
      } finally {
        await second.close();
      }
      // The same file without the two newer keys, as an older emulator wrote it.
      const old = JSON.parse(readFileSync(dataFile, "utf8")) as Record<string, unknown>;
      delete old.namespaces;
      delete old.jobs;
      writeFileSync(dataFile, JSON.stringify(old));
      const third = await startEmulator({ port: 0, dataFile });
      try {
        expect(third.state().namespaces.map((n) => n.name)).toEqual(["default"]);
        expect(third.state().jobs).toEqual([]);
        expect((await call(third, "GET", `${base}/web`)).json.result.namespace).toBe("default");
      } finally {
        await third.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
