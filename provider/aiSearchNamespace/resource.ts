// The AiSearchNamespace resource class: Pulumi wiring only. The lifecycle lives in provider.ts and
// runs through the runtime shim.
import * as pulumi from "@pulumi/pulumi";
import { seedOutputs, TYPE_MODULE } from "../resourceOptions";
import aiSearchNamespaceShim from "../shims/aiSearchNamespace";
import {
  AI_SEARCH_NAMESPACE_OUTPUT_KEYS,
  type AiSearchNamespaceArgs,
  type NamespacePublicEndpointParams,
} from "./args";

/**
 * A Cloudflare AI Search namespace: a group of instances with its own public endpoint. Pass it
 * (or its `name`) as the `namespace` of AI Search instances, so that Pulumi creates it first and
 * deletes it last. `default` exists in every account: declare it only with `adopt: true`.
 */
export class AiSearchNamespace extends pulumi.dynamic.Resource {
  /** The Cloudflare account. */
  declare readonly accountId: pulumi.Output<string>;
  /** The namespace name (the same as `id`). */
  declare readonly name: pulumi.Output<string>;
  /** The description as declared. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** The public endpoint settings as declared. */
  declare readonly publicEndpointParams: pulumi.Output<NamespacePublicEndpointParams | undefined>;
  /** The id of the namespace's public endpoint: its host is `ns-<id>.search.ai.cloudflare.com`. */
  declare readonly publicEndpointId: pulumi.Output<string | undefined>;
  /** True when an existing namespace was adopted rather than created. */
  declare readonly adopted: pulumi.Output<boolean>;
  /** When the API created the namespace. */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** When the API last changed the namespace. */
  declare readonly modifiedAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: AiSearchNamespaceArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      aiSearchNamespaceShim,
      name,
      { ...seedOutputs(AI_SEARCH_NAMESPACE_OUTPUT_KEYS), ...args },
      opts,
      TYPE_MODULE,
      "AiSearchNamespace",
    );
  }
}
