// AiSearchInstance's lifecycle against undici's MockAgent: the request sequence and bodies of
// every path, failure paths included.
import type { AiSearchInstanceInputs, AiSearchInstanceOutputs } from "../../provider/aiSearchInstance/args";
import * as provider from "../../provider/aiSearchInstance/provider";
import {
  ACCOUNT_ID,
  fail,
  mockCloudflare,
  ok,
  SHORT_DELETE_BOUND,
  v4,
  type MockCloudflare,
} from "../support/mockCloudflare";

const TOKEN_ID = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0";
const BASE = `/accounts/${ACCOUNT_ID}/ai-search/namespaces/default/instances`;
const AT = `${BASE}/docs`;

const inputs = (extra: Record<string, unknown> = {}): AiSearchInstanceInputs => {
  const checked = provider.check({
    accountId: ACCOUNT_ID,
    instanceId: "docs",
    type: "r2",
    source: "docs-bucket",
    tokenId: TOKEN_ID,
    ...extra,
  });
  expect(checked.failures).toEqual([]);
  return checked.inputs as AiSearchInstanceInputs;
};

/** An instance as the API answers it: config echoed back (no token_id), computed fields, some nulls. */
const instance = (extra: Record<string, unknown> = {}) => ({
  id: "docs",
  type: "r2",
  source: "docs-bucket",
  namespace: "default",
  status: "waiting",
  enable: true,
  paused: false,
  embedding_model: "@cf/baai/bge-m3",
  ai_gateway_id: null,
  public_endpoint_id: "pe-1",
  vectorize_name: null,
  last_activity: null,
  created_at: "2026-11-29 10:00:00",
  modified_at: "2026-11-29 10:00:00",
  created_by: null,
  modified_by: null,
  ...extra,
});

function reply(cf: MockCloudflare, method: string, path: string, status: number, body: object, times = 1) {
  cf.pool
    .intercept({ path: v4(path), method })
    .reply(status, body)
    .times(times);
}

async function created(
  cf: MockCloudflare,
  extra: Record<string, unknown> = {},
): Promise<AiSearchInstanceOutputs> {
  reply(cf, "POST", BASE, 200, ok(instance()));
  const { outs } = await provider.create(cf.ctx, inputs(extra));
  return outs;
}

describe("AiSearchInstance create", () => {
  it("POSTs the id and every declared setting, and keeps the tokenId as given", async () => {
    const cf = mockCloudflare();
    reply(cf, "POST", BASE, 200, ok(instance()));
    const { id, outs } = await provider.create(cf.ctx, inputs({ maxNumResults: 20 }));

    expect(cf.calls()).toEqual([`POST ${BASE}`]);
    expect(cf.bodies()).toEqual([
      { id: "docs", type: "r2", source: "docs-bucket", token_id: TOKEN_ID, max_num_results: 20 },
    ]);
    expect(id).toBe("docs");
    expect(outs).toEqual({
      accountId: ACCOUNT_ID,
      instanceId: "docs",
      namespace: "default",
      type: "r2",
      source: "docs-bucket",
      tokenId: TOKEN_ID,
      maxNumResults: 20,
      embeddingModel: "@cf/baai/bge-m3",
      adopted: false,
      status: "waiting",
      enable: true,
      publicEndpointId: "pe-1",
      createdAt: "2026-11-29 10:00:00",
      modifiedAt: "2026-11-29 10:00:00",
    });
  });

  it("creates a built-in storage instance with just its id", async () => {
    const cf = mockCloudflare();
    reply(cf, "POST", BASE, 200, ok(instance({ type: null, source: null })));
    const { outs } = await provider.create(cf.ctx, inputs({ type: undefined, source: undefined }));
    expect(cf.bodies()).toEqual([{ id: "docs", token_id: TOKEN_ID }]);
    expect(outs).not.toHaveProperty("type");
    expect(outs).not.toHaveProperty("source");
  });

  it("uses the namespace-scoped routes outside the default namespace", async () => {
    const cf = mockCloudflare();
    const path = `/accounts/${ACCOUNT_ID}/ai-search/namespaces/team-a/instances`;
    reply(cf, "POST", path, 200, ok(instance({ namespace: "team-a" })));
    const { outs } = await provider.create(cf.ctx, inputs({ namespace: "team-a" }));
    expect(cf.calls()).toEqual([`POST ${path}`]);
    expect(outs.namespace).toBe("team-a");
  });

  it("reads, updates and deletes through the namespace-scoped routes outside the default namespace", async () => {
    const cf = mockCloudflare();
    const at = `/accounts/${ACCOUNT_ID}/ai-search/namespaces/team-a/instances/docs`;
    const olds: AiSearchInstanceOutputs = { ...inputs({ namespace: "team-a" }), adopted: false };
    reply(cf, "GET", at, 200, ok(instance({ namespace: "team-a" })));
    reply(cf, "PUT", at, 200, ok(instance({ namespace: "team-a", max_num_results: 7 })));
    reply(cf, "DELETE", at, 200, ok(instance({ namespace: "team-a" })));
    reply(cf, "GET", at, 404, fail(7002, "ai_search_not_found"));

    await provider.read(cf.ctx, "docs", olds);
    await provider.update(cf.ctx, "docs", olds, inputs({ namespace: "team-a", maxNumResults: 7 }));
    await provider.remove(cf.ctx, "docs", olds);
    expect(cf.calls()).toEqual([`GET ${at}`, `PUT ${at}`, `DELETE ${at}`, `GET ${at}`]);
  });

  it("fails on a duplicate id (7022) with a message that suggests adopt", async () => {
    const cf = mockCloudflare();
    reply(cf, "POST", BASE, 400, fail(7022, "ai_search_with_this_name_already_exist"));
    const err = (await provider.create(cf.ctx, inputs()).catch((e: Error) => e)) as Error;
    expect(err.message).toContain('"docs" already exists');
    expect(err.message).toContain("adopt: true");
    expect(cf.calls()).toHaveLength(1);
  });

  it("retries 7012 while a fresh service token is not usable yet, then succeeds", async () => {
    const cf = mockCloudflare();
    reply(cf, "POST", BASE, 400, fail(7012, "ai_search_instance_invalid_token"), 2);
    reply(cf, "POST", BASE, 200, ok(instance()));
    const { id } = await provider.create(cf.ctx, inputs());
    expect(id).toBe("docs");
    expect(cf.calls()).toHaveLength(3);
    expect(cf.logs.join("\n")).toContain("7012");
  });

  it("gives up on 7012 within the bound, naming the tokenId", async () => {
    const cf = mockCloudflare();
    reply(cf, "POST", BASE, 400, fail(7012, "ai_search_instance_invalid_token"), 4);
    const err = (await provider.create(cf.ctx, inputs()).catch((e: Error) => e)) as Error;
    expect(err.message).toContain(`tokenId "${TOKEN_ID}"`);
    expect(err.message).toContain("tokenId: serviceToken.id");
    expect(cf.calls()).toHaveLength(4);
  });

  it("names the credential and permission on 403", async () => {
    const cf = mockCloudflare();
    reply(cf, "POST", BASE, 403, fail(9109, "Unauthorized to access requested resource"));
    const err = (await provider.create(cf.ctx, inputs()).catch((e: Error) => e)) as Error;
    expect(err.message).toContain('lacks the permission "AI Search Edit');
  });
});

describe("AiSearchInstance adopt", () => {
  it("takes over an instance that exists: GET, then a PUT of the declared configuration", async () => {
    const cf = mockCloudflare();
    reply(cf, "GET", AT, 200, ok(instance()));
    reply(cf, "PUT", AT, 200, ok(instance({ max_num_results: 5 })));
    const { id, outs } = await provider.create(cf.ctx, inputs({ adopt: true, maxNumResults: 5 }));
    expect(cf.calls()).toEqual([`GET ${AT}`, `PUT ${AT}`]);
    expect(cf.bodies()[1]).toEqual({ token_id: TOKEN_ID, max_num_results: 5 });
    expect(id).toBe("docs");
    expect(outs).toMatchObject({ adopted: true, adopt: { deleteOnDestroy: false } });

    await provider.remove(cf.ctx, id, outs);
    expect(cf.calls()).toHaveLength(2);
    expect(cf.logs.join("\n")).toContain("leaving it in place");
  });

  it("creates the instance when there is nothing to adopt, and then owns it", async () => {
    const cf = mockCloudflare();
    reply(cf, "GET", AT, 404, fail(7002, "ai_search_not_found"));
    reply(cf, "POST", BASE, 200, ok(instance()));
    const { outs } = await provider.create(cf.ctx, inputs({ adopt: true }));
    expect(cf.calls()).toEqual([`GET ${AT}`, `POST ${BASE}`]);
    expect(outs.adopted).toBe(false);
  });

  it("refuses to adopt an instance whose type or source differ, saying which", async () => {
    const cf = mockCloudflare();
    reply(cf, "GET", AT, 200, ok(instance({ type: "web-crawler", source: "example.com" })));
    const err = (await provider.create(cf.ctx, inputs({ adopt: true })).catch((e: Error) => e)) as Error;
    expect(err.message).toContain('type: the instance has "web-crawler", the program declares "r2"');
    expect(err.message).toContain('source: the instance has "example.com"');
    expect(cf.calls()).toHaveLength(1);
  });

  it("deletes an adopted instance on destroy when deleteOnDestroy is set", async () => {
    const cf = mockCloudflare();
    reply(cf, "GET", AT, 200, ok(instance()));
    reply(cf, "PUT", AT, 200, ok(instance()));
    const { outs } = await provider.create(cf.ctx, inputs({ adopt: { deleteOnDestroy: true } }));
    reply(cf, "DELETE", AT, 200, ok(instance()));
    reply(cf, "GET", AT, 404, fail(7002, "ai_search_not_found"));
    await provider.remove(cf.ctx, "docs", outs);
    expect(cf.calls().slice(2)).toEqual([`DELETE ${AT}`, `GET ${AT}`]);
  });
});

describe("AiSearchInstance update", () => {
  it("PUTs the whole desired configuration without id, type, source or embedding_model", async () => {
    const cf = mockCloudflare();
    const olds = await created(cf, { embeddingModel: "@cf/baai/bge-m3" });
    reply(cf, "PUT", AT, 200, ok(instance({ modified_at: "2026-11-29 11:00:00" })));
    const news = inputs({
      embeddingModel: "@cf/baai/bge-m3",
      publicEndpointParams: { enabled: true, mcp: { disabled: true } },
    });
    const outs = await provider.update(cf.ctx, "docs", olds, news);
    expect(cf.calls().at(-1)).toBe(`PUT ${AT}`);
    expect(cf.bodies().at(-1)).toEqual({
      token_id: TOKEN_ID,
      public_endpoint_params: { enabled: true, mcp: { disabled: true } },
    });
    expect(outs).toMatchObject({
      modifiedAt: "2026-11-29 11:00:00",
      publicEndpointParams: { enabled: true, mcp: { disabled: true } },
    });
  });

  it("re-points the instance at a new service token with a PUT carrying the new token_id", async () => {
    const cf = mockCloudflare();
    const olds = await created(cf);
    reply(cf, "PUT", AT, 200, ok(instance()));
    const outs = await provider.update(cf.ctx, "docs", olds, inputs({ tokenId: "new-token" }));
    expect(cf.bodies().at(-1)).toMatchObject({ token_id: "new-token" });
    expect(outs.tokenId).toBe("new-token");
  });

  it("keeps adopted across updates", async () => {
    const cf = mockCloudflare();
    reply(cf, "PUT", AT, 200, ok(instance()));
    const olds = { ...inputs({ adopt: true }), adopted: true };
    expect((await provider.update(cf.ctx, "docs", olds, inputs({ adopt: true, paused: true }))).adopted).toBe(
      true,
    );
    expect(cf.calls()).toEqual([`PUT ${AT}`]);
  });

  it("writes nothing when only adopt changed: it reads the instance for its outputs", async () => {
    const cf = mockCloudflare();
    reply(cf, "GET", AT, 200, ok(instance({ status: "ready" })));
    const olds = { ...inputs(), adopted: true };
    const outs = await provider.update(cf.ctx, "docs", olds, inputs({ adopt: true }));
    expect(cf.calls()).toEqual([`GET ${AT}`]);
    expect(outs).toMatchObject({ adopted: true, adopt: { deleteOnDestroy: false }, status: "ready" });
  });

  it("says to refresh when the instance is gone", async () => {
    const cf = mockCloudflare();
    const olds = await created(cf);
    reply(cf, "PUT", AT, 404, fail(7002, "ai_search_not_found"));
    const err = (await provider
      .update(cf.ctx, "docs", olds, inputs({ paused: true }))
      .catch((e: Error) => e)) as Error;
    expect(err.message).toContain("pulumi refresh");
  });
});

describe("AiSearchInstance read", () => {
  it("changes nothing when nothing changed, tokenId included although the API does not return it", async () => {
    const cf = mockCloudflare();
    const olds = await created(cf, { maxNumResults: 20, systemPromptAiSearch: "be brief" });
    reply(cf, "GET", AT, 200, ok(instance({ max_num_results: 20 })));
    const result = await provider.read(cf.ctx, "docs", olds);
    expect(result.id).toBe("docs");
    expect(result.props).toEqual(olds);
    expect(
      provider.diff(result.props!, inputs({ maxNumResults: 20, systemPromptAiSearch: "be brief" })),
    ).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: true,
    });
    expect(result.inputs).toEqual(
      inputs({ maxNumResults: 20, systemPromptAiSearch: "be brief", embeddingModel: "@cf/baai/bge-m3" }),
    );
  });

  it("ignores a token_id the API returns, whatever it says", async () => {
    const cf = mockCloudflare();
    const olds = await created(cf);
    reply(cf, "GET", AT, 200, ok(instance({ token_id: "something-else" })));
    expect((await provider.read(cf.ctx, "docs", olds)).props?.tokenId).toBe(TOKEN_ID);
  });

  it("shows a declared setting changed elsewhere as drift, and leaves undeclared ones alone", async () => {
    const cf = mockCloudflare();
    const olds = await created(cf, { maxNumResults: 20 });
    reply(cf, "GET", AT, 200, ok(instance({ max_num_results: 3, chunk_size: 256, status: "ready" })));
    const { props } = await provider.read(cf.ctx, "docs", olds);
    expect(props).toMatchObject({ maxNumResults: 3, status: "ready" });
    expect(props).not.toHaveProperty("chunkSize");
    expect(provider.diff(props!, inputs({ maxNumResults: 20 })).changes).toBe(true);
  });

  it("removes an instance that is gone (7002) from state", async () => {
    const cf = mockCloudflare();
    const olds = await created(cf);
    reply(cf, "GET", AT, 404, fail(7002, "ai_search_not_found"));
    expect(await provider.read(cf.ctx, "docs", olds)).toEqual({});
  });

  it("keeps it on a 404 that names no object (no route, or no code): an error naming the path", async () => {
    const cf = mockCloudflare();
    const olds = await created(cf);
    reply(cf, "GET", AT, 404, { success: false, errors: [], result: {} });
    const noRoute = {
      success: false,
      errors: [
        {
          code: 7003,
          message: "Could not route to /client/v4/x, perhaps your object identifier is invalid?",
        },
        { code: 7000, message: "No route for that URI" },
      ],
      messages: [],
      result: null,
    };
    reply(cf, "GET", AT, 404, noRoute);
    for (let i = 0; i < 2; i++) {
      const err = (await provider.read(cf.ctx, "docs", olds).catch((e: Error) => e)) as Error;
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toContain(`GET ${AT}`);
      expect(err.message).toContain("is not served");
    }
  });
});

describe("AiSearchInstance delete", () => {
  it("DELETEs, then polls until a read no longer finds it", async () => {
    // A bound far above the two polls, so that a busy machine cannot run out of it.
    const cf = mockCloudflare({
      wait: { propagationRetries: 3, propagationRetryDelayMs: 1, deleteTimeoutMs: 60_000, pollIntervalMs: 5 },
    });
    const olds = await created(cf);
    reply(cf, "DELETE", AT, 200, ok(instance()));
    reply(cf, "GET", AT, 200, ok(instance({ status: "deleting" })), 2);
    reply(cf, "GET", AT, 404, fail(7002, "ai_search_not_found"));
    await provider.remove(cf.ctx, "docs", olds);
    expect(cf.calls().slice(1)).toEqual([`DELETE ${AT}`, `GET ${AT}`, `GET ${AT}`, `GET ${AT}`]);
  });

  it("is idempotent: 7002 on delete is success", async () => {
    const cf = mockCloudflare();
    const olds = await created(cf);
    reply(cf, "DELETE", AT, 404, fail(7002, "ai_search_not_found"));
    reply(cf, "GET", AT, 404, fail(7002, "ai_search_not_found"));
    await expect(provider.remove(cf.ctx, "docs", olds)).resolves.toBeUndefined();
  });

  it("fails within the bound when the instance does not go away", async () => {
    const cf = mockCloudflare(SHORT_DELETE_BOUND);
    const olds = await created(cf);
    reply(cf, "DELETE", AT, 200, ok(instance()));
    reply(cf, "GET", AT, 200, ok(instance()), 100);
    const err = (await provider.remove(cf.ctx, "docs", olds).catch((e: Error) => e)) as Error;
    expect(err.message).toContain("still listed");
    expect(err.message).toContain("deleteTimeoutSeconds");
  });

  it("does not swallow other errors", async () => {
    const cf = mockCloudflare();
    const olds = await created(cf);
    reply(cf, "DELETE", AT, 403, fail(9109, "Unauthorized to access requested resource"));
    await expect(provider.remove(cf.ctx, "docs", olds)).rejects.toThrow("lacks the permission");
  });
});
