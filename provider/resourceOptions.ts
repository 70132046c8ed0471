// Resource-option helpers shared by the resource classes.
import * as pulumi from "@pulumi/pulumi";

/** The module part of our type tokens: `pulumi-nodejs:dynamic/cloudflare-ai-search:<Type>`. */
export const TYPE_MODULE = "cloudflare-ai-search";

/** The user's options plus the outputs we always keep secret. */
export function withSecretOutputs(
  opts: pulumi.CustomResourceOptions | undefined,
  secretOutputs: readonly string[],
): pulumi.CustomResourceOptions {
  return pulumi.mergeOptions(opts, { additionalSecretOutputs: [...secretOutputs] });
}

/** `undefined` for each output key, so that the dynamic resource exposes them as Output properties. */
export function seedOutputs(keys: readonly string[]): Record<string, undefined> {
  return Object.fromEntries(keys.map((key) => [key, undefined]));
}
