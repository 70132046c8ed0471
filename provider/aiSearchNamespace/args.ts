// The inputs and outputs of AiSearchNamespace: the program-facing Args, the checked inputs (zod,
// camelCase) and the outputs kept in state.
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  ACCOUNT_ID_PATTERN,
  DEFAULT_NAMESPACE,
  PublicEndpointParamsSchema,
  type PublicEndpointParams,
} from "../aiSearchInstance/args";
import { INSTANCE_ID_PATTERN } from "../cloudflare/schemas";
import type { CheckFailure } from "../validation";

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
   * 1 to 64 lowercase letters, digits, `-` or `_`; instance ids are unique per namespace. A change
   * (a rename) replaces the namespace. `default` exists in every account: declare it only with
   * `adopt: true`.
   */
  name: pulumi.Input<string>;
  /** At most 256 characters. Default: none. An update in place. */
  description?: pulumi.Input<string>;
  /** The namespace's public endpoint, sent as a whole. Default: the API's. An update in place. */
  publicEndpointParams?: pulumi.Input<PublicEndpointParams>;
  /**
   * Adopt a namespace that already exists with this name instead of failing with 7064; required
   * for `default`, which every account has and which is never changed or deleted. An adopted
   * namespace is left in place on destroy unless `{ deleteOnDestroy: true }`. Default: not adopted.
   */
  adopt?: pulumi.Input<boolean | { deleteOnDestroy?: pulumi.Input<boolean> }>;
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
    .regex(INSTANCE_ID_PATTERN, "must be 1 to 64 lowercase letters, digits, '-' or '_', e.g. \"team-a\""),
  description: z.string().max(256, "must be at most 256 characters").optional(),
  publicEndpointParams: PublicEndpointParamsSchema.optional(),
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
  if (unknownKeys.includes("name") || inputs.name !== DEFAULT_NAMESPACE) return [];
  const failures: CheckFailure[] = [];
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
};

export const NAMESPACE_COMPUTED_KEYS = ["adopted", "createdAt", "modifiedAt"] as const;

export const AI_SEARCH_NAMESPACE_OUTPUT_KEYS: readonly string[] = [
  ...NAMESPACE_INPUT_KEYS,
  ...NAMESPACE_COMPUTED_KEYS,
];
