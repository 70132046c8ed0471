// Lookups of AI Search namespaces this stack does not own: one by name, and every namespace of the
// account. Like `@pulumi/cloudflare`'s getAiSearchNamespace / getAiSearchNamespaces.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { AiSearchNamespace } from "../cloudflare/schemas";
import type { CloudflareCredentials } from "../credentials";
import { LookupBase, parseArgs, withAccount } from "./account";
import { LookupNotFoundError } from "./errors";

/** An AI Search namespace as a lookup returns it. */
export interface AiSearchNamespaceLookup {
  readonly accountId: string;
  readonly name: string;
  readonly description?: string | undefined;
  /** The namespace's public endpoint settings, camelCase, as the API returned them. */
  readonly publicEndpointParams?: Record<string, unknown> | undefined;
  readonly publicEndpointId?: string | undefined;
  /** Null in the API for `default`, which the account always had: then absent. */
  readonly createdAt?: string | undefined;
  readonly modifiedAt?: string | undefined;
}

/** Arguments of {@link getAiSearchNamespace}. */
export interface GetAiSearchNamespaceArgs {
  /** The Cloudflare account (32 hexadecimal characters). */
  accountId: string;
  /** The namespace's name (`default` included). */
  name: string;
  /** Where the account's credentials are (see {@link CloudflareCredentials}); default: the stack's. */
  credentials?: CloudflareCredentials;
}

/** {@link GetAiSearchNamespaceArgs} as Inputs, for {@link getAiSearchNamespaceOutput}. */
export interface GetAiSearchNamespaceOutputArgs {
  accountId: pulumi.Input<string>;
  name: pulumi.Input<string>;
  credentials?: CloudflareCredentials;
}

/** Arguments of {@link getAiSearchNamespaces}. */
export interface GetAiSearchNamespacesArgs {
  /** The Cloudflare account (32 hexadecimal characters). */
  accountId: string;
  /** Only namespaces whose name or description contains this, ignoring case. Default: all. */
  search?: string;
  /** Where the account's credentials are (see {@link CloudflareCredentials}); default: the stack's. */
  credentials?: CloudflareCredentials;
}

/** {@link GetAiSearchNamespacesArgs} as Inputs, for {@link getAiSearchNamespacesOutput}. */
export interface GetAiSearchNamespacesOutputArgs {
  accountId: pulumi.Input<string>;
  search?: pulumi.Input<string>;
  credentials?: CloudflareCredentials;
}

/** What {@link getAiSearchNamespaces} returns: every namespace of the account, `default` first. */
export interface GetAiSearchNamespacesResult {
  readonly accountId: string;
  readonly search?: string | undefined;
  readonly results: AiSearchNamespaceLookup[];
}

const OneNamespaceArgs = LookupBase.extend({
  name: z.string({ error: "name is required: the namespace's name" }).min(1, "must not be empty"),
});
const NamespaceListArgs = LookupBase.extend({ search: z.string().optional() });

async function toLookup(accountId: string, n: AiSearchNamespace): Promise<AiSearchNamespaceLookup> {
  const { fromApi, prune } = await import("../aiSearchInstance/mapping");
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const params = n.public_endpoint_params
    ? (prune(fromApi(n.public_endpoint_params)) as Record<string, unknown>)
    : undefined;
  const fields: Record<string, unknown> = {
    description: str(n.description),
    publicEndpointParams: params,
    publicEndpointId: str(n.public_endpoint_id),
    createdAt: str(n.created_at),
    modifiedAt: str(n.modified_at),
  };
  return {
    accountId,
    name: n.name,
    ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
  };
}

/** One AI Search namespace by name: one request. Fails when there is none, naming it and the account. */
export async function getAiSearchNamespace(args: GetAiSearchNamespaceArgs): Promise<AiSearchNamespaceLookup> {
  const a = parseArgs("getAiSearchNamespace", OneNamespaceArgs, args);
  return withAccount(
    "getAiSearchNamespace",
    a.accountId,
    a.credentials,
    undefined,
    async ({ api, where }) => {
      const { NamespaceNotFoundError } = await import("../cloudflare");
      try {
        return await toLookup(a.accountId, await api.aiSearchNamespaces.read(a.accountId, a.name));
      } catch (err) {
        if (err instanceof NamespaceNotFoundError)
          throw new LookupNotFoundError(`AI Search namespace "${a.name}"`, where);
        throw err;
      }
    },
  );
}

/** {@link getAiSearchNamespace} taking Inputs: unknown until its inputs are known. */
export function getAiSearchNamespaceOutput(
  args: GetAiSearchNamespaceOutputArgs,
): pulumi.Output<AiSearchNamespaceLookup> {
  return pulumi.output(args).apply((a) => getAiSearchNamespace(a as GetAiSearchNamespaceArgs));
}

/** Every AI Search namespace of the account (`default` included), one request per page. */
export async function getAiSearchNamespaces(
  args: GetAiSearchNamespacesArgs,
): Promise<GetAiSearchNamespacesResult> {
  const a = parseArgs("getAiSearchNamespaces", NamespaceListArgs, args);
  return withAccount("getAiSearchNamespaces", a.accountId, a.credentials, undefined, async ({ api }) => {
    const needle = a.search?.toLowerCase();
    const all = await api.aiSearchNamespaces.list(a.accountId);
    const matching =
      needle === undefined
        ? all
        : all.filter(
            (n) =>
              n.name.toLowerCase().includes(needle) || (n.description ?? "").toLowerCase().includes(needle),
          );
    return {
      accountId: a.accountId,
      ...(a.search !== undefined ? { search: a.search } : {}),
      results: await Promise.all(matching.map((n) => toLookup(a.accountId, n))),
    };
  });
}

/** {@link getAiSearchNamespaces} taking Inputs. */
export function getAiSearchNamespacesOutput(
  args: GetAiSearchNamespacesOutputArgs,
): pulumi.Output<GetAiSearchNamespacesResult> {
  return pulumi.output(args).apply((a) => getAiSearchNamespaces(a as GetAiSearchNamespacesArgs));
}
