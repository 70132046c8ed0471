// The Cloudflare API client: one object per API area over one HTTP client.
import { CloudflareClient, type CloudflareClientOptions } from "./client";
import { AiSearchInstances } from "./aiSearchInstances";
import { AiSearchNamespaces } from "./aiSearchNamespaces";
import { AiSearchTokens } from "./aiSearchTokens";
import { ApiTokens } from "./apiTokens";

export * from "./errors";
export {
  CloudflareClient,
  DEFAULT_BASE_URL,
  type CloudflareClientOptions,
  type RequestEvent,
} from "./client";
export { ApiTokens, type TokenOwner } from "./apiTokens";
export { AiSearchTokens } from "./aiSearchTokens";
export { AiSearchInstances, DEFAULT_NAMESPACE } from "./aiSearchInstances";
export { AiSearchNamespaces } from "./aiSearchNamespaces";

export interface CloudflareApi {
  readonly client: CloudflareClient;
  readonly apiTokens: ApiTokens;
  readonly aiSearchTokens: AiSearchTokens;
  readonly aiSearchInstances: AiSearchInstances;
  readonly aiSearchNamespaces: AiSearchNamespaces;
}

export function cloudflareApi(options: CloudflareClientOptions): CloudflareApi {
  const client = new CloudflareClient(options);
  return {
    client,
    apiTokens: new ApiTokens(client),
    aiSearchTokens: new AiSearchTokens(client),
    aiSearchInstances: new AiSearchInstances(client),
    aiSearchNamespaces: new AiSearchNamespaces(client),
  };
}
