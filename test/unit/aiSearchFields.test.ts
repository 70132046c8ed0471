// The SDK 7.3 fields at preview (check) and in the diff, for AiSearchInstance and
// AiSearchNamespace: use_ocr, the vector-and-keyword default, boost_by directions and fields, a
// type the API infers from the source, custom-metadata limits, namespace names, the custom-domain
// rules, what a removed public endpoint sends, and the order of the separate PUTs.
import type { AiSearchInstanceInputs, AiSearchInstanceOutputs } from "../../provider/aiSearchInstance/args";
import { createBody, updateBody } from "../../provider/aiSearchInstance/mapping";
import * as instance from "../../provider/aiSearchInstance/provider";
import { reindexingChanges } from "../../provider/aiSearchInstance/reindexing";
import { resetsOfRemoved, withoutKeptRemovals } from "../../provider/aiSearchInstance/removedSettings";
import * as namespace from "../../provider/aiSearchNamespace/provider";
import type { AiSearchNamespaceOutputs } from "../../provider/aiSearchNamespace/args";
import { separatePuts } from "../../provider/publicEndpoint/separatePuts";
import { UNKNOWN } from "../../provider/validation";
import { ACCOUNT_ID } from "../support/mockCloudflare";

const TOKEN = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0";
const base = { accountId: ACCOUNT_ID, instanceId: "docs", tokenId: TOKEN };
const site = { ...base, type: "web-crawler", source: "https://example.com" };

function ok(news: Record<string, unknown>): AiSearchInstanceInputs {
  const { inputs, failures } = instance.check(news);
  expect(failures).toEqual([]);
  return inputs as AiSearchInstanceInputs;
}
/** The failures' properties, and every reason must name its property. */
function refused(check: typeof instance.check | typeof namespace.check, news: Record<string, unknown>) {
  const { failures } = check(news);
  for (const f of failures) expect(f.reason.startsWith(f.property)).toBe(true);
  return failures;
}
const props = (failures: { property: string }[]) => failures.map((f) => f.property);
const state = (inputs: AiSearchInstanceInputs, extra: Partial<AiSearchInstanceOutputs> = {}) =>
  ({ ...inputs, adopted: false, ...extra }) as AiSearchInstanceOutputs;

describe("indexing (use_ocr, index_method)", () => {
  it("takes indexingOptions.useOcr and sends it as indexing_options.use_ocr", () => {
    const inputs = ok({ ...site, indexingOptions: { useOcr: true } });
    expect(createBody(inputs).indexing_options).toEqual({ use_ocr: true });
    expect(updateBody(inputs).indexing_options).toEqual({ use_ocr: true });
  });

  it("a change of useOcr, the tokenizer or indexMethod is an update that is named as re-indexing", () => {
    const olds = state(ok({ ...site, indexingOptions: { useOcr: false } }));
    const news = ok({ ...site, indexingOptions: { useOcr: true } });
    expect(instance.diff(olds, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    expect(reindexingChanges(olds, news)).toEqual(["indexingOptions.useOcr"]);
    expect(reindexingChanges(olds, ok({ ...site, indexMethod: { keyword: false } }))).toEqual([
      "indexMethod",
    ]);
    // Declaring the defaults (vector and keyword, porter, no OCR) re-indexes nothing.
    expect(
      reindexingChanges(ok(site), ok({ ...site, indexMethod: { vector: true, keyword: true } })),
    ).toEqual([]);
  });

  it("removing useOcr sends false; removing indexMethod sends vector and keyword (the SDK 7.3 default)", () => {
    expect(resetsOfRemoved({ indexingOptions: { useOcr: true } }, {})).toEqual({
      indexingOptions: { useOcr: false },
    });
    expect(resetsOfRemoved({ indexMethod: { keyword: false, vector: true } }, {})).toEqual({
      indexMethod: { keyword: true, vector: true },
    });
  });

  it("sends both index_method keys: one left out is the API's default, true", () => {
    expect(createBody(ok({ ...site, indexMethod: { keyword: false } })).index_method).toEqual({
      keyword: false,
      vector: true,
    });
  });
});

describe("retrievalOptions.boostBy", () => {
  const metadata = [
    { fieldName: "lang", dataType: "text" },
    { fieldName: "rank", dataType: "number" },
  ];
  it("takes exists and not_exists, on timestamp and on declared metadata fields", () => {
    ok({
      ...site,
      customMetadata: metadata,
      retrievalOptions: {
        boostBy: [
          { field: "lang", direction: "exists" },
          { field: "rank", direction: "desc" },
          { field: "timestamp", direction: "not_exists" },
        ],
      },
    });
    // Metadata not declared: the instance's own may hold the field; not refused.
    ok({ ...site, retrievalOptions: { boostBy: [{ field: "author", direction: "exists" }] } });
  });

  it("refuses a field that is not declared, and asc/desc on a text field, naming the entry", () => {
    const failures = refused(instance.check, {
      ...site,
      customMetadata: metadata,
      retrievalOptions: {
        boostBy: [
          { field: "author", direction: "exists" },
          { field: "lang", direction: "asc" },
        ],
      },
    });
    expect(props(failures)).toEqual([
      "retrievalOptions.boostBy[0].field",
      "retrievalOptions.boostBy[1].direction",
    ]);
    expect(failures[0]!.reason).toContain('"timestamp", "lang", "rank"');
    expect(
      props(
        refused(instance.check, {
          ...site,
          retrievalOptions: { boostBy: [{ field: "x", direction: "up" }] },
        }),
      ),
    ).toEqual(["retrievalOptions.boostBy.0.direction"]);
  });
});

describe("type left out when source is given", () => {
  it("accepts an http(s) URL (web crawler) and a bucket name (r2, which then needs tokenId)", () => {
    expect(ok({ ...base, source: "https://example.com/docs" })).not.toHaveProperty("type");
    ok({ ...base, source: "docs-bucket" });
    expect(
      props(refused(instance.check, { accountId: ACCOUNT_ID, instanceId: "d", source: "docs-bucket" })),
    ).toEqual(["tokenId"]);
    const failures = refused(instance.check, { ...base, source: "example.com" });
    expect(props(failures)).toEqual(["type"]);
    expect(failures[0]!.reason).toContain('"web-crawler"');
  });

  it("no diff once the state holds the type the API answered; another inferred type replaces", () => {
    const news = ok({ ...base, source: "https://example.com/docs" });
    const olds = state({ ...news, type: "web-crawler" });
    expect(instance.diff(olds, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    expect(instance.diff(state({ ...news, type: "r2" }), news).replaces).toEqual(["type"]);
    // Unknown during preview: not a replacement claimed on a guess, but a change.
    expect(instance.diff(olds, { ...news, source: UNKNOWN }).changes).toBe(true);
  });
});

describe("custom metadata and content selectors", () => {
  it("refuses more than 20 fields and the reserved names, naming the field", () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ fieldName: `f${i}`, dataType: "text" }));
    expect(props(refused(instance.check, { ...site, customMetadata: many }))).toEqual(["customMetadata"]);
    for (const name of ["timestamp", "folder", "filename"]) {
      const failures = refused(instance.check, {
        ...site,
        customMetadata: [{ fieldName: name, dataType: "text" }],
      });
      expect(props(failures)).toEqual(["customMetadata.0.fieldName"]);
      expect(failures[0]!.reason).toContain(`"${name}" is reserved`);
    }
  });

  it("refuses an empty contentSelector; removing one leaves it out of the replaced source_params", () => {
    const failures = refused(instance.check, {
      ...site,
      sourceParams: { webCrawler: { parseOptions: { contentSelector: [] } } },
    });
    expect(props(failures)).toEqual(["sourceParams.webCrawler.parseOptions.contentSelector"]);
    const olds = {
      sourceParams: { webCrawler: { parseOptions: { contentSelector: [{ path: "/*", selector: "main" }] } } },
    };
    // Never `[]` (refused); the removal is still a change, and source_params is sent.
    expect(resetsOfRemoved(olds, {})).toEqual({ sourceParams: { webCrawler: { parseOptions: {} } } });
    expect(withoutKeptRemovals(olds, {})).toEqual(olds);
  });
});

describe("namespace names", () => {
  const bad = ["a".repeat(29), "team_a", "-team", "team-", "Team"];
  it.each(bad)(
    "refuses %s for AiSearchNamespace.name and an instance's namespace, naming the rule",
    (name) => {
      const ns = refused(namespace.check, { accountId: ACCOUNT_ID, name });
      expect(props(ns)).toEqual(["name"]);
      expect(ns[0]!.reason).toContain("1 to 28 lowercase letters, digits or '-', starting and ending");
      const inst = refused(instance.check, { ...site, namespace: name });
      expect(props(inst)).toEqual(["namespace"]);
      expect(inst[0]!.reason).toContain("1 to 28");
    },
  );
  it("accepts 28 characters and inner hyphens", () => {
    expect(namespace.check({ accountId: ACCOUNT_ID, name: `a-${"b".repeat(26)}` }).failures).toEqual([]);
    ok({ ...site, namespace: "t-1" });
  });
});

describe("custom domains at preview, instances and namespaces alike", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      "two domains",
      { enabled: true, customDomains: ["a.example.com", "b.example.com"] },
      "publicEndpointParams.customDomains",
    ],
    [
      "defaultDomainEnabled false without a domain",
      { enabled: true, defaultDomainEnabled: false },
      "publicEndpointParams.defaultDomainEnabled",
    ],
    [
      "a domain without enabled: true (7093)",
      { customDomains: ["a.example.com"] },
      "publicEndpointParams.customDomains",
    ],
  ];
  it.each(cases)("refuses %s", (_what, endpoint, property) => {
    expect(props(refused(instance.check, { ...site, publicEndpointParams: endpoint }))).toEqual([property]);
    expect(
      props(
        refused(namespace.check, { accountId: ACCOUNT_ID, name: "team", publicEndpointParams: endpoint }),
      ),
    ).toEqual([property]);
  });
  it("accepts one domain on an enabled endpoint, with the default host off; and instancesAllowed on a namespace", () => {
    const endpoint = { enabled: true, customDomains: ["s.example.com"], defaultDomainEnabled: false };
    ok({ ...site, publicEndpointParams: endpoint });
    expect(
      namespace.check({
        accountId: ACCOUNT_ID,
        name: "team",
        publicEndpointParams: { ...endpoint, instancesAllowed: ["docs"] },
      }).failures,
    ).toEqual([]);
    expect(
      props(refused(instance.check, { ...site, publicEndpointParams: { instancesAllowed: ["docs"] } })),
    ).toEqual(["publicEndpointParams.instancesAllowed"]);
  });
});

describe("a removed public endpoint or custom domain (one table for both resources)", () => {
  const had = {
    publicEndpointParams: { enabled: true, customDomains: ["s.example.com"], authorizedHosts: ["a"] },
  };
  it("removing the endpoint sends it off with an explicit empty domain list", () => {
    expect(resetsOfRemoved(had, {})).toEqual({ publicEndpointParams: { enabled: false, customDomains: [] } });
    expect(resetsOfRemoved({ publicEndpointParams: { authorizedHosts: ["a"] } }, {})).toEqual({
      publicEndpointParams: {},
    });
  });
  it("removing customDomains alone sends []; another removed key is left out (the object is replaced whole) yet is a change", () => {
    const news = { publicEndpointParams: { enabled: true } };
    expect(resetsOfRemoved(had, news)).toEqual({ publicEndpointParams: { customDomains: [] } });
    expect(withoutKeptRemovals(had, news)).toEqual(had);
    const body = updateBody(
      ok({ ...site, publicEndpointParams: { enabled: true } }),
      resetsOfRemoved(had, news),
    );
    expect(body.public_endpoint_params).toEqual({ enabled: true, custom_domains: [] });
  });
  it("AiSearchNamespace: removing publicEndpointParams is a change", () => {
    const olds = { accountId: ACCOUNT_ID, name: "team", adopted: false, ...had } as AiSearchNamespaceOutputs;
    expect(namespace.diff(olds, { accountId: ACCOUNT_ID, name: "team" }).changes).toBe(true);
  });
});

describe("separate PUTs (SDK 7.3), in a defined order", () => {
  const settings = { max_num_results: 5 };
  it("one PUT, without custom_domains, when the domains do not change", () => {
    const body = {
      ...settings,
      public_endpoint_params: { enabled: true, custom_domains: ["s.example.com"] },
    };
    expect(separatePuts(body, { enabled: true, custom_domains: ["s.example.com"] })).toEqual([
      { ...settings, public_endpoint_params: { enabled: true } },
    ]);
    expect(separatePuts(settings, {})).toEqual([settings]);
  });
  it("unbinds first (default host back on), then the settings that turn the endpoint off", () => {
    const before = { enabled: true, custom_domains: ["s.example.com"], default_domain_enabled: false };
    const body = { ...settings, public_endpoint_params: { enabled: false, custom_domains: [] } };
    expect(separatePuts(body, before)).toEqual([
      { public_endpoint_params: { enabled: true, custom_domains: [] } },
      { ...settings, public_endpoint_params: { enabled: false } },
    ]);
  });
  it("turns the endpoint on, then binds, then turns the default host off", () => {
    const body = {
      ...settings,
      public_endpoint_params: {
        enabled: true,
        custom_domains: ["s.example.com"],
        default_domain_enabled: false,
      },
    };
    expect(separatePuts(body, {})).toEqual([
      { ...settings, public_endpoint_params: { enabled: true } },
      { public_endpoint_params: { enabled: true, custom_domains: ["s.example.com"] } },
      { public_endpoint_params: { enabled: true, default_domain_enabled: false } },
    ]);
  });
  it("a domain replaced by another: unbind, settings, bind", () => {
    const body = { public_endpoint_params: { enabled: true, custom_domains: ["new.example.com"] } };
    expect(separatePuts(body, { enabled: true, custom_domains: ["old.example.com"] })).toEqual([
      { public_endpoint_params: { enabled: true, custom_domains: [] } },
      { public_endpoint_params: { enabled: true } },
      { public_endpoint_params: { enabled: true, custom_domains: ["new.example.com"] } },
    ]);
  });
});
