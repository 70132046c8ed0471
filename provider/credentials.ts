// Per-account credentials: a resource or a lookup names WHERE its account's management token (and
// base URL) are, as the name of a stack config key or of an environment variable, never the value.
// The name is an input like any other (it is not secret); the value is read at run time, by the
// provider from the config the engine hands to `configure()` or from the environment, and by a
// lookup from the program's stack config or the environment. It is never an input, an output, or
// in the serialized provider.
import { z } from "zod";
import {
  checkedBaseUrl,
  resolveSettings,
  type ConfigSource,
  type Credential,
  type ProviderSettings,
} from "./config";

/**
 * Where the Cloudflare credentials of one account are, for a program that manages several
 * accounts. Each field is the NAME of where a value is, never the value:
 *
 * - a name with a colon is a stack config key: `"pulumi-nodejs:productionApiToken"` (set it with
 *   `pulumi config set --secret pulumi-nodejs:productionApiToken <token>`);
 * - a name without one is an environment variable: `"PRODUCTION_CLOUDFLARE_API_TOKEN"`.
 *
 * Rotation: keys in the `pulumi-nodejs:` namespace and environment variables are read as they are
 * when each command runs, so a rotated token needs no `pulumi up` before `refresh` or `destroy`.
 * A key in any other namespace (`"production:apiToken"`) is read, on `refresh` and `destroy`, from
 * the config the engine stored at the last `up` (Pulumi hands dynamic providers that one): after
 * rotating it, run `pulumi up` first, or `pulumi refresh --run-program` / `pulumi destroy --run-program`.
 *
 * Resources and lookups that name no credentials use the stack's (`cloudflare:apiToken`, then
 * `CLOUDFLARE_API_TOKEN`), as before. A change of the names is recorded in state without calling
 * Cloudflare. A named key that is set neither in the stack config nor in the environment fails the
 * preview, naming the key and the resource.
 */
export interface CloudflareCredentials {
  /** Where the management token is (AI Search Edit on the account; API Tokens Write to mint). */
  apiToken: string;
  /** Where the API base URL is. Default: the stack's (`cloudflare-ai-search:baseUrl`, then the environment). */
  baseUrl?: string;
  /** Where a separate token-minting credential is. Default: the `apiToken` named here. */
  tokenMintingApiToken?: string;
}

/** A config key (`namespace:key`) or an environment variable name. */
const SourceName = z
  .string({
    error: 'must be the name of a stack config key ("production:apiToken") or an environment variable',
  })
  .regex(
    /^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.:-]+)?$/,
    'must be the NAME of a stack config key ("production:apiToken") or of an environment variable ' +
      '("PRODUCTION_CLOUDFLARE_API_TOKEN"), never a token itself',
  );

export const CloudflareCredentialsSchema = z.strictObject({
  apiToken: SourceName,
  baseUrl: SourceName.optional(),
  tokenMintingApiToken: SourceName.optional(),
});

/** Where a name points: `config <key>` or `environment variable <NAME>`. */
export function describeSource(name: string): string {
  return name.includes(":") ? `stack config key ${name}` : `environment variable ${name}`;
}

/** The value a name points at, or undefined when it is not set (or empty). */
export function readSource(
  name: string,
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Credential | undefined {
  const raw = name.includes(":") ? config?.get(name) : env[name];
  return raw === undefined || raw.trim() === "" ? undefined : { value: raw, source: describeSource(name) };
}

/** One named source that is set nowhere. */
export interface MissingSource {
  /** The field of `credentials` that names it: `apiToken`, `baseUrl` or `tokenMintingApiToken`. */
  readonly field: keyof CloudflareCredentials;
  readonly name: string;
}

/** The named sources that are set neither in the config nor in the environment. */
export function missingSources(
  credentials: CloudflareCredentials,
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): MissingSource[] {
  const fields = ["apiToken", "baseUrl", "tokenMintingApiToken"] as const;
  return fields.flatMap((field) => {
    const name = credentials[field];
    return name !== undefined && readSource(name, config, env) === undefined ? [{ field, name }] : [];
  });
}

/** Says what is missing and how to set it. */
export function missingSourceMessage(missing: MissingSource): string {
  const how = missing.name.includes(":")
    ? `set it with \`pulumi config set --secret ${missing.name} <value>\``
    : `set the environment variable ${missing.name}`;
  return (
    `credentials.${missing.field} names the ${describeSource(missing.name)}, which is set neither in the ` +
    `stack config nor in the environment: ${how}, or name another`
  );
}

/**
 * The settings of one account: the stack's waits and HTTP bounds, with the credentials and base URL
 * the names point at. The stack's own token-minting credential is not used for a named account (it
 * belongs to the stack's default account): the named one is, else the named management token.
 */
export function settingsFor(
  credentials: CloudflareCredentials | undefined,
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ProviderSettings {
  const stack = resolveSettings(config, env);
  if (!credentials) return stack;
  const missing = missingSources(credentials, config, env);
  if (missing.length) throw new Error(missing.map(missingSourceMessage).join("; "));
  const apiToken = readSource(credentials.apiToken, config, env);
  const minting =
    credentials.tokenMintingApiToken === undefined
      ? apiToken
      : readSource(credentials.tokenMintingApiToken, config, env);
  return {
    ...stack,
    apiToken,
    tokenMintingApiToken: minting,
    baseUrl:
      credentials.baseUrl === undefined
        ? stack.baseUrl
        : checkedBaseUrl(readSource(credentials.baseUrl, config, env)),
  };
}
