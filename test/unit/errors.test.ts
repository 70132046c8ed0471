import {
  AiSearchTokenNotFoundError,
  CloudflareApiError,
  ERROR_CODE_CLASSES,
  InternalServerError,
  InvalidServiceTokenError,
  NotFoundError,
  RateLimitError,
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
    [404, NotFoundError],
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
