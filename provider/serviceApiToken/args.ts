// The inputs and outputs of ServiceApiToken: the program-facing Args (pulumi.Input values), the
// plain inputs the provider receives, their zod schema, and the outputs kept in state.
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { CloudflareCredentials } from "../credentials";
import type { CheckFailure } from "../validation";

export const DEFAULT_SERVICE_TOKEN_NAME = "AI Search Service API Token";
export const DEFAULT_PERMISSION_GROUPS: readonly string[] = ["AI Search Index Engine"];

/**
 * What a program passes to `new ServiceApiToken(...)`. Only `accountId` is required. Each field
 * says its default and what a change does on the next `pulumi up`: an update in place keeps the AI
 * Search token id (instances are untouched); a replacement makes a new token and registration
 * first, re-points the stack's instances to it, then deletes the old one.
 */
export interface ServiceApiTokenArgs {
  /**
   * The Cloudflare account (32 hexadecimal characters) whose AI Search uses the token.
   * Required. A change replaces the token.
   */
  accountId: pulumi.Input<string>;
  /**
   * Name of the API token and of its AI Search registration. Default "AI Search Service API Token";
   * an adopted registration keeps its own name unless one is given here. A change renames the AI
   * Search registration in place (same token id) and, if this resource minted it, the underlying API
   * token too, whose name ends with this resource's mint marker (random, kept in this stack's
   * state), e.g. `AI Search Service API Token (pulumi 1a2b3c4d5e6f7a8b)`. Renaming the API token is best effort: if it
   * fails, the update still succeeds and says so in a warning. Renaming an adopted registration
   * needs `existingApiToken` (AI Search takes only full updates).
   */
  name?: pulumi.Input<string>;
  /**
   * Who owns the minted API token: "account" (minted at `/accounts/{id}/tokens`) or "user" (at
   * `/user/tokens`, visible only to the user whose credential minted it). Default "account", which
   * suits a stack several people run. A change replaces the token. Ignored with `existingApiToken`.
   */
  owner?: pulumi.Input<"account" | "user">;
  /**
   * Permission groups of the minted API token, by name, resolved to ids through the
   * permission-groups endpoint at run time. Default ["AI Search Index Engine"]; if R2 indexing
   * reports permission errors, add "Workers R2 Storage Write". A change replaces the token (the
   * stack's instances are re-pointed in the same `up`). Ignored with `existingApiToken`.
   */
  permissionGroups?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * An API token you already have (for example `@pulumi/cloudflare`'s `ApiToken`: `{ id: t.id, value: t.value }`).
   * It is registered with AI Search instead of minting one, and never revoked by this resource.
   * The value is always stored as a secret. Default: none (a token is minted). A new `id` or
   * `value` is an update in place: the new secret is registered under the same AI Search token id.
   * Adding or removing it on a resource that did not adopt its registration replaces the token.
   * If the registration's answer is lost (a dropped connection, a 502 after AI Search made it), the
   * create takes over the registration that holds this token under this name and that AI Search
   * created after the request was sent, so the token is never registered twice.
   */
  existingApiToken?: pulumi.Input<{ id: pulumi.Input<string>; value: pulumi.Input<string> }>;
  /**
   * Adopt a registration that already exists, by AI Search token id or by exact name (exactly one
   * of the two), instead of creating a duplicate. Default: none (a token is minted and registered).
   * Adopted registrations are left in place on destroy unless `deleteOnDestroy` (default false).
   * Adopting another registration replaces the resource; changing `deleteOnDestroy`, or naming the
   * same registration by its id instead of its name, is recorded in state and calls nothing. A
   * legacy registration (made by the dashboard) can be adopted only with `existingApiToken`.
   */
  adopt?: pulumi.Input<{
    id?: pulumi.Input<string>;
    name?: pulumi.Input<string>;
    deleteOnDestroy?: pulumi.Input<boolean>;
  }>;
  /**
   * Any string, number or boolean. Default: none. A change rotates the token's secret in place:
   * the API token is rolled and the registration updated with the new secret (same token id,
   * instances untouched). If AI Search does not accept the new secret yet, the update fails with
   * the secret saved in state, and the next `pulumi up` registers it.
   */
  rotationTrigger?: pulumi.Input<string | number | boolean>;
  /**
   * Default false: the delete fails while AI Search instances it does not remove (any namespace, any
   * stack, or made by wrangler or the dashboard) may rely on this token: they name it, or name no
   * token while it is the account's only one. Set true to delete it anyway (they lose access to
   * their data). State only: changing it calls nothing.
   */
  deleteWhileInstancesRemain?: pulumi.Input<boolean>;
  /**
   * Where this resource's Cloudflare credentials are, when the program manages several accounts:
   * the NAMES of stack config keys (`"production:apiToken"`) or environment variables, never the
   * values (see {@link CloudflareCredentials}). Default: the stack's (`cloudflare:apiToken`, then
   * `CLOUDFLARE_API_TOKEN`). The value is read at run time and is never an input or output; a change
   * of the names updates state only (no API call). A name set nowhere fails the preview.
   */
  credentials?: CloudflareCredentials;
}

const ACCOUNT_ID_PATTERN = /^[0-9a-f]{32}$/;

export const ServiceApiTokenInputsSchema = z.strictObject({
  accountId: z
    .string({ error: "accountId is required: the 32-character hexadecimal Cloudflare account id" })
    .regex(
      ACCOUNT_ID_PATTERN,
      "must be the 32-character hexadecimal Cloudflare account id (dashboard: Account home, Account ID)",
    ),
  name: z
    .string()
    .trim()
    .min(1, "must not be empty; leave it out for the default name")
    .max(120, "must be at most 120 characters (a Cloudflare API token name limit)")
    // No schema default: an adopted registration keeps its own name unless the program names one,
    // so `check` fills in DEFAULT_SERVICE_TOKEN_NAME only when nothing is adopted.
    .optional(),
  owner: z
    .enum(["account", "user"], { error: 'must be "account" (the default) or "user"' })
    .default("account"),
  permissionGroups: z
    .array(z.string().trim().min(1, "permission group names must not be empty"))
    .min(1, 'must name at least one permission group, e.g. ["AI Search Index Engine"]')
    .refine((groups) => new Set(groups).size === groups.length, "must not name a permission group twice")
    .default([...DEFAULT_PERMISSION_GROUPS]),
  existingApiToken: z
    .strictObject({
      id: z.string().min(1, "existingApiToken.id must be the id of the API token"),
      value: z.string().min(1, "existingApiToken.value must be the API token's secret value"),
    })
    .optional(),
  adopt: z
    .strictObject({
      id: z.string().min(1).optional(),
      name: z.string().min(1).optional(),
      deleteOnDestroy: z.boolean().default(false),
    })
    .refine((a) => (a.id === undefined) !== (a.name === undefined), {
      message: "adopt needs exactly one of id (the AI Search token id) or name (its exact name)",
    })
    .optional(),
  rotationTrigger: z
    .union([z.string(), z.number(), z.boolean()], {
      error: "must be a string, a number or a boolean (any such value; change it to rotate the secret)",
    })
    .optional(),
  deleteWhileInstancesRemain: z.boolean({ error: "must be true or false (default false)" }).optional(),
});

/** Rules across fields, run after the schema (and skipped for fields unknown during preview). */
export function crossCheckServiceApiToken(
  inputs: ServiceApiTokenInputs,
  unknownKeys: readonly string[],
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (inputs.existingApiToken && !unknownKeys.includes("owner") && inputs.owner === "user") {
    failures.push({
      property: "owner",
      reason: "owner only applies to a token this resource mints; remove it when existingApiToken is set",
    });
  }
  return failures;
}

/**
 * The key under which `check` keeps the resource's mint marker in its inputs (and the provider in
 * its outputs): 16 random hex characters, drawn when the engine holds no state for the resource
 * (its first create, or a replacement's) and kept from then on. The minted API token's name ends
 * with it, so that a clean-up recognises this resource's own tokens: the marker lives only in this
 * stack's state, so no other stack can share it, whatever its project, stack, resource name,
 * backend or organisation. Keys that start with `__` are Pulumi's internal ones: the engine never
 * shows them in a preview, so this bookkeeping never reads as a change.
 */
export const MINT_MARKER_KEY = "__mintMarker";

/** A mint marker as `check` draws it. */
export const MINT_MARKER_PATTERN = /^[0-9a-f]{16}$/;

/** The plain inputs the provider works with, after defaults, with the marker `check` adds. */
export type ServiceApiTokenInputs = z.infer<typeof ServiceApiTokenInputsSchema> & {
  [MINT_MARKER_KEY]?: string;
};

/** What the provider keeps in state. `value` is a secret output. */
export type ServiceApiTokenOutputs = {
  accountId: string;
  name: string;
  owner: "account" | "user";
  permissionGroups: string[];
  adopt?: ServiceApiTokenInputs["adopt"];
  rotationTrigger?: string | number | boolean;
  /** Delete even while instances that may rely on the token remain (state only). */
  deleteWhileInstancesRemain?: boolean;
  /** The AI Search token id: also the resource id, and what instances take as `tokenId`. */
  tokenId: string;
  /** Id of the underlying Cloudflare API token. */
  cfApiId: string;
  /** The underlying API token's secret. Secret; absent for an adopted registration we were not given the value of. */
  value?: string;
  enabled: boolean;
  createdAt?: string;
  modifiedAt?: string;
  /** Resolved ids of `permissionGroups` (empty when the token was not minted here). */
  permissionGroupIds: string[];
  /** True when an existing registration was adopted rather than created. */
  adopted: boolean;
  /** True when this resource minted the underlying API token (and so revokes it on delete). */
  minted: boolean;
  /** Status of the underlying API token as last seen: active, disabled, expired, missing, or unknown. */
  underlyingTokenStatus: string;
  /** Set when a rotation's new secret could not be registered yet; the next update registers it. */
  registrationStale?: boolean;
  /**
   * For a user-owned token: the id of the credential (API token) that minted it, from
   * `/user/tokens/verify`. A user's tokens are visible only to that user, so a 404 on the token
   * means "deleted" only when asked with this same credential; under a teammate's it may just mean
   * "not yours".
   */
  mintedByCredential?: string;
  /**
   * Set by a refresh that found the registration gone while the API token minted for it is still
   * live: the next update replaces the resource, and the old one's delete revokes that token.
   */
  registrationMissing?: boolean;
  /**
   * The resource's mint marker: 16 random hex characters that end the names of the API tokens it
   * mints, drawn at its create and kept in this stack's state only, so that no other stack shares
   * it. Internal (Pulumi never shows `__` fields as a change); kept in the outputs too, so that a
   * refresh returns it with the inputs.
   */
  [MINT_MARKER_KEY]?: string;
};

/** The output keys, seeded as `undefined` in props so that they become Output properties. */
export const SERVICE_API_TOKEN_OUTPUT_KEYS = [
  // Inputs with defaults: Outputs even when the program leaves them out.
  "name",
  "owner",
  "permissionGroups",
  "rotationTrigger",
  "tokenId",
  "cfApiId",
  "value",
  "enabled",
  "createdAt",
  "modifiedAt",
  "permissionGroupIds",
  "adopted",
  "minted",
  "underlyingTokenStatus",
  "registrationStale",
] as const;
