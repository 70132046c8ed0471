/**
 * The local Cloudflare API emulator: `startEmulator`, its options (the behaviour switches) and the
 * handle it returns. Import it from `pulumi-cloudflare-ai-search/emulator`.
 *
 * @module pulumi-cloudflare-ai-search/emulator
 */
// Public API of the local Cloudflare API emulator (`pulumi-cloudflare-ai-search/emulator`).
//
//   const emu = await startEmulator({ port: 0 });
//   const cf = new Cloudflare({ apiToken: emu.apiToken, baseURL: emu.url });
//   ...
//   await emu.close();

// First: fails with a clear message on Node.js older than 22 (package.json engines).
import "../nodeVersion/assertSupported";
import type { BehaviourPatch, EmulatorBehaviour } from "./config";
import type { FaultSpec } from "./faults";
import type { ApiTokenStatus } from "./model";
import { Emulator, type EmulatorInfo, type EmulatorOptions, type RequestCounts } from "./server";
import type { EmulatorStateSnapshot } from "./store";

export type { BehaviourPatch, EmulatorBehaviour, RateLimitConfig } from "./config";
export { DEFAULT_BEHAVIOUR } from "./config";
export type { AccountInfo, ExtraAccountOptions } from "./accounts";
export type { FaultSpec } from "./faults";
export { DEFAULT_ACCOUNT_ID, DEFAULT_USER_ID } from "./ids";
export type { ApiTokenStatus, StoredPolicy } from "./model";
export { PERMISSION_GROUP_IDS, PERMISSION_GROUPS, type PermissionGroupInfo } from "./permissionGroups";
export { DataFileError } from "./persistence";
export type { EmulatorInfo, EmulatorOptions, RequestCounts } from "./server";
export type { CredentialProblem, EmulatorStateSnapshot } from "./store";

/** A running emulator: where it listens (see EmulatorInfo) and how to steer it. */
export interface EmulatorHandle extends EmulatorInfo {
  /** Stops the server and cuts open connections. Idempotent. */
  close(): Promise<void>;
  /** The whole state of one account (the first unless `accountId` names another), without secrets. */
  state(accountId?: string): EmulatorStateSnapshot;
  /** Empty state but the bootstrap token; counts, faults and rate-limit windows cleared; behaviour back to the start-up values unless `keepConfig`. */
  reset(opts?: { keepConfig?: boolean }): void;
  /** Changes behaviour switches at runtime; returns the full new set. */
  configure(patch: BehaviourPatch): EmulatorBehaviour;
  /** The current behaviour switches. */
  behaviour(): EmulatorBehaviour;
  /** Calls per route template (`POST /accounts/:account_id/ai-search/tokens`), plus `total` and `unmatched`. */
  requestCounts(): RequestCounts;
  resetRequestCounts(): void;
  /** Registers a fault; returns its id. */
  addFault(fault: FaultSpec): string;
  removeFault(id: string): boolean;
  clearFaults(): void;
  /** Out-of-band status change of an API token (disable, expire, revoke). False if unknown. */
  setTokenStatus(tokenId: string, status: ApiTokenStatus): boolean;
}

/** Starts an emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const emu = new Emulator(options);
  await emu.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  return {
    ...emu.info(),
    // The bootstrap token's id is looked up on every read (a reset re-creates the token).
    get bootstrapTokenId() {
      return emu.info().bootstrapTokenId;
    },
    close: () => emu.close(),
    state: (accountId) => emu.state(accountId),
    reset: (opts) => emu.reset(opts),
    configure: (patch) => emu.configure(patch),
    behaviour: () => emu.behaviour,
    requestCounts: () => emu.requestCounts(),
    resetRequestCounts: () => emu.resetRequestCounts(),
    addFault: (fault) => emu.addFault(fault),
    removeFault: (id) => emu.faults.remove(id),
    clearFaults: () => void emu.faults.clear(),
    setTokenStatus: (id, status) => emu.setTokenStatus(id, status),
  };
}
