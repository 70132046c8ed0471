// Whether a credential `{cf_api_id, cf_api_key}` may be registered with AI Search: the API token
// must exist, the key must be its current secret, it must be usable, and it must hold AI Search
// Index Engine on the account. On top of that, a freshly minted or rolled secret fails for a while
// (the propagation switches), which is the transient 7012 the provider must retry.
import type { EmulatorBehaviour } from "./config";
import { digest } from "./ids";
import { PERMISSION_GROUP_IDS } from "./permissionGroups";
import { accountResource, grants, unusableReason } from "./permissions";
import type { CredentialProblem, Store } from "./store";

export function credentialProblem(
  store: Store,
  cfApiId: string,
  keyDigest: string,
  nowMs: number,
): CredentialProblem | undefined {
  const token = store.apiTokens.get(cfApiId);
  if (!token) return "api_token_missing";
  if (token.secretDigest !== keyDigest) return "key_mismatch";
  if (unusableReason(token, nowMs)) return "api_token_inactive";
  if (!grants(token, PERMISSION_GROUP_IDS.aiSearchIndexEngine, accountResource(store.accountId))) {
    return "missing_index_engine_permission";
  }
  return undefined;
}

/**
 * Checks a registration attempt. Returns why it is refused (every reason answers 7012), or
 * undefined when it may go ahead. A refusal for propagation counts against the token.
 */
export function registrationRefusal(
  store: Store,
  behaviour: EmulatorBehaviour,
  cfApiId: string,
  cfApiKey: string,
  nowMs: number,
): string | undefined {
  const problem = credentialProblem(store, cfApiId, digest(cfApiKey), nowMs);
  if (problem) return problem;
  const token = store.apiTokens.get(cfApiId)!;
  if (!token.propagated) {
    const tooSoon = nowMs - token.secretIssuedAtMs < behaviour.propagationMs;
    const failuresLeft = token.propagationAttempts < behaviour.propagationFailures;
    if (tooSoon || failuresLeft) {
      token.propagationAttempts += 1;
      return "not_propagated_yet";
    }
    token.propagated = true;
  }
  return undefined;
}
