// ServiceApiToken's pure steps: `check` validates the program's inputs, `diff` compares them with
// the state and says whether the engine should update in place or replace.
import { randomBytes } from "node:crypto";
import type { CheckResult, DiffResult } from "../lifecycle";
import { containsUnknown, validateInputs } from "../validation";
import {
  crossCheckServiceApiToken,
  DEFAULT_SERVICE_TOKEN_NAME,
  MINT_MARKER_KEY,
  MINT_MARKER_PATTERN,
  ServiceApiTokenInputsSchema,
  type ServiceApiTokenInputs,
  type ServiceApiTokenOutputs,
} from "./args";
import { isUsable } from "./apiToken";

/**
 * Validates every input at once; unknown (preview) values pass through. `olds` are the inputs the
 * engine holds in state for the resource: none (an empty object) on its first create and on a
 * replacement's create, which then draw a new mint marker; otherwise the marker in state is kept.
 */
export function check(news: Record<string, unknown>, olds: Record<string, unknown> = {}): CheckResult {
  const result = validateInputs(ServiceApiTokenInputsSchema, news, crossCheckServiceApiToken);
  if (!result.ok) return { inputs: news, failures: [...result.failures] };
  const inputs: ServiceApiTokenInputs = result.value;
  // An adopted registration keeps its own name unless the program names one.
  if (inputs.name === undefined && inputs.adopt === undefined) inputs.name = DEFAULT_SERVICE_TOKEN_NAME;
  const kept = olds[MINT_MARKER_KEY];
  inputs[MINT_MARKER_KEY] =
    typeof kept === "string" && MINT_MARKER_PATTERN.test(kept) ? kept : randomBytes(8).toString("hex");
  return { inputs: { ...inputs, ...legacyBookkeeping(olds) }, failures: [] };
}

/**
 * Inputs that earlier versions of this package added in `check` (`mintMarker`, a hash of the
 * project, stack and resource name that two stacks could share, and `notInState`), carried over
 * unchanged and unused: dropping them would show as a change in the preview of every such
 * resource's next update, which the user did not make.
 */
function legacyBookkeeping(olds: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of ["mintMarker", "notInState"]) if (olds[key] !== undefined) kept[key] = olds[key];
  return kept;
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
