// Lookups of AI Search instances this stack does not own: one by namespace and id, and every
// instance of a namespace. Like `@pulumi/cloudflare`'s getAiSearchInstance / getAiSearchInstances,
// with the namespace the instance routes now take.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { AiSearchInstance } from "../cloudflare/schemas";
import type { CloudflareCredentials } from "../credentials";
import { LookupBase, parseArgs, withAccount } from "./account";
import { LookupNotFoundError } from "./errors";

const DEFAULT_NAMESPACE = "default";

/** An AI Search instance as a lookup returns it (camelCase, like `AiSearchInstance`'s outputs). */
export interface AiSearchInstanceLookup {
  readonly accountId: string;
  readonly namespace: string;
  /** The instance id. */
  readonly id: string;
  /** The same as `id`, named as `AiSearchInstance.instanceId` is. */
  readonly instanceId: string;
  readonly type?: string | undefined;
  readonly source?: string | undefined;
  /** Only when the API returns it (it is write-only by default). */
  readonly tokenId?: string | undefined;
  readonly embeddingModel?: string | undefined;
  /** As the API reports it, e.g. "waiting". */
  readonly status?: string | undefined;
  readonly enable?: boolean | undefined;
  readonly paused?: boolean | undefined;
  readonly createdAt?: string | undefined;
  readonly modifiedAt?: string | undefined;
  readonly createdBy?: string | undefined;
  readonly modifiedBy?: string | undefined;
  readonly engineVersion?: string | number | undefined;
  readonly publicEndpointId?: string | undefined;
  readonly vectorizeName?: string | undefined;
  readonly lastActivity?: string | undefined;
  /**
   * Every other setting the API returned, camelCase (`chunkSize`, `sourceParams`, ...). Crawl
   * request headers (`sourceParams.webCrawler.parseOptions.includeHeaders`), which may hold
   * credentials, are left out.
   */
  readonly settings: Record<string, unknown>;
}

/** Arguments of {@link getAiSearchInstance}. */
export interface GetAiSearchInstanceArgs {
  /** The Cloudflare account (32 hexadecimal characters). */
  accountId: string;
  /** The namespace that holds the instance. Default "default". */
  namespace?: string;
  /** The instance id. */
  id: string;
  /** Where the account's credentials are (see {@link CloudflareCredentials}); default: the stack's. */
  credentials?: CloudflareCredentials;
}

/** {@link GetAiSearchInstanceArgs} as Inputs, for {@link getAiSearchInstanceOutput}. */
export interface GetAiSearchInstanceOutputArgs {
  accountId: pulumi.Input<string>;
  namespace?: pulumi.Input<string>;
  id: pulumi.Input<string>;
  credentials?: CloudflareCredentials;
}

/** Arguments of {@link getAiSearchInstances}. */
export interface GetAiSearchInstancesArgs {
  /** The Cloudflare account (32 hexadecimal characters). */
  accountId: string;
  /** The namespace whose instances to list. Default "default". */
  namespace?: string;
  /** Only instances matching this (the API's `search`). Default: all. */
  search?: string;
  /** Where the account's credentials are (see {@link CloudflareCredentials}); default: the stack's. */
  credentials?: CloudflareCredentials;
}

/** {@link GetAiSearchInstancesArgs} as Inputs, for {@link getAiSearchInstancesOutput}. */
export interface GetAiSearchInstancesOutputArgs {
  accountId: pulumi.Input<string>;
  namespace?: pulumi.Input<string>;
  search?: pulumi.Input<string>;
  credentials?: CloudflareCredentials;
}

/** What {@link getAiSearchInstances} returns: every instance of the namespace, whatever the page size. */
export interface GetAiSearchInstancesResult {
  readonly accountId: string;
  readonly namespace: string;
  readonly search?: string | undefined;
  readonly results: AiSearchInstanceLookup[];
}

const Namespace = z.string().min(1, "must not be empty").default(DEFAULT_NAMESPACE);
const OneInstanceArgs = LookupBase.extend({
  namespace: Namespace,
  id: z.string({ error: "id is required: the instance id" }).min(1, "must not be empty"),
});
const InstanceListArgs = LookupBase.extend({ namespace: Namespace, search: z.string().optional() });

/** Fields typed on the result; the rest go to `settings`. */
const TYPED = new Set([
  "id",
  "namespace",
  "type",
  "source",
  "token_id",
  "embedding_model",
  "status",
  "enable",
  "paused",
  "created_at",
  "modified_at",
  "created_by",
  "modified_by",
  "engine_version",
  "public_endpoint_id",
  "vectorize_name",
  "last_activity",
]);

async function toLookup(
  accountId: string,
  namespace: string,
  i: AiSearchInstance,
): Promise<AiSearchInstanceLookup> {
  const { fromApi, prune } = await import("../aiSearchInstance/mapping");
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const rest = Object.fromEntries(Object.entries(i).filter(([k]) => !TYPED.has(k)));
  const settings = (prune(fromApi(rest)) ?? {}) as Record<string, unknown>;
  const parseOptions = (settings.sourceParams as { webCrawler?: { parseOptions?: Record<string, unknown> } })
    ?.webCrawler?.parseOptions;
  if (parseOptions) delete parseOptions.includeHeaders;
  const typed: Record<string, unknown> = {
    type: str(i.type),
    source: str(i.source),
    tokenId: str(i.token_id),
    embeddingModel: str(i.embedding_model),
    status: str(i.status),
    enable: i.enable ?? undefined,
    paused: i.paused ?? undefined,
    createdAt: str(i.created_at),
    modifiedAt: str(i.modified_at),
    createdBy: str(i.created_by),
    modifiedBy: str(i.modified_by),
    engineVersion: i.engine_version ?? undefined,
    publicEndpointId: str(i.public_endpoint_id),
    vectorizeName: str(i.vectorize_name),
    lastActivity: str(i.last_activity),
  };
  const defined = Object.fromEntries(Object.entries(typed).filter(([, v]) => v !== undefined));
  return {
    accountId,
    namespace: str(i.namespace) ?? namespace,
    id: i.id,
    instanceId: i.id,
    ...defined,
    settings,
  };
}

/**
 * One AI Search instance, by namespace and id: one request. Fails when the namespace holds no
 * such instance (or there is no such namespace), naming the id, the namespace and the account.
 */
export async function getAiSearchInstance(args: GetAiSearchInstanceArgs): Promise<AiSearchInstanceLookup> {
  const a = parseArgs("getAiSearchInstance", OneInstanceArgs, args);
  return withAccount(
    "getAiSearchInstance",
    a.accountId,
    a.credentials,
    a.namespace,
    async ({ api, where }) => {
      const { InstanceNotFoundError, NamespaceNotFoundError } = await import("../cloudflare");
      try {
        return await toLookup(
          a.accountId,
          a.namespace,
          await api.aiSearchInstances.read(a.accountId, a.namespace, a.id),
        );
      } catch (err) {
        if (err instanceof InstanceNotFoundError || err instanceof NamespaceNotFoundError) {
          throw new LookupNotFoundError(`AI Search instance with id ${a.id}`, where);
        }
        throw err;
      }
    },
  );
}

/** {@link getAiSearchInstance} taking Inputs: unknown until its inputs are known. */
export function getAiSearchInstanceOutput(
  args: GetAiSearchInstanceOutputArgs,
): pulumi.Output<AiSearchInstanceLookup> {
  return pulumi.output(args).apply((a) => getAiSearchInstance(a as GetAiSearchInstanceArgs));
}

/** Every AI Search instance of a namespace (optionally matching `search`): one request per page. */
export async function getAiSearchInstances(
  args: GetAiSearchInstancesArgs,
): Promise<GetAiSearchInstancesResult> {
  const a = parseArgs("getAiSearchInstances", InstanceListArgs, args);
  return withAccount(
    "getAiSearchInstances",
    a.accountId,
    a.credentials,
    a.namespace,
    async ({ api, where }) => {
      const { NamespaceNotFoundError } = await import("../cloudflare");
      let found: AiSearchInstance[];
      try {
        found = await api.aiSearchInstances.list(a.accountId, a.namespace, a.search);
      } catch (err) {
        if (err instanceof NamespaceNotFoundError)
          throw new LookupNotFoundError(`AI Search namespace "${a.namespace}"`, {
            ...where,
            namespace: undefined,
          });
        throw err;
      }
      return {
        accountId: a.accountId,
        namespace: a.namespace,
        ...(a.search !== undefined ? { search: a.search } : {}),
        results: await Promise.all(found.map((i) => toLookup(a.accountId, a.namespace, i))),
      };
    },
  );
}

/** {@link getAiSearchInstances} taking Inputs. */
export function getAiSearchInstancesOutput(
  args: GetAiSearchInstancesOutputArgs,
): pulumi.Output<GetAiSearchInstancesResult> {
  return pulumi.output(args).apply((a) => getAiSearchInstances(a as GetAiSearchInstancesArgs));
}
