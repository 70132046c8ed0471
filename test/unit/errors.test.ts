import {
  AiSearchTokenNotFoundError,
  CloudflareApiError,
  ERROR_CODE_CLASSES,
  InternalServerError,
  InvalidServiceTokenError,
  NotFoundError,
  PathNotServedError,
  RateLimitError,
  GONE_ANSWERS,
  isNotFound,
  TokenInUseError,
  errorFromResponse,
} from "../../provider/cloudflare/errors";

const base = { method: "POST", path: "/accounts/abc/ai-search/tokens" };

describe("errorFromResponse", () => {
  it.each([
    [7012, 400, InvalidServiceTokenError],
    [7075, 404, AiSearchTokenNotFoundError],
    [7076, 409, TokenInUseError],
  ])("maps code %i to its named class", (code, status, cls) => {
    const err = errorFromResponse({ ...base, status, errors: [{ code, message: "x" }] });
    expect(err).toBeInstanceOf(cls);
    expect(err).toBeInstanceOf(CloudflareApiError);
    expect(err.codes).toEqual([code]);
  });

  it("names at least the codes the provider relies on", () => {
    for (const code of [7012, 7075, 7076, 7002, 7022, 7052, 10000, 9109, 1000]) {
      expect(ERROR_CODE_CLASSES.has(code)).toBe(true);
    }
  });

  it.each([
    [404, PathNotServedError],
    [429, RateLimitError],
    [503, InternalServerError],
  ])("falls back to the HTTP status %i", (status, cls) => {
    expect(errorFromResponse({ ...base, status, errors: [{ code: 1234, message: "x" }] })).toBeInstanceOf(
      cls,
    );
  });

  it("says what failed without an id property (the dynamic host would read it as a partial create)", () => {
    const err = errorFromResponse({
      ...base,
      status: 409,
      errors: [{ code: 7076, message: "token_in_use" }],
    });
    expect(err.message).toBe(
      "Cloudflare API POST /accounts/abc/ai-search/tokens failed with HTTP 409: 7076 token_in_use",
    );
    expect("id" in err).toBe(false);
  });
});

describe("gone means gone: only an answer that names the missing object", () => {
  const at = (path: string, status: number, codes: number[]) =>
    errorFromResponse({
      method: "GET",
      path,
      status,
      errors: codes.map((code) => ({ code, message: `m${code}` })),
      baseUrl: "https://api.example.test/client/v4",
    });
  const instance = "/accounts/a/ai-search/namespaces/default/instances/docs";

  it("is one table: 7002, 7063, 7075, the API-token routes' 404 (1003 included), and the sync job's 7021", () => {
    expect(GONE_ANSWERS.map((g) => g.code ?? "API-token path").sort()).toEqual(
      [7002, 7021, 7063, 7075, "API-token path"].sort(),
    );
  });

  it.each([
    ["instance 7002", instance, 404, [7002]],
    ["namespace 7063", "/accounts/a/ai-search/namespaces/team", 404, [7063]],
    ["AI Search token 7075", "/accounts/a/ai-search/tokens/t", 404, [7075]],
    ["user API token 1003", "/user/tokens/abc", 404, [1003]],
    ["account API token, 7003 (an id Cloudflare cannot route)", "/accounts/a/tokens/abc", 404, [7003, 7000]],
  ])("%s is gone", (_name, path, status, codes) => {
    const err = at(path, status, codes);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(isNotFound(err)).toBe(true);
  });

  it.each([
    ["a retired instance route (7003 + 7000)", "/accounts/a/ai-search/instances/docs", [7003, 7000]],
    ["a namespaced route under a wrong base URL", instance, [7003, 7000]],
    ["a 404 with no code", instance, []],
    ["the verify route", "/user/tokens/verify", [7003, 7000]],
  ])("%s is an error, not gone, naming the method, the path and the base URL", (_name, path, codes) => {
    const err = at(path, 404, codes);
    expect(err).toBeInstanceOf(PathNotServedError);
    expect(err).not.toBeInstanceOf(NotFoundError);
    expect(isNotFound(err)).toBe(false);
    expect(err.message).toContain(`GET ${path}`);
    expect(err.message).toContain("https://api.example.test/client/v4");
    expect(err.message).toContain("state is unchanged");
  });
});
