// Lookups of AI Search service API tokens (registrations) that this stack does not own: by id or
// by name, and the whole account. Like `@pulumi/cloudflare`'s getAiSearchToken / getAiSearchTokens.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { AiSearchToken } from "../cloudflare/schemas";
import type { CloudflareCredentials } from "../credentials";
import { LookupBase, parseArgs, withAccount } from "./account";
import { AmbiguousLookupError, LookupNotFoundError } from "./errors";

/** A registered AI Search service API token, as a lookup returns it. It never holds the token's value. */
export interface ServiceApiTokenLookup {
  readonly accountId: string;
  /** The AI Search token id: what instances take as `tokenId`. */
  readonly id: string;
  /** The same as `id`, named as `ServiceApiToken.tokenId` is. */
  readonly tokenId: string;
  readonly name: string;
  /** Id of the underlying Cloudflare API token. */
  readonly cfApiId: string;
  /** True for a registration made the dashboard's old way (it cannot be read or deleted by id). */
  readonly legacy: boolean;
  readonly enabled: boolean;
  readonly createdAt?: string | undefined;
  readonly modifiedAt?: string | undefined;
  readonly createdBy?: string | undefined;
  readonly modifiedBy?: string | undefined;
}

/** Arguments of {@link getServiceApiToken}: the account, and exactly one of `id` and `name`. */
export interface GetServiceApiTokenArgs {
  /** The Cloudflare account (32 hexadecimal characters). */
  accountId: string;
  /** The AI Search token id. */
  id?: string;
  /** The registration's exact name (e.g. "AI Search Service API Token"). Two with that name are an error naming both ids. */
  name?: string;
  /** Where the account's credentials are (see {@link CloudflareCredentials}); default: the stack's. */
  credentials?: CloudflareCredentials;
}

/** {@link GetServiceApiTokenArgs} as Inputs, for {@link getServiceApiTokenOutput}. */
export interface GetServiceApiTokenOutputArgs {
  accountId: pulumi.Input<string>;
  id?: pulumi.Input<string>;
  name?: pulumi.Input<string>;
  credentials?: CloudflareCredentials;
}

/** Arguments of {@link getServiceApiTokens}. */
export interface GetServiceApiTokensArgs {
  /** The Cloudflare account (32 hexadecimal characters). */
  accountId: string;
  /** Only registrations whose name contains this (the API's `search`). Default: all. */
  search?: string;
  /** Where the account's credentials are (see {@link CloudflareCredentials}); default: the stack's. */
  credentials?: CloudflareCredentials;
}

/** {@link GetServiceApiTokensArgs} as Inputs, for {@link getServiceApiTokensOutput}. */
export interface GetServiceApiTokensOutputArgs {
  accountId: pulumi.Input<string>;
  search?: pulumi.Input<string>;
  credentials?: CloudflareCredentials;
}

/** What {@link getServiceApiTokens} returns: every registration of the account, whatever the page size. */
export interface GetServiceApiTokensResult {
  readonly accountId: string;
  readonly search?: string | undefined;
  readonly results: ServiceApiTokenLookup[];
}

const OneTokenArgs = LookupBase.extend({
  id: z.string().min(1, "must not be empty").optional(),
  name: z.string().min(1, "must not be empty").optional(),
}).refine((a) => (a.id === undefined) !== (a.name === undefined), {
  message: "give exactly one of id and name",
});

const TokenListArgs = LookupBase.extend({ search: z.string().optional() });

const WHAT = "AI Search service API token";

function toLookup(accountId: string, t: AiSearchToken): ServiceApiTokenLookup {
  return {
    accountId,
    id: t.id,
    tokenId: t.id,
    name: t.name,
    cfApiId: t.cf_api_id,
    legacy: t.legacy ?? false,
    enabled: t.enabled ?? true,
    ...(t.created_at ? { createdAt: t.created_at } : {}),
    ...(t.modified_at ? { modifiedAt: t.modified_at } : {}),
    ...(t.created_by ? { createdBy: t.created_by } : {}),
    ...(t.modified_by ? { modifiedBy: t.modified_by } : {}),
  };
}

/**
 * One registered AI Search service API token of an account, by `id` or by exact `name`: the
 * usual way for a stack that does not own the account's token to get its id
 * (`tokenId: token.id`). Runs in the program, during preview too; reads one page per 100
 * registrations (by name) or one request (by id). Fails when none matches, naming what was looked
 * for and where, and when two have the name, naming both ids.
 */
export async function getServiceApiToken(args: GetServiceApiTokenArgs): Promise<ServiceApiTokenLookup> {
  const a = parseArgs("getServiceApiToken", OneTokenArgs, args);
  return withAccount("getServiceApiToken", a.accountId, a.credentials, undefined, async ({ api, where }) => {
    if (a.id !== undefined) {
      const { AiSearchTokenNotFoundError } = await import("../cloudflare");
      try {
        return toLookup(a.accountId, await api.aiSearchTokens.read(a.accountId, a.id));
      } catch (err) {
        if (err instanceof AiSearchTokenNotFoundError)
          throw new LookupNotFoundError(`${WHAT} with id ${a.id}`, where);
        throw err;
      }
    }
    const name = a.name!;
    const named = (await api.aiSearchTokens.list(a.accountId, name)).filter((t) => t.name === name);
    if (named.length === 0) {
      throw new LookupNotFoundError(
        `${WHAT} named "${name}"`,
        where,
        "Names are matched exactly; getServiceApiTokens lists them all",
      );
    }
    if (named.length > 1) {
      throw new AmbiguousLookupError(
        `${WHAT}s are named "${name}"`,
        where,
        named.map((t) => t.id),
        "Look it up by id instead (getServiceApiToken({ accountId, id })), or rename one of them",
      );
    }
    return toLookup(a.accountId, named[0]!);
  });
}

/** {@link getServiceApiToken} taking Inputs: unknown until its inputs are known (in preview, maybe not at all). */
export function getServiceApiTokenOutput(
  args: GetServiceApiTokenOutputArgs,
): pulumi.Output<ServiceApiTokenLookup> {
  return pulumi.output(args).apply((a) => getServiceApiToken(a as GetServiceApiTokenArgs));
}

/**
 * Every registered AI Search service API token of an account (optionally those whose name contains
 * `search`), however many pages the API serves them in: one request per page.
 */
export async function getServiceApiTokens(args: GetServiceApiTokensArgs): Promise<GetServiceApiTokensResult> {
  const a = parseArgs("getServiceApiTokens", TokenListArgs, args);
  return withAccount("getServiceApiTokens", a.accountId, a.credentials, undefined, async ({ api }) => ({
    accountId: a.accountId,
    ...(a.search !== undefined ? { search: a.search } : {}),
    results: (await api.aiSearchTokens.list(a.accountId, a.search)).map((t) => toLookup(a.accountId, t)),
  }));
}

/** {@link getServiceApiTokens} taking Inputs. */
export function getServiceApiTokensOutput(
  args: GetServiceApiTokensOutputArgs,
): pulumi.Output<GetServiceApiTokensResult> {
  return pulumi.output(args).apply((a) => getServiceApiTokens(a as GetServiceApiTokensArgs));
}
