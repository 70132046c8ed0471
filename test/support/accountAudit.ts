// What an emulator account holds, audited the way the reliability suite judges a run: orphans
// (what no stack's state accounts for) and duplicates. Shared by the fault matrix and the races.
import type { EmulatorHandle } from "../../emulator";

/**
 * The fault matrix's audit of one stack alone in its account: what the emulator holds beyond the
 * bootstrap token, against what the stack declares. Orphans count API tokens no registration
 * holds, registrations and instances beyond the expected ones, and missing ones; duplicates count
 * registrations, and API tokens, that share a name. `detail` lists what is there when either is
 * not 0.
 */
export function audit(
  emulator: EmulatorHandle,
  expected: { tokens: number; instances: number },
): { orphans: number; duplicates: number; detail?: string } {
  const state = emulator.state();
  const tokens = state.apiTokens.filter((t) => !t.bootstrap);
  const registrations = state.aiSearchTokens;
  const names = registrations.map((r) => r.name);
  const duplicates =
    names.length - new Set(names).size + (tokens.length - new Set(tokens.map((t) => t.name)).size);
  const registered = new Set(registrations.map((r) => r.cf_api_id));
  const unregisteredTokens = tokens.filter((t) => !registered.has(t.id)).length;
  const orphans =
    unregisteredTokens +
    Math.max(0, registrations.length - expected.tokens) +
    Math.max(0, state.instances.length - expected.instances);
  const missing =
    Math.max(0, expected.tokens - registrations.length) +
    Math.max(0, expected.instances - state.instances.length);
  const result = { orphans: orphans + missing, duplicates };
  if (!result.orphans && !duplicates) return result;
  // What is there, so that an orphan in a report can be explained without rerunning the matrix.
  const detail = JSON.stringify({
    expected,
    tokens: tokens.map((t) => ({
      id: t.id,
      name: t.name,
      status: t.status,
      registered: registered.has(t.id),
    })),
    registrations: registrations.map((r) => ({ id: r.id, name: r.name, cf_api_id: r.cf_api_id })),
    instances: state.instances.map((i) => i.id),
  });
  return { ...result, detail };
}

/** An account's AI Search tokens (each list sorted), API tokens and instances, and what is broken or orphaned among them. */
export interface AccountInventory {
  /** Registration ids. */
  registrations: string[];
  /** API token ids, the bootstrap token left out. */
  apiTokens: string[];
  /** `namespace/id` of every instance. */
  instances: string[];
  /** API tokens that no registration holds: a mint nothing uses. */
  unregisteredApiTokens: string[];
  /** Registrations that cannot work: disabled, their credential no longer valid, or their API token gone. */
  brokenRegistrations: string[];
  /** Instances that have lost their token (`token_problem`), or rely on none, or are in `error`. */
  brokenInstances: string[];
}

export function inventory(emulator: EmulatorHandle): AccountInventory {
  const state = emulator.state();
  const apiTokens = state.apiTokens.filter((t) => !t.bootstrap);
  const active = new Set(apiTokens.filter((t) => t.status === "active").map((t) => t.id));
  const registered = new Set(state.aiSearchTokens.map((r) => r.cf_api_id));
  const registrationIds = new Set(state.aiSearchTokens.map((r) => r.id));
  const sorted = (ids: string[]) => [...ids].sort();
  return {
    registrations: sorted(state.aiSearchTokens.map((r) => r.id)),
    apiTokens: sorted(apiTokens.map((t) => t.id)),
    instances: sorted(state.instances.map((i) => `${i.namespace}/${i.id}`)),
    unregisteredApiTokens: sorted(apiTokens.filter((t) => !registered.has(t.id)).map((t) => t.id)),
    brokenRegistrations: sorted(
      state.aiSearchTokens
        .filter((r) => !r.enabled || r.credential !== "valid" || !active.has(r.cf_api_id))
        .map((r) => r.id),
    ),
    brokenInstances: sorted(
      state.instances
        .filter(
          (i) =>
            i.token_problem !== null ||
            i.status === "error" ||
            i.token === null ||
            !registrationIds.has(i.token.id),
        )
        .map((i) => `${i.namespace}/${i.id}`),
    ),
  };
}
