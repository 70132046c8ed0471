// A temporary API failure names its step and says rerunning is safe; other errors are left alone.
import { InternalServerError, CloudflareNetworkError, BadRequestError } from "../../provider/cloudflare";
import { PartialUpdateError } from "../../provider/serviceApiToken/partialUpdate";
import { stepOf, withRerunHint } from "../../provider/rerunHint";

const details = (status: number, method: string, path: string) => ({ status, method, path, errors: [] });

it.each([
  ["POST", "/accounts/a/tokens", "minting the API token"],
  ["GET", "/user/tokens/permission_groups", "looking up the permission groups"],
  ["PUT", "/accounts/a/tokens/t/value", "rolling the API token's secret"],
  ["DELETE", "/accounts/a/tokens/t", "revoking the API token"],
  ["POST", "/accounts/a/ai-search/tokens", "registering the API token with AI Search"],
  ["PUT", "/accounts/a/ai-search/tokens/r", "updating the AI Search token registration"],
  ["DELETE", "/accounts/a/ai-search/tokens/r", "deleting the AI Search token registration"],
  ["POST", "/accounts/a/ai-search/instances", "creating the AI Search instance"],
  ["DELETE", "/accounts/a/ai-search/namespaces/default/instances/i", "deleting the AI Search instance"],
  ["POST", "/accounts/a/ai-search/namespaces/default/instances/i/jobs", "starting the AI Search sync job"],
  ["GET", "/accounts/a/ai-search/namespaces/n/instances/i/jobs/j", "reading the AI Search sync job"],
  [
    "PATCH",
    "/accounts/a/ai-search/namespaces/team/instances/i",
    "moving the AI Search instance to another namespace",
  ],
])("%s %s is %s", (method, path, step) => {
  expect(stepOf(method, path)).toBe(step);
});

it("a 503, a dropped connection and a 429 get the step and 'Rerunning is safe', once", () => {
  for (const err of [
    new InternalServerError(details(503, "POST", "/accounts/a/tokens")),
    new CloudflareNetworkError(
      "DELETE",
      "/accounts/a/ai-search/instances/i",
      "ECONNRESET",
      "other side closed",
    ),
    new Error(
      `wrapped: ${new InternalServerError(details(429, "GET", "/user/tokens/permission_groups")).message}`,
    ),
  ]) {
    const hinted = withRerunHint(withRerunHint(err)) as Error;
    expect(hinted).toBe(err);
    expect(hinted.message.match(/Rerunning is safe/g)).toHaveLength(1);
    expect(hinted.message).toMatch(/The step that failed was (minting|deleting|looking up)/);
  }
});

it("a refusal (400) is left as it is: rerunning would fail the same way", () => {
  const err = new BadRequestError(details(400, "POST", "/accounts/a/ai-search/instances"));
  expect((withRerunHint(err) as Error).message).not.toContain("Rerunning");
});

it("a partial update keeps its id and properties, and its reason gets the hint too", () => {
  const cause = new InternalServerError(details(502, "PUT", "/accounts/a/ai-search/tokens/r"));
  const err = new PartialUpdateError("r", { accountId: "a" } as never, cause);
  const hinted = withRerunHint(err) as PartialUpdateError;
  expect(hinted.id).toBe("r");
  expect(hinted.properties).toEqual({ accountId: "a" });
  expect(hinted.reasons[0]).toContain("updating the AI Search token registration");
});
