// What every lookup does first: validate its arguments, find its account's credentials (named by
// `credentials`, else the stack's) in the program's stack config or the environment, and open a
// client to the API. The Cloudflare client (undici) is loaded here, on the first lookup, so that
// importing the package stays cheap for programs that use none.
import { z } from "zod";
import type { CloudflareApi } from "../cloudflare";
import { missingCredentialMessage } from "../config";
import { CloudflareCredentialsSchema, settingsFor, type CloudflareCredentials } from "../credentials";
import { toFailures } from "../validation";
import type { LookupPlace } from "./errors";
import { programConfig } from "./programConfig";

export const AccountId = z
  .string({ error: "accountId is required: the 32-character hexadecimal Cloudflare account id" })
  .regex(/^[0-9a-f]{32}$/, "must be the 32-character hexadecimal Cloudflare account id");

/** The arguments every lookup takes. */
export const LookupBase = z.strictObject({
  accountId: AccountId,
  credentials: CloudflareCredentialsSchema.optional(),
});

/** Parses a lookup's arguments, or throws one error naming the lookup and every bad field. */
export function parseArgs<S extends z.ZodType>(lookup: string, schema: S, args: unknown): z.infer<S> {
  const parsed = schema.safeParse(args ?? {});
  if (parsed.success) return parsed.data;
  throw new Error(
    `${lookup}: ${toFailures(parsed.error)
      .map((f) => f.reason)
      .join("; ")}`,
  );
}

/** An open client to one account, and where it points (for error messages). */
export interface OpenAccount {
  readonly api: CloudflareApi;
  readonly where: LookupPlace;
}

/**
 * Runs `call` with a client for the account, with the credentials and base URL the resources use:
 * the named sources, else `cloudflare:apiToken` / `cloudflare-ai-search:baseUrl`, then the
 * environment. The client (and its connections) is closed afterwards.
 */
export async function withAccount<T>(
  lookup: string,
  accountId: string,
  credentials: CloudflareCredentials | undefined,
  namespace: string | undefined,
  call: (account: OpenAccount) => Promise<T>,
): Promise<T> {
  let settings;
  try {
    settings = settingsFor(credentials, programConfig, process.env);
  } catch (err) {
    throw new Error(`${lookup}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!settings.apiToken) throw new Error(`${lookup}: ${missingCredentialMessage()}`);
  const { cloudflareApi } = await import("../cloudflare");
  const api = cloudflareApi({
    apiToken: settings.apiToken.value,
    baseUrl: settings.baseUrl,
    timeoutMs: settings.http?.timeoutMs,
    retry: {
      ...(settings.http?.maxRetries !== undefined ? { maxRetries: settings.http.maxRetries } : {}),
      ...(settings.http?.minDelayMs !== undefined ? { minDelayMs: settings.http.minDelayMs } : {}),
    },
  });
  const { withCredential } = await import("../context");
  const { AI_SEARCH_EDIT } = await import("../lifecycle");
  const source = settings.apiToken.source;
  try {
    // A refused token (401) or a missing permission (403, 9109: also a token of another account)
    // says which credential it was.
    return await withCredential(source, AI_SEARCH_EDIT, () =>
      call({ api, where: { accountId, namespace, baseUrl: api.client.baseUrl } }),
    );
  } finally {
    await api.client.close();
  }
}
