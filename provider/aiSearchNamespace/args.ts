// The inputs and outputs of AiSearchNamespace: the program-facing Args, the checked inputs (zod,
// camelCase) and the outputs kept in state.
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { CloudflareCredentials } from "../credentials";
import {
  ACCOUNT_ID_PATTERN,
  DEFAULT_NAMESPACE,
  PublicEndpointParamsSchema,
  type PublicEndpointParams,
} from "../aiSearchInstance/args";
import { INSTANCE_ID_PATTERN, NAMESPACE_NAME_PATTERN, NAMESPACE_NAME_RULE } from "../cloudflare/schemas";
import { publicEndpointFailures } from "../publicEndpoint/checks";
import type { CheckFailure } from "../validation";

/**
/**
 * A namespace's public endpoint: an instance's, plus `instancesAllowed`. Its host is
 * `ns-<publicEndpointId>.search.ai.cloudflare.com` (a multi-instance search endpoint).
 */
export interface NamespacePublicEndpointParams extends PublicEndpointParams {
  /**
   * Ids of the namespace's instances that the endpoint searches; empty means nothing is
   * searchable. Each must be an instance already in this namespace (the API refuses others), so
   * instances this program creates in it can be listed once they exist (a later `up`). Default:
   * none. Removing it sends an empty list.
   */
  instancesAllowed?: string[];
}

/**
 * What a program passes to `new AiSearchNamespace(...)`. `accountId` and `name` are required.
 * A change of either replaces the namespace: the new one is created first, the instances in it are
 * moved to it in place (they keep their index), then the old namespace is deleted. Any
 * other change is an update in place.
 */
export interface AiSearchNamespaceArgs {
  /** The Cloudflare account (32 hexadecimal characters). A change replaces the namespace. */
  accountId: pulumi.Input<string>;
  /**
   * 1 to 28 lowercase letters, digits or `-`, starting and ending with a letter or digit;
   * instance ids are unique per namespace. A change (a rename) replaces the namespace. `default`
   * exists in every account: declare it only with `adopt: true`.
   */
  name: pulumi.Input<string>;
  /** At most 256 characters. Default: none. An update in place. */
  description?: pulumi.Input<string>;
  /**
   * The namespace's public endpoint (multi-instance search), sent as a whole. Default: the API's
   * (off). An update in place. Removing it turns the endpoint off (`enabled: false`) and unbinds
   * its custom domain; an endpoint turned on outside the program shows as drift on refresh. Custom
   * domains follow the instance's rules.
   */
  publicEndpointParams?: pulumi.Input<NamespacePublicEndpointParams>;
  /**
   * Adopt a namespace that already exists with this name instead of failing with 7064; required
   * for `default`, which every account has and which is never changed or deleted. An adopted
   * namespace is left in place on destroy unless `{ deleteOnDestroy: true }`. Default: not adopted.
   */
  adopt?: pulumi.Input<boolean | { deleteOnDestroy?: pulumi.Input<boolean> }>;
  /**
   * Where this resource's Cloudflare credentials are, when the program manages several accounts:
   * the NAMES of stack config keys (`"production:apiToken"`) or environment variables, never the
   * values (see {@link CloudflareCredentials}). Default: the stack's (`cloudflare:apiToken`, then
   * `CLOUDFLARE_API_TOKEN`). The value is read at run time and is never an input or output; a change
   * of the names updates state only (no API call). A name set nowhere fails the preview.
   */
  credentials?: CloudflareCredentials;
}

export const AiSearchNamespaceInputsSchema = z.strictObject({
  accountId: z
    .string({ error: "accountId is required: the 32-character hexadecimal Cloudflare account id" })
    .regex(
      ACCOUNT_ID_PATTERN,
      "must be the 32-character hexadecimal Cloudflare account id (dashboard: Account home, Account ID)",
    ),
  name: z
    .string({ error: 'name is required: the namespace name you choose, e.g. "team-a"' })
    .regex(NAMESPACE_NAME_PATTERN, `must be ${NAMESPACE_NAME_RULE}, e.g. "team-a"`),
  description: z.string().max(256, "must be at most 256 characters").optional(),
  publicEndpointParams: z
    .strictObject({
      ...PublicEndpointParamsSchema.shape,
      instancesAllowed: z
        .array(z.string().regex(INSTANCE_ID_PATTERN, "must be an instance id of this namespace"))
        .optional(),
    })
    .optional(),
  // `true` is short for `{ deleteOnDestroy: false }`; `false` is the same as leaving it out.
  adopt: z
    .union([z.boolean(), z.strictObject({ deleteOnDestroy: z.boolean().optional() })], {
      error: "must be true, or { deleteOnDestroy: true } to also delete the adopted namespace on destroy",
    })
    .transform((a) =>
      a === false ? undefined : { deleteOnDestroy: a === true ? false : !!a.deleteOnDestroy },
    )
    .optional(),
});

export type AiSearchNamespaceInputs = z.infer<typeof AiSearchNamespaceInputsSchema>;

export const NAMESPACE_INPUT_KEYS = Object.keys(
  AiSearchNamespaceInputsSchema.shape,
) as (keyof AiSearchNamespaceInputs)[];

/** Changes of these replace the namespace. */
export const NAMESPACE_REPLACE_KEYS = ["accountId", "name"] as const;

/**
 * `default` exists in every account and cannot be created, changed or deleted (7065): a program
 * may only adopt it, as it is.
 */
export function crossCheckAiSearchNamespace(
  inputs: AiSearchNamespaceInputs,
  unknownKeys: readonly string[],
): CheckFailure[] {
  const failures: CheckFailure[] = unknownKeys.includes("publicEndpointParams")
    ? []
    : publicEndpointFailures(inputs.publicEndpointParams);
  if (unknownKeys.includes("name") || inputs.name !== DEFAULT_NAMESPACE) return failures;
  if (!unknownKeys.includes("adopt") && inputs.adopt === undefined) {
    failures.push({
      property: "name",
      reason:
        'name: "default" is the namespace every account has; it cannot be created or deleted (7065). Set ' +
        "`adopt: true` to refer to it, or leave `namespace` out of the instances, which then use it.",
    });
  }
  if (inputs.adopt?.deleteOnDestroy) {
    failures.push({
      property: "adopt",
      reason: 'adopt: the "default" namespace cannot be deleted (7065); use `adopt: true`.',
    });
  }
  for (const key of ["description", "publicEndpointParams"] as const) {
    if (!unknownKeys.includes(key) && inputs[key] !== undefined) {
      failures.push({
        property: key,
        reason: `${key}: the "default" namespace cannot be modified (7065); remove ${key}.`,
      });
    }
  }
  return failures;
}

export type AiSearchNamespaceOutputs = AiSearchNamespaceInputs & {
  /** True when an existing namespace was adopted rather than created. */
  adopted: boolean;
  createdAt?: string;
  modifiedAt?: string;
  /** The id of the namespace's public endpoint: its host is `ns-<id>.search.ai.cloudflare.com`. */
  publicEndpointId?: string;
};

export const NAMESPACE_COMPUTED_KEYS = ["adopted", "createdAt", "modifiedAt", "publicEndpointId"] as const;

export const AI_SEARCH_NAMESPACE_OUTPUT_KEYS: readonly string[] = [
  ...NAMESPACE_INPUT_KEYS,
  ...NAMESPACE_COMPUTED_KEYS,
];
