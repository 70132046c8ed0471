// What provider logic needs from the outside world: API clients for the two credentials, the
// waiting bounds, a clock and a log line. The runtime builds one from the configured settings;
// tests build one around undici's MockAgent or the emulator.
import type { Dispatcher } from "undici";
import {
  AuthenticationError,
  cloudflareApi,
  PermissionDeniedError,
  withHint,
  type CloudflareApi,
} from "./cloudflare";
import {
  missingCredentialMessage,
  type Credential,
  type ProviderSettings,
  type WaitSettings,
} from "./config";

export interface ProviderContext {
  readonly wait: WaitSettings;
  /** Client with the management credential (AI Search calls). */
  management(): CloudflareApi;
  /** Client with the token-minting credential (API token calls); the management one if none is set. */
  minting(): CloudflareApi;
  /** Where each credential came from, for error messages. */
  readonly sources: { readonly management: string; readonly minting: string };
  sleep(ms: number): Promise<void>;
  now(): number;
  log(message: string): void;
}

export interface ContextOptions {
  /** A dispatcher to send through (MockAgent in tests). */
  readonly dispatcher?: Dispatcher | undefined;
  readonly retry?: {
    maxRetries?: number;
    minDelayMs?: number;
    maxDelayMs?: number;
    maxRetryAfterMs?: number;
  };
  readonly timeoutMs?: number;
  readonly log?: (message: string) => void;
}

export function createContext(settings: ProviderSettings, options: ContextOptions = {}): ProviderContext {
  const clients = new Map<string, CloudflareApi>();
  const clientFor = (credential: Credential | undefined): CloudflareApi => {
    if (!credential) throw new Error(missingCredentialMessage());
    let api = clients.get(credential.value);
    if (!api) {
      api = cloudflareApi({
        apiToken: credential.value,
        baseUrl: settings.baseUrl,
        dispatcher: options.dispatcher,
        retry: options.retry ?? configuredRetry(settings),
        timeoutMs: options.timeoutMs ?? settings.http?.timeoutMs,
      });
      clients.set(credential.value, api);
    }
    return api;
  };
  const minting = settings.tokenMintingApiToken ?? settings.apiToken;
  return {
    wait: settings.wait,
    management: () => clientFor(settings.apiToken),
    minting: () => clientFor(minting),
    sources: {
      management: settings.apiToken?.source ?? "(none)",
      minting: minting?.source ?? "(none)",
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    log: options.log ?? ((message) => console.error(message)),
  };
}

/** The retry bounds the stack config sets (`cloudflare-ai-search:httpRetries`, `httpRetryDelayMs`). */
function configuredRetry(settings: ProviderSettings): ContextOptions["retry"] {
  const { maxRetries, minDelayMs } = settings.http ?? {};
  return {
    ...(maxRetries !== undefined ? { maxRetries } : {}),
    ...(minDelayMs !== undefined ? { minDelayMs } : {}),
  };
}

/**
 * Runs one API call and, if the credential was refused (401) or lacks a permission (403), says
 * which credential it was and which permission it needs.
 */
export async function withCredential<T>(
  source: string,
  permission: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof AuthenticationError) {
      throw withHint(
        err,
        `The Cloudflare API token from ${source} was not accepted: check that it is a valid, active API token`,
      );
    }
    if (err instanceof PermissionDeniedError) {
      throw withHint(
        err,
        `The Cloudflare API token from ${source} lacks the permission "${permission}": add it to that token ` +
          "(dashboard: My Profile > API Tokens > Edit), or configure one that has it, then run the command again",
      );
    }
    throw err;
  }
}
