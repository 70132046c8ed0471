/**
 * The resources, their inputs and outputs, the configuration keys and the errors. Import them
 * from `pulumi-cloudflare-ai-search`.
 *
 * @module pulumi-cloudflare-ai-search
 */
// Public API of pulumi-cloudflare-ai-search.
// First: fails with a clear message on Node.js older than 22, before undici loads.
import "../nodeVersion/assertSupported";
export { ServiceApiToken } from "./serviceApiToken/resource";
export {
  DEFAULT_PERMISSION_GROUPS,
  DEFAULT_SERVICE_TOKEN_NAME,
  type ServiceApiTokenArgs,
  type ServiceApiTokenOutputs,
} from "./serviceApiToken/args";
export { AiSearchInstance } from "./aiSearchInstance/resource";
export {
  DEFAULT_NAMESPACE,
  type AiSearchInstanceArgs,
  type AiSearchInstanceOutputs,
  type PublicEndpointParams,
  type SourceParams,
  type SyncStats,
} from "./aiSearchInstance/args";
export { SyncJobFailedError } from "./aiSearchInstance/syncJobFailedError";
export { AiSearchNamespace } from "./aiSearchNamespace/resource";
export {
  type AiSearchNamespaceArgs,
  type AiSearchNamespaceOutputs,
  type NamespacePublicEndpointParams,
} from "./aiSearchNamespace/args";
export { CONFIG_KEYS, CONFIG_NAMESPACE, ENV_KEYS } from "./config";
export * from "./cloudflare/errors";
export { PartialUpdateError } from "./serviceApiToken/partialUpdate";
export { type CloudflareCredentials } from "./credentials";
export {
  getServiceApiToken,
  getServiceApiTokenOutput,
  getServiceApiTokens,
  getServiceApiTokensOutput,
  type GetServiceApiTokenArgs,
  type GetServiceApiTokenOutputArgs,
  type GetServiceApiTokensArgs,
  type GetServiceApiTokensOutputArgs,
  type GetServiceApiTokensResult,
  type ServiceApiTokenLookup,
} from "./lookups/serviceApiToken";
export {
  getAiSearchInstance,
  getAiSearchInstanceOutput,
  getAiSearchInstances,
  getAiSearchInstancesOutput,
  type AiSearchInstanceLookup,
  type GetAiSearchInstanceArgs,
  type GetAiSearchInstanceOutputArgs,
  type GetAiSearchInstancesArgs,
  type GetAiSearchInstancesOutputArgs,
  type GetAiSearchInstancesResult,
} from "./lookups/aiSearchInstance";
export {
  getAiSearchNamespace,
  getAiSearchNamespaceOutput,
  getAiSearchNamespaces,
  getAiSearchNamespacesOutput,
  type AiSearchNamespaceLookup,
  type GetAiSearchNamespaceArgs,
  type GetAiSearchNamespaceOutputArgs,
  type GetAiSearchNamespacesArgs,
  type GetAiSearchNamespacesOutputArgs,
  type GetAiSearchNamespacesResult,
} from "./lookups/aiSearchNamespace";
export { AmbiguousLookupError, LookupNotFoundError, type LookupPlace } from "./lookups/errors";
