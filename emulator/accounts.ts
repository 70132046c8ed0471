// The accounts one emulator serves. Each has its own store: its own bootstrap token (its
// management token), API tokens, AI Search tokens, namespaces, instances and jobs. A request is
// served by the store of the account its path names; a route without an account (the user's token
// routes) by the store of the account whose token calls it.
//
// A management token works only on its own account: another account's routes answer 403 / 9109
// (what Cloudflare answers a token that lacks the account), while a token no account knows answers
// 401 / 10000 as before.
import type { Credential } from "./auth";
import { errors } from "./envelope";
import { digest, tokenSecret } from "./ids";
import { Store } from "./store";

/** An account besides the first, as `startEmulator({ accounts })` and `--extra-account` give it. */
export interface ExtraAccountOptions {
  /** 32 lowercase hex characters. */
  accountId: string;
  /** Secret of this account's bootstrap (management) token; generated when omitted. */
  apiToken?: string | undefined;
}

/** One account as `info()` reports it. */
export interface AccountInfo {
  readonly accountId: string;
  readonly userId: string;
  /** Secret of the account's bootstrap token: its management token. */
  readonly apiToken: string;
  readonly bootstrapTokenId: string;
}

export const ACCOUNT_ID_PATTERN = /^[0-9a-f]{32}$/;

/** The data file of an account besides the first: `state.json` -> `state.<account id>.json`. */
export function extraAccountDataFile(dataFile: string | undefined, accountId: string): string | undefined {
  if (dataFile === undefined) return undefined;
  return /\.json$/i.test(dataFile)
    ? dataFile.replace(/\.json$/i, `.${accountId}.json`)
    : `${dataFile}.${accountId}.json`;
}

export class Accounts {
  /** The first account's store first, then the others in the order given. */
  readonly stores: Store[];
  readonly apiTokens: Map<Store, string>;

  constructor(first: Store, firstToken: string, extra: readonly ExtraAccountOptions[], dataFile?: string) {
    this.stores = [first];
    this.apiTokens = new Map([[first, firstToken]]);
    for (const account of extra) {
      if (!ACCOUNT_ID_PATTERN.test(account.accountId)) {
        throw new Error(
          `accounts[].accountId must be 32 lowercase hexadecimal characters, got ${account.accountId}`,
        );
      }
      if (account.apiToken !== undefined && !/^[\x21-\x7e]+$/.test(account.apiToken)) {
        throw new Error("accounts[].apiToken must be non-empty printable ASCII without spaces");
      }
      if (this.stores.some((s) => s.accountId === account.accountId)) {
        throw new Error(`account ${account.accountId} is given twice`);
      }
      const store = new Store({
        accountId: account.accountId,
        defaultAccountId: account.accountId,
        dataFile: extraAccountDataFile(dataFile, account.accountId),
        // A user of its own, so that one account's user token is no use on another.
        userId: digest(`user of ${account.accountId}`).slice(0, 32),
      });
      this.stores.push(store);
      this.apiTokens.set(store, account.apiToken ?? tokenSecret("user"));
    }
  }

  byId(accountId: string): Store | undefined {
    return this.stores.find((s) => s.accountId === accountId);
  }

  /** The store that knows this bearer token, if any. */
  ownerOf(credential: Credential): Store | undefined {
    if (credential.kind !== "bearer") return undefined;
    return this.stores.find((s) => s.tokenBySecret(credential.token) !== undefined);
  }

  /**
   * The store that serves a request. A route naming an account another account's token calls is
   * refused here with 403 / 9109; one naming no known account is left to `authorize`, which
   * refuses it the same way.
   */
  storeFor(credential: Credential, params: Readonly<Record<string, string>>, verify: boolean): Store {
    const first = this.stores[0]!;
    const owner = this.ownerOf(credential);
    const named = params.account_id === undefined ? undefined : this.byId(params.account_id);
    if (!named) return owner ?? first;
    if (!verify && owner && owner !== named) throw errors.unauthorized();
    return named;
  }

  info(): AccountInfo[] {
    return this.stores.map((s) => ({
      accountId: s.accountId,
      userId: s.userId,
      apiToken: this.apiTokens.get(s) ?? "",
      bootstrapTokenId: s.bootstrapToken()?.id ?? "",
    }));
  }
}
