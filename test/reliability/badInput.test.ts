// The bad-input catalogue: invalid programs and configurations, one table. Each is rejected at
// `pulumi preview` (and then the emulator's request counts prove no call was made), or, when only
// the API or the configuration can tell, at the first call that can know, during `pulumi up`. Every
// message names the field, config key or missing permission and says what to do; a secret passed in
// a bad input is never printed; and nothing is left behind in the account.
import * as pulumi from "@pulumi/pulumi";
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import { request } from "undici";
import { AiSearchInstance, ServiceApiToken } from "../../provider";
import { recorder, startEngine, type Engine } from "../e2e/harness";

jest.setTimeout(20 * 60_000);

const SECRET = "catalogue-secret-value-0123456789abcdef";
const ACCOUNT = "0123456789abcdef0123456789abcdef";

type Program = (accountId: string) => void;
interface BadInput {
  /** What is wrong. */
  readonly name: string;
  readonly program: Program;
  /** Stack config on top of the engine's (the emulator, its token, fast waits). */
  readonly config?: (engine: Engine, tokens: Tokens) => ConfigMap;
  /** `preview`: check rejects it and no request is made. `up`: the first API call that can know. */
  readonly at: "preview" | "up";
  /** Each must appear in what the engine printed: the field or key, and the fix. */
  readonly says: readonly (string | RegExp)[];
}

/** Management tokens missing one permission each, minted in the emulator before the table runs. */
interface Tokens {
  withoutTokenWrite: string;
  withoutAiSearch: string;
}

const token =
  (extra: Record<string, unknown>): Program =>
  (accountId) =>
    void new ServiceApiToken("token", { accountId, ...extra });
const instance =
  (extra: Record<string, unknown>): Program =>
  (accountId) =>
    void new AiSearchInstance("docs", {
      accountId,
      instanceId: "catalogue",
      type: "r2",
      source: "docs-bucket",
      tokenId: "0123456789abcdef0123456789abcdef",
      ...extra,
    } as never);
/** A token and an instance using it, for the cases only a call can find out. */
const tokenAndInstance =
  (tokenArgs: Record<string, unknown> = {}): Program =>
  (accountId) => {
    const t = new ServiceApiToken("token", { accountId, ...tokenArgs });
    new AiSearchInstance("docs", {
      accountId,
      instanceId: "catalogue",
      type: "r2",
      source: "docs-bucket",
      tokenId: t.id,
    });
  };

const CATALOGUE: BadInput[] = [
  // ServiceApiToken inputs
  {
    name: "token: accountId missing",
    at: "preview",
    program: () => token({ accountId: undefined })(""),
    says: ["accountId is required", "32-character hexadecimal"],
  },
  {
    name: "token: accountId not hex",
    at: "preview",
    program: () => token({})("acme-corp"),
    says: ["accountId: must be the 32-character hexadecimal", "Account ID"],
  },
  {
    name: "token: accountId upper-case",
    at: "preview",
    program: () => token({})(ACCOUNT.toUpperCase()),
    says: ["accountId: must be the 32-character hexadecimal"],
  },
  {
    name: "token: accountId a number",
    at: "preview",
    program: () => token({ accountId: 12345 })(""),
    says: ["accountId"],
  },
  {
    name: "token: empty name",
    at: "preview",
    program: token({ name: "" }),
    says: ["name: must not be empty", "leave it out for the default name"],
  },
  {
    name: "token: name of 121 characters",
    at: "preview",
    program: token({ name: "n".repeat(121) }),
    says: ["name: must be at most 120 characters"],
  },
  {
    name: "token: unknown owner",
    at: "preview",
    program: token({ owner: "team" }),
    says: ['owner: must be "account"', '"user"'],
  },
  {
    name: "token: no permission groups",
    at: "preview",
    program: token({ permissionGroups: [] }),
    says: ["permissionGroups: must name at least one permission group", "AI Search Index Engine"],
  },
  {
    name: "token: a permission group twice",
    at: "preview",
    program: token({ permissionGroups: ["AI Search Index Engine", "AI Search Index Engine"] }),
    says: ["permissionGroups: must not name a permission group twice"],
  },
  {
    name: "token: an empty permission group",
    at: "preview",
    program: token({ permissionGroups: [""] }),
    says: ["permissionGroups.0: permission group names must not be empty"],
  },
  {
    name: "token: permissionGroups a string",
    at: "preview",
    program: token({ permissionGroups: "AI Search Index Engine" }),
    says: ["permissionGroups", /array|list/i],
  },
  {
    name: "token: existingApiToken without id",
    at: "preview",
    program: token({ existingApiToken: { id: "", value: SECRET } }),
    says: ["existingApiToken.id must be the id of the API token"],
  },
  {
    name: "token: existingApiToken without value",
    at: "preview",
    program: token({ existingApiToken: { id: "abc", value: "" } }),
    says: ["existingApiToken.value must be the API token's secret value"],
  },
  {
    name: "token: existingApiToken with owner",
    at: "preview",
    program: token({ existingApiToken: { id: "abc", value: SECRET }, owner: "user" }),
    says: ["owner only applies to a token this resource mints", "remove it"],
  },
  {
    name: "token: adopt with neither id nor name",
    at: "preview",
    program: token({ adopt: {} }),
    says: ["adopt needs exactly one of id", "or name"],
  },
  {
    name: "token: adopt with both id and name",
    at: "preview",
    program: token({ adopt: { id: "a", name: "b" } }),
    says: ["adopt needs exactly one of id"],
  },
  {
    name: "token: unknown field",
    at: "preview",
    program: token({ ttlDays: 30 }),
    says: ["ttlDays is not an input of this resource; remove it"],
  },
  {
    name: "token: rotationTrigger an object",
    at: "preview",
    program: token({ rotationTrigger: { at: 1 } }),
    says: ["rotationTrigger", /string, a number or a boolean/],
  },
  // AiSearchInstance inputs
  {
    name: "instance: instanceId missing",
    at: "preview",
    program: instance({ instanceId: undefined }),
    says: ["instanceId is required", '"docs-search"'],
  },
  {
    name: "instance: instanceId with spaces",
    at: "preview",
    program: instance({ instanceId: "Docs Search" }),
    says: ["instanceId: must be 1 to 64 lowercase letters"],
  },
  {
    name: "instance: instanceId of 65 characters",
    at: "preview",
    program: instance({ instanceId: "d".repeat(65) }),
    says: ["instanceId: must be 1 to 64"],
  },
  {
    name: "instance: unknown type",
    at: "preview",
    program: instance({ type: "s3" }),
    says: ['type: must be "r2"', '"web-crawler"'],
  },
  {
    name: "instance: type without source",
    at: "preview",
    program: instance({ source: undefined }),
    says: ["source", "R2 bucket name"],
  },
  {
    name: "instance: r2 without tokenId",
    at: "preview",
    program: instance({ tokenId: undefined }),
    says: ["property tokenId", "tokenId: serviceToken.id"],
  },
  {
    name: "instance: maxNumResults 0",
    at: "preview",
    program: instance({ maxNumResults: 0 }),
    says: ["maxNumResults", /1 to 50|at least 1|>=1/],
  },
  {
    name: "instance: maxNumResults 51",
    at: "preview",
    program: instance({ maxNumResults: 51 }),
    says: ["maxNumResults: must be 1 to 50"],
  },
  {
    name: "instance: maxNumResults a string",
    at: "preview",
    program: instance({ maxNumResults: "ten" }),
    says: ["maxNumResults", /number/],
  },
  {
    name: "instance: scoreThreshold 2",
    at: "preview",
    program: instance({ scoreThreshold: 2 }),
    says: ["scoreThreshold: must be 0 to 1"],
  },
  {
    name: "instance: chunkSize 10",
    at: "preview",
    program: instance({ chunkSize: 10 }),
    says: ["chunkSize: must be at least 64"],
  },
  {
    name: "instance: chunkOverlap 40",
    at: "preview",
    program: instance({ chunkOverlap: 40 }),
    says: ["chunkOverlap: must be 0 to 30"],
  },
  {
    name: "instance: cacheTtl 5",
    at: "preview",
    program: instance({ cacheTtl: 5 }),
    says: ["cacheTtl", "172800"],
  },
  {
    name: "instance: unknown fusionMethod",
    at: "preview",
    program: instance({ fusionMethod: "avg" }),
    says: ['fusionMethod: must be "max" or "rrf"'],
  },
  {
    name: "instance: unknown field",
    at: "preview",
    program: instance({ maxResults: 5 }),
    says: ["maxResults is not an input of this resource; remove it"],
  },
  {
    name: "instance: unknown rate-limit technique",
    at: "preview",
    program: instance({ publicEndpointParams: { rateLimit: { technique: "token-bucket" } } }),
    says: ['publicEndpointParams.rateLimit.technique: must be "fixed" or "sliding"'],
  },
  {
    name: "instance: web crawler source not a URL",
    at: "preview",
    program: instance({ type: "web-crawler", source: "not a url at all", tokenId: undefined }),
    says: ["source"],
  },
  // Only the API or the configuration can tell: rejected at the first call that can know.
  {
    name: "token: a permission group the API does not have",
    at: "up",
    program: token({ permissionGroups: ["AI Search Superuser"] }),
    says: ["AI Search Superuser", "permissionGroups"],
  },
  {
    name: "instance: tokenId of no registration",
    at: "up",
    program: (a) => {
      const t = new ServiceApiToken("token", { accountId: a });
      new AiSearchInstance("docs", {
        accountId: a,
        instanceId: "catalogue",
        type: "r2",
        source: "docs-bucket",
        tokenId: t.id.apply(() => "0123456789abcdef0123456789abcdef"),
      });
    },
    says: ["tokenId"],
  },
  {
    name: "config: no management credential",
    at: "up",
    program: tokenAndInstance(),
    config: () => ({ "cloudflare:apiToken": { value: "", secret: true } }),
    says: ["No Cloudflare API token found", "pulumi config set --secret cloudflare:apiToken"],
  },
  {
    name: "config: a management credential the API refuses",
    at: "up",
    program: tokenAndInstance(),
    config: () => ({ "cloudflare:apiToken": { value: SECRET, secret: true } }),
    says: ["cloudflare:apiToken was not accepted", "valid, active API token"],
  },
  {
    name: "config: a management token without API Tokens Write",
    at: "up",
    program: tokenAndInstance(),
    config: (_e, t) => ({ "cloudflare:apiToken": { value: t.withoutTokenWrite, secret: true } }),
    says: [/lacks the permission "API Tokens (Read|Write)": add it to that token/],
  },
  {
    name: "config: a management token without AI Search Edit",
    at: "up",
    program: tokenAndInstance(),
    config: (_e, t) => ({ "cloudflare:apiToken": { value: t.withoutAiSearch, secret: true } }),
    says: ['lacks the permission "AI Search Edit', "add it to that token"],
  },
  {
    name: "config: base URL not a URL",
    at: "up",
    program: tokenAndInstance(),
    config: () => ({ "cloudflare-ai-search:baseUrl": { value: "api.cloudflare.com" } }),
    says: [
      "Config cloudflare-ai-search:baseUrl must be an http(s) URL such as https://api.cloudflare.com/client/v4",
    ],
  },
  {
    name: "config: propagationRetries not a number",
    at: "up",
    program: tokenAndInstance(),
    config: () => ({ "cloudflare-ai-search:propagationRetries": { value: "many" } }),
    says: ['Config cloudflare-ai-search:propagationRetries must be a non-negative number, got "many"'],
  },
  {
    name: "config: deleteTimeoutSeconds negative",
    at: "up",
    program: tokenAndInstance(),
    config: () => ({ "cloudflare-ai-search:deleteTimeoutSeconds": { value: "-5" } }),
    says: ["Config cloudflare-ai-search:deleteTimeoutSeconds must be a non-negative number"],
  },
  {
    name: "config: accountId of an account the token cannot use",
    at: "up",
    program: (a) => tokenAndInstance()(a.replace(/^0/, "f")),
    says: [/lacks the permission|not authori[sz]ed|9109/],
  },
];

let engine: Engine;
let tokens: Tokens;
beforeAll(async () => {
  engine = await startEngine("reliability-bad-input");
  tokens = {
    withoutTokenWrite: await mintManagementToken(["Auto Rag Write", "Auto Rag Read"]),
    withoutAiSearch: await mintManagementToken(["Account API Tokens Write"]),
  };
});
afterAll(async () => engine?.close());

/** A management token with only these permission groups on the emulator's account. */
async function mintManagementToken(groupNames: string[]): Promise<string> {
  const auth = { authorization: `Bearer ${engine.emulator.apiToken}`, "content-type": "application/json" };
  const groups = (await (
    await request(`${engine.emulator.url}/user/tokens/permission_groups`, { headers: auth })
  ).body.json()) as { result: { id: string; name: string }[] };
  const ids = groupNames.map((n) => groups.result.find((g) => g.name === n)?.id);
  const res = await request(`${engine.emulator.url}/user/tokens`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({
      name: `catalogue ${groupNames.join(", ")}`,
      policies: [
        {
          effect: "allow",
          resources: { [`com.cloudflare.api.account.${engine.emulator.accountId}`]: "*" },
          permission_groups: ids.map((id) => ({ id })),
        },
      ],
    }),
  });
  const body = (await res.body.json()) as { result: { value: string } };
  return body.result.value;
}

const stacks = new Map<string, Stack>();
/** One stack for all program cases (the case is picked by config), one more per config case. */
async function stackFor(entry: BadInput, index: number): Promise<Stack> {
  const key = entry.config ? `config-${index}` : "programs";
  let stack = stacks.get(key);
  if (!stack) {
    const program = async () => {
      const which = Number(new pulumi.Config("catalogue").require("case"));
      const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
      CATALOGUE[which]?.program(accountId);
    };
    stack = await engine.stack(key, program, entry.config?.(engine, tokens) ?? {});
    stacks.set(key, stack);
  }
  await stack.setConfig("catalogue:case", { value: String(index) });
  return stack;
}

function leftInAccount(): string[] {
  const state = engine.emulator.state();
  return [
    ...state.apiTokens
      .filter((t) => !t.bootstrap && !t.name.startsWith("catalogue "))
      .map((t) => `API token ${t.name}`),
    ...state.aiSearchTokens.map((t) => `registration ${t.name}`),
    ...state.instances.map((i) => `instance ${i.id}`),
  ];
}

it(`the catalogue holds at least 30 bad inputs (${CATALOGUE.length})`, () => {
  expect(CATALOGUE.length).toBeGreaterThanOrEqual(30);
});

it.each(CATALOGUE.map((entry, i) => [entry.name, entry, i] as const))(
  "%s: rejected, named, with the fix",
  async (_name, entry, index) => {
    const stack = await stackFor(entry, index);
    const output: string[] = [];
    engine.emulator.resetRequestCounts();
    const op = entry.at === "preview" ? stack.preview(recorder(output)) : stack.up(recorder(output));
    const err = await op.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    const printed = `${output.join("")}\n${String(err)}`;
    for (const text of entry.says) {
      if (typeof text === "string") expect(printed).toContain(text);
      else expect(printed).toMatch(text);
    }
    expect(printed).not.toContain(SECRET);
    if (entry.at === "preview") expect(engine.emulator.requestCounts().total ?? 0).toBe(0);
    // Nothing half-made: whatever the failed up created, destroy removes; nothing else is left.
    if (entry.at === "up") await stack.destroy(recorder(output));
    expect(leftInAccount()).toEqual([]);
  },
);
