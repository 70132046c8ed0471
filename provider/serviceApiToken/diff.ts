// ServiceApiToken's pure steps: `check` validates the program's inputs, `diff` compares them with
// the state and says whether the engine should update in place or replace.
import type { CheckResult, DiffResult } from "../lifecycle";
import { containsUnknown, validateInputs } from "../validation";
import {
  crossCheckServiceApiToken,
  DEFAULT_SERVICE_TOKEN_NAME,
  ServiceApiTokenInputsSchema,
  type ServiceApiTokenInputs,
  type ServiceApiTokenOutputs,
} from "./args";
import { isUsable } from "./apiToken";

/**
 * Validates every input at once; unknown (preview) values pass through. `olds` are the inputs the
 * engine holds in state for the resource: none (an empty object) when it holds no state for it,
 * which is then recorded as `notInState` for `create` (see args.ts).
 */
export function check(news: Record<string, unknown>, olds: Record<string, unknown> = {}): CheckResult {
  const result = validateInputs(ServiceApiTokenInputsSchema, news, crossCheckServiceApiToken);
  if (!result.ok) return { inputs: news, failures: [...result.failures] };
  const inputs: ServiceApiTokenInputs = result.value;
  // An adopted registration keeps its own name unless the program names one.
  if (inputs.name === undefined && inputs.adopt === undefined) inputs.name = DEFAULT_SERVICE_TOKEN_NAME;
  if (Object.keys(olds).length === 0) inputs.notInState = true;
  return { inputs, failures: [] };
}

const REPLACE_KEYS = ["accountId", "owner", "permissionGroups", "adopt"] as const;

/** Which registration `adopt` names; `deleteOnDestroy` is only a flag for later. */
function adoptTarget(adopt: ServiceApiTokenInputs["adopt"]): unknown {
  return adopt ? { id: adopt.id, name: adopt.name } : undefined;
}

/**
 * Whether the new adopt target is the registration already adopted: the same id, or the name it
 * has. Replacing the resource then would be create-before-delete of one registration: the new
 * resource adopts it, and the old one's delete (with deleteOnDestroy) removes it.
 */
function sameRegistration(olds: ServiceApiTokenOutputs, adopt: ServiceApiTokenInputs["adopt"]): boolean {
  if (!olds.adopted || !adopt || containsUnknown(adopt)) return false;
  return adopt.id !== undefined ? adopt.id === olds.tokenId : adopt.name === olds.name;
}

/** What changed between the state (`olds`, the outputs) and the program (`news`, checked inputs). */
export function diff(olds: ServiceApiTokenOutputs, news: ServiceApiTokenInputs): DiffResult {
  const changed = (a: unknown, b: unknown) => containsUnknown(b) || !sameValue(a, b);
  const replaces: string[] = [];
  for (const key of REPLACE_KEYS) {
    if (key === "permissionGroups") {
      // Permission groups only describe a token this resource mints.
      if (!olds.minted || news.existingApiToken) continue;
      if (changed(sortedCopy(olds.permissionGroups), sortedCopy(news.permissionGroups))) replaces.push(key);
    } else if (key === "owner" && (news.existingApiToken || !olds.minted)) {
      // owner only describes a token this resource minted.
      continue;
    } else if (key === "adopt") {
      const retargeted = changed(adoptTarget(olds.adopt), adoptTarget(news.adopt));
      if (retargeted && !sameRegistration(olds, news.adopt)) replaces.push(key);
    } else if (changed(olds[key], news[key])) {
      replaces.push(key);
    }
  }
  // A refresh found the registration gone (its minted token is still live): make a new one; the
  // old resource's delete then revokes the token.
  if (olds.registrationMissing) replaces.push("tokenId");
  // Switching between a minted and a provided token swaps the credential the registration holds.
  if (!olds.adopted && olds.minted === Boolean(news.existingApiToken)) replaces.push("existingApiToken");

  let update =
    // No name in the program (only possible when adopting): the registration's own name is kept.
    (news.name !== undefined && changed(olds.name, news.name)) ||
    changed(olds.rotationTrigger, news.rotationTrigger) ||
    // State only: the update records them without calling the API.
    changed(olds.adopt?.deleteOnDestroy, news.adopt?.deleteOnDestroy) ||
    changed(olds.deleteWhileInstancesRemain ?? false, news.deleteWhileInstancesRemain ?? false) ||
    changed(adoptTarget(olds.adopt), adoptTarget(news.adopt)) ||
    (!olds.minted && changed(sortedCopy(olds.permissionGroups), sortedCopy(news.permissionGroups)));
  if (
    news.existingApiToken &&
    (changed(olds.cfApiId, news.existingApiToken.id) || changed(olds.value, news.existingApiToken.value))
  ) {
    update = true;
  }
  // Drift found by a refresh: a revoked, disabled, expired or missing underlying token, or a
  // rotation whose secret is not registered yet. The update repairs it in place.
  if (olds.minted && !isUsable(olds.underlyingTokenStatus)) update = true;
  if (olds.registrationStale) update = true;

  return { changes: replaces.length > 0 || update, replaces, deleteBeforeReplace: false };
}

function sortedCopy(values: readonly string[] | undefined): string[] | undefined {
  return values ? [...values].sort() : values;
}

/** Structural equality of JSON values. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
