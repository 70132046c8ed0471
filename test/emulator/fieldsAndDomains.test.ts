// The SDK 7.3 instance fields and public-endpoint rules over raw HTTP, for instances and
// namespaces alike: the type inferred from the source, the custom-metadata limits, boost_by
// fields, namespace names, custom domains kept when a PUT leaves them out (and echoed only when
// sent), one domain, 7090 / 7091 / 7093, and the separate-PUT rule (with its lax switch).
/* eslint-disable @typescript-eslint/no-unsafe-member-access -- raw JSON answers */
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { call, registerServiceToken } from "./helpers";

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.close());
beforeEach(async () => {
  emu.reset();
  await registerServiceToken(emu, "account token");
});

const nsUrl = (name?: string) =>
  `/accounts/${emu.accountId}/ai-search/namespaces${name === undefined ? "" : `/${name}`}`;
const instances = (ns = "default") => `${nsUrl(ns)}/instances`;
const codes = (r: { json: { errors: { code: number }[] } }) => r.json.errors.map((e) => e.code);
const messages = (r: { json: { errors: { message: string }[] } }) =>
  r.json.errors.map((e) => e.message).join("; ");
const endpoint = (extra: Record<string, unknown> = {}) => ({ enabled: true, ...extra });

describe("instance fields (SDK 7.3)", () => {
  it("infers type from the source: an http(s) URL is a web crawler, a bucket name r2; anything else 7052", async () => {
    const web = await call(emu, "POST", instances(), {
      body: { id: "w", source: "https://example.com/docs" },
    });
    expect(web.status).toBe(200);
    expect(web.json.result).toMatchObject({ type: "web-crawler", source: "https://example.com/docs" });
    const bucket = await call(emu, "POST", instances(), { body: { id: "b", source: "docs-bucket" } });
    expect(bucket.json.result).toMatchObject({ type: "r2", source: "docs-bucket" });
    expect(codes(await call(emu, "POST", instances(), { body: { id: "x", source: "example.com" } }))).toEqual(
      [7052],
    );
    expect(codes(await call(emu, "POST", instances(), { body: { id: "y", type: "r2" } }))).toEqual([7052]);
  });

  it("defaults index_method to vector and keyword, hybrid_search_enabled to true; takes use_ocr", async () => {
    const r = await call(emu, "POST", instances(), {
      body: { id: "i", indexing_options: { use_ocr: true } },
    });
    expect(r.json.result).toMatchObject({
      index_method: { vector: true, keyword: true },
      hybrid_search_enabled: true,
      indexing_options: { use_ocr: true },
    });
  });

  it("refuses more than 20 custom metadata fields, the reserved names, and an empty content_selector", async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ field_name: `f${i}`, data_type: "text" }));
    const tooMany = await call(emu, "POST", instances(), { body: { id: "m", custom_metadata: many } });
    expect(tooMany.status).toBe(400);
    expect(messages(tooMany)).toContain("custom_metadata");
    for (const name of ["timestamp", "folder", "filename"]) {
      const reserved = await call(emu, "POST", instances(), {
        body: { id: "m", custom_metadata: [{ field_name: name, data_type: "text" }] },
      });
      expect(reserved.status).toBe(400);
      expect(messages(reserved)).toContain("custom_metadata.0.field_name");
    }
    const empty = await call(emu, "POST", instances(), {
      body: {
        id: "c",
        type: "web-crawler",
        source: "https://example.com",
        source_params: { web_crawler: { parse_options: { content_selector: [] } } },
      },
    });
    expect(empty.status).toBe(400);
    expect(messages(empty)).toContain("content_selector");
  });

  it("boost_by: exists and not_exists are accepted; a field must be timestamp or custom metadata", async () => {
    const ok = await call(emu, "POST", instances(), {
      body: {
        id: "b",
        custom_metadata: [{ field_name: "lang", data_type: "text" }],
        retrieval_options: {
          boost_by: [
            { field: "lang", direction: "exists" },
            { field: "timestamp", direction: "not_exists" },
          ],
        },
      },
    });
    expect(ok.status).toBe(200);
    const unknown = await call(emu, "PUT", `${instances()}/b`, {
      body: { retrieval_options: { boost_by: [{ field: "author", direction: "exists" }] } },
    });
    expect(unknown.status).toBe(400);
    expect(messages(unknown)).toContain("retrieval_options.boost_by.0.field");
    const ordered = await call(emu, "PUT", `${instances()}/b`, {
      body: { retrieval_options: { boost_by: [{ field: "lang", direction: "desc" }] } },
    });
    expect(messages(ordered)).toContain("retrieval_options.boost_by.0.direction");
  });
});

describe("namespace names and public endpoint", () => {
  it("names are 1 to 28 lowercase letters, digits or '-', starting and ending with a letter or digit", async () => {
    for (const name of ["a".repeat(29), "team_a", "-team", "team-", "Team"]) {
      const r = await call(emu, "POST", nsUrl(), { body: { name } });
      expect([name, r.status]).toEqual([name, 400]);
    }
    expect((await call(emu, "POST", nsUrl(), { body: { name: "a".repeat(28) } })).status).toBe(200);
    expect((await call(emu, "POST", nsUrl(), { body: { name: "t-1" } })).status).toBe(200);
  });

  it("has a public_endpoint_id; instances_allowed must name instances of the namespace", async () => {
    const created = await call(emu, "POST", nsUrl(), { body: { name: "team" } });
    expect(created.json.result.public_endpoint_id).toMatch(/^[0-9a-f]{32}$/);
    const refused = await call(emu, "PUT", nsUrl("team"), {
      body: { public_endpoint_params: endpoint({ instances_allowed: ["docs"] }) },
    });
    expect(refused.status).toBe(400);
    expect(messages(refused)).toContain("docs");
    await call(emu, "POST", instances("team"), { body: { id: "docs" } });
    const ok = await call(emu, "PUT", nsUrl("team"), {
      body: { public_endpoint_params: endpoint({ instances_allowed: ["docs"] }) },
    });
    expect(ok.json.result.public_endpoint_params).toMatchObject({ instances_allowed: ["docs"] });
  });
});

describe("custom domains, instances and namespaces alike", () => {
  it("a PUT that leaves custom_domains out keeps them bound, and echoes null; an empty list unbinds", async () => {
    await call(emu, "POST", instances(), {
      body: { id: "d", public_endpoint_params: endpoint({ custom_domains: ["search.example.com"] }) },
    });
    const put = await call(emu, "PUT", `${instances()}/d`, { body: { public_endpoint_params: endpoint() } });
    expect(put.json.result.public_endpoint_params.custom_domains).toBeNull();
    const read = await call(emu, "GET", `${instances()}/d`);
    expect(read.json.result.public_endpoint_params.custom_domains).toEqual(["search.example.com"]);
    const unbind = await call(emu, "PUT", `${instances()}/d`, {
      body: { public_endpoint_params: endpoint({ custom_domains: [] }) },
    });
    expect(unbind.json.result.public_endpoint_params.custom_domains).toEqual([]);

    await call(emu, "POST", nsUrl(), {
      body: { name: "team", public_endpoint_params: endpoint({ custom_domains: ["ns.example.com"] }) },
    });
    await call(emu, "PUT", nsUrl("team"), { body: { public_endpoint_params: endpoint() } });
    expect((await call(emu, "GET", nsUrl("team"))).json.result.public_endpoint_params.custom_domains).toEqual(
      ["ns.example.com"],
    );
  });

  it("one domain; default_domain_enabled false needs one; 7093 without an enabled endpoint", async () => {
    const two = await call(emu, "POST", instances(), {
      body: {
        id: "d",
        public_endpoint_params: endpoint({ custom_domains: ["a.example.com", "b.example.com"] }),
      },
    });
    expect(two.status).toBe(400);
    const noDomain = await call(emu, "POST", nsUrl(), {
      body: { name: "n", public_endpoint_params: endpoint({ default_domain_enabled: false }) },
    });
    expect(messages(noDomain)).toContain("default_domain_enabled");
    const off = await call(emu, "POST", instances(), {
      body: { id: "d", public_endpoint_params: { custom_domains: ["a.example.com"] } },
    });
    expect(codes(off)).toEqual([7093]);
    expect(messages(off)).toContain("a.example.com");
  });

  it("7091 when another instance or namespace of the account has the domain; 7090 for another account's", async () => {
    await call(emu, "POST", instances(), {
      body: { id: "a", public_endpoint_params: endpoint({ custom_domains: ["search.example.com"] }) },
    });
    const byNamespace = await call(emu, "POST", nsUrl(), {
      body: { name: "n", public_endpoint_params: endpoint({ custom_domains: ["Search.example.com"] }) },
    });
    expect(codes(byNamespace)).toEqual([7091]);
    const byInstance = await call(emu, "POST", instances(), {
      body: { id: "b", public_endpoint_params: endpoint({ custom_domains: ["search.example.com"] }) },
    });
    expect(codes(byInstance)).toEqual([7091]);
    // The instance itself may send its own domain again.
    const again = await call(emu, "PUT", `${instances()}/a`, {
      body: { public_endpoint_params: endpoint({ custom_domains: ["search.example.com"] }) },
    });
    expect(again.status).toBe(200);

    emu.configure({ foreignCustomDomains: ["other.example"] });
    const foreign = await call(emu, "POST", instances(), {
      body: { id: "c", public_endpoint_params: endpoint({ custom_domains: ["docs.other.example"] }) },
    });
    expect(codes(foreign)).toEqual([7090]);
  });

  it("refuses custom domains with a restrictive public endpoint change in one PUT, unless lax", async () => {
    await call(emu, "POST", instances(), {
      body: { id: "d", public_endpoint_params: endpoint({ custom_domains: ["search.example.com"] }) },
    });
    const mixed = {
      public_endpoint_params: endpoint({ authorized_hosts: ["app.example.com"], custom_domains: [] }),
    };
    const refused = await call(emu, "PUT", `${instances()}/d`, { body: mixed });
    expect(refused.status).toBe(400);
    expect(messages(refused)).toContain("separate PUT requests");
    // Each on its own is fine; so is widening (not restrictive) with a domain.
    expect(
      (
        await call(emu, "PUT", `${instances()}/d`, {
          body: { public_endpoint_params: endpoint({ custom_domains: [] }) },
        })
      ).status,
    ).toBe(200);
    await call(emu, "POST", nsUrl(), { body: { name: "n", public_endpoint_params: endpoint() } });
    const nsMixed = await call(emu, "PUT", nsUrl("n"), {
      body: {
        public_endpoint_params: endpoint({ rate_limit: { requests: 5 }, custom_domains: ["n.example.com"] }),
      },
    });
    expect(nsMixed.status).toBe(400);
    const metadata = await call(emu, "PUT", `${instances()}/d`, {
      body: {
        metadata: { worker_domain: "w.example.com" },
        public_endpoint_params: endpoint({ custom_domains: [] }),
      },
    });
    expect(metadata.status).toBe(400);

    emu.configure({ separatePublicEndpointPuts: "lax" });
    expect((await call(emu, "PUT", `${instances()}/d`, { body: mixed })).status).toBe(200);
  });
});
