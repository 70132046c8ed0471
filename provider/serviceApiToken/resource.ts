// The ServiceApiToken resource class: Pulumi wiring only. The lifecycle lives in provider.ts and
// runs through the runtime shim.
import * as pulumi from "@pulumi/pulumi";
import { seedOutputs, TYPE_MODULE, withSecretOutputs } from "../resourceOptions";
import serviceApiTokenShim from "../shims/serviceApiToken";
import { SERVICE_API_TOKEN_OUTPUT_KEYS, type ServiceApiTokenArgs } from "./args";

/**
 * The Cloudflare AI Search service API token of an account: a Cloudflare API token carrying the
 * AI Search permissions, registered with AI Search and reused by every instance of the account.
 * Pass its `id` (or `tokenId`) as the `tokenId` of AI Search instances.
 */
export class ServiceApiToken extends pulumi.dynamic.Resource {
  /** The Cloudflare account. */
  declare readonly accountId: pulumi.Output<string>;
  /** The registration's name (for an adopted one without `name` in the program, its own). */
  declare readonly name: pulumi.Output<string>;
  /** Who owns the minted API token: "account" or "user". */
  declare readonly owner: pulumi.Output<"account" | "user">;
  /** The minted API token's permission groups, by name. */
  declare readonly permissionGroups: pulumi.Output<string[]>;
  /** The rotation trigger as declared. */
  declare readonly rotationTrigger: pulumi.Output<string | number | boolean | undefined>;
  /** The AI Search token id (the same as `id`): what instances take as `tokenId`. */
  declare readonly tokenId: pulumi.Output<string>;
  /** Id of the underlying Cloudflare API token. */
  declare readonly cfApiId: pulumi.Output<string>;
  /** The underlying API token's secret, always a Pulumi secret. */
  declare readonly value: pulumi.Output<string | undefined>;
  /** Whether the registration is enabled. */
  declare readonly enabled: pulumi.Output<boolean>;
  /** When AI Search created the registration. */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** When AI Search last changed the registration. */
  declare readonly modifiedAt: pulumi.Output<string | undefined>;
  /** The ids of `permissionGroups`, as Cloudflare resolved them. */
  declare readonly permissionGroupIds: pulumi.Output<string[]>;
  /** True when an existing registration was adopted. */
  declare readonly adopted: pulumi.Output<boolean>;
  /** True when this resource minted the underlying API token (and revokes it on delete). */
  declare readonly minted: pulumi.Output<boolean>;
  /** Status of the underlying API token as last read: active, disabled, expired, missing or unknown. */
  declare readonly underlyingTokenStatus: pulumi.Output<string>;

  constructor(name: string, args: ServiceApiTokenArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...seedOutputs(SERVICE_API_TOKEN_OUTPUT_KEYS),
      ...args,
      // A provided secret stays a secret in state, whatever the caller passed.
      existingApiToken:
        args.existingApiToken === undefined ? undefined : pulumi.secret(args.existingApiToken),
    };
    super(
      serviceApiTokenShim,
      name,
      props,
      withSecretOutputs(opts, ["value"]),
      TYPE_MODULE,
      "ServiceApiToken",
    );
  }
}
