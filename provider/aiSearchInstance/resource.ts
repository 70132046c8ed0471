// The AiSearchInstance resource class: Pulumi wiring only. The lifecycle lives in provider.ts and
// runs through the runtime shim.
import * as pulumi from "@pulumi/pulumi";
import { seedOutputs, TYPE_MODULE } from "../resourceOptions";
import aiSearchInstanceShim from "../shims/aiSearchInstance";
import {
  AI_SEARCH_INSTANCE_OUTPUT_KEYS,
  type AiSearchInstanceArgs,
  type AiSearchNamespaceRef,
  type PublicEndpointParams,
  type SyncStats,
} from "./args";

/**
 * A Cloudflare AI Search instance: an R2 bucket, a website or built-in storage, indexed and
 * searchable. Every instance takes the account's service token as `tokenId`
 * (`tokenId: serviceToken.id`; required for R2), so Pulumi creates the token first and deletes it last.
 */
export class AiSearchInstance extends pulumi.dynamic.Resource {
  /** The Cloudflare account. */
  declare readonly accountId: pulumi.Output<string>;
  /** The instance id (the same as `id`). */
  declare readonly instanceId: pulumi.Output<string>;
  /** The namespace the instance is in ("default" unless given). */
  declare readonly namespace: pulumi.Output<string>;
  /** "r2", "web-crawler", or undefined for built-in storage. */
  declare readonly type: pulumi.Output<"r2" | "web-crawler" | undefined>;
  /** The source as declared (the R2 bucket, or the website). */
  declare readonly source: pulumi.Output<string | undefined>;
  /** The tokenId as given (the API never returns it). */
  declare readonly tokenId: pulumi.Output<string | undefined>;
  /** The embedding model in use (the declared one, or the API's default). */
  declare readonly embeddingModel: pulumi.Output<string | undefined>;
  /** The public endpoint settings as declared. */
  declare readonly publicEndpointParams: pulumi.Output<PublicEndpointParams | undefined>;
  /** Whether scheduled syncs are stopped, as declared. */
  declare readonly paused: pulumi.Output<boolean | undefined>;
  /** True when an existing instance was adopted rather than created. */
  declare readonly adopted: pulumi.Output<boolean>;
  /** As the API reports it, e.g. "waiting" (values are undocumented). */
  declare readonly status: pulumi.Output<string | undefined>;
  /** When the API created the instance. */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** When the API last changed the instance. */
  declare readonly modifiedAt: pulumi.Output<string | undefined>;
  /** Who created the instance, as the API reports it. */
  declare readonly createdBy: pulumi.Output<string | undefined>;
  /** Who last changed the instance, as the API reports it. */
  declare readonly modifiedBy: pulumi.Output<string | undefined>;
  /** Whether the instance is enabled, as the API reports it. */
  declare readonly enable: pulumi.Output<boolean | undefined>;
  /** The AI Search engine version of the instance. */
  declare readonly engineVersion: pulumi.Output<string | undefined>;
  /** The id of the instance's public endpoint. */
  declare readonly publicEndpointId: pulumi.Output<string | undefined>;
  /** The Vectorize index behind the instance. */
  declare readonly vectorizeName: pulumi.Output<string | undefined>;
  /** The instance's last indexing activity, as the API reports it. */
  declare readonly lastActivity: pulumi.Output<string | undefined>;
  /** The sync job the last `pulumi up` started (see `sync`). */
  declare readonly lastSyncJobId: pulumi.Output<string | undefined>;
  /** How that job ended (`end_reason`), when `pulumi up` waited for it (`sync.waitSeconds`). */
  declare readonly lastSyncEndReason: pulumi.Output<string | undefined>;
  /** The instance's indexing counts, read after that sync. */
  declare readonly stats: pulumi.Output<SyncStats | undefined>;

  constructor(name: string, args: AiSearchInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    // A namespace resource is taken by its name output, which makes it a dependency: created
    // before the instance, deleted after it.
    // (A structural check, not instanceof: another copy of this package may have made it.)
    const ns = args.namespace;
    const namespace = pulumi.Resource.isInstance(ns) ? (ns as AiSearchNamespaceRef).name : ns;
    super(
      aiSearchInstanceShim,
      name,
      { ...seedOutputs(AI_SEARCH_INSTANCE_OUTPUT_KEYS), ...args, namespace },
      opts,
      TYPE_MODULE,
      "AiSearchInstance",
    );
  }
}
