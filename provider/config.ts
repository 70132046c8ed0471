// Where the provider finds its credentials, endpoint and waiting bounds: the stack config the
// engine hands to the provider's `configure()`, then the environment. Nothing here is ever a
// resource input or captured in the serialized provider.

/** The part of Pulumi's dynamic `ConfigureRequest.config` we use. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** The package's own config namespace. */
export const CONFIG_NAMESPACE = "cloudflare-ai-search";

export const CONFIG_KEYS = {
  /** The key `@pulumi/cloudflare` users already set. */
  apiToken: "cloudflare:apiToken",
  /** Optional: a separate credential used only to mint the service token's underlying API token. */
  tokenMintingApiToken: `${CONFIG_NAMESPACE}:tokenMintingApiToken`,
  baseUrl: `${CONFIG_NAMESPACE}:baseUrl`,
  propagationRetries: `${CONFIG_NAMESPACE}:propagationRetries`,
  propagationRetryDelayMs: `${CONFIG_NAMESPACE}:propagationRetryDelayMs`,
  deleteTimeoutSeconds: `${CONFIG_NAMESPACE}:deleteTimeoutSeconds`,
  pollIntervalMs: `${CONFIG_NAMESPACE}:pollIntervalMs`,
  requestTimeoutMs: `${CONFIG_NAMESPACE}:requestTimeoutMs`,
  httpRetries: `${CONFIG_NAMESPACE}:httpRetries`,
  httpRetryDelayMs: `${CONFIG_NAMESPACE}:httpRetryDelayMs`,
} as const;

export const ENV_KEYS = {
  apiToken: "CLOUDFLARE_API_TOKEN",
  tokenMintingApiToken: "CLOUDFLARE_AI_SEARCH_TOKEN_MINTING_API_TOKEN",
  /** Checked in this order. CLOUDFLARE_BASE_URL is what the official SDK reads. */
  baseUrl: ["CLOUDFLARE_API_BASE_URL", "CLOUDFLARE_BASE_URL"],
} as const;

/** Bounds of the provider's own waiting loops (not HTTP retries). */
export interface WaitSettings {
  /** Registration attempts while a freshly minted token propagates (7012). */
  readonly propagationRetries: number;
  /** First wait between those attempts; it doubles, capped at 30 s. */
  readonly propagationRetryDelayMs: number;
  /** How long delete waits for AI Search to let go of a token (7076) or for an instance to be gone. */
  readonly deleteTimeoutMs: number;
  readonly pollIntervalMs: number;
}

export const DEFAULT_WAIT_SETTINGS: WaitSettings = {
  propagationRetries: 6,
  propagationRetryDelayMs: 1_000,
  deleteTimeoutMs: 300_000,
  pollIntervalMs: 5_000,
};

/** The HTTP client's own bounds: per-attempt timeout and retries of 429, 5xx and dropped connections. */
export interface HttpSettings {
  /** Per-attempt timeout for the answer's headers and body; undefined: the client's default (30 s). */
  readonly timeoutMs?: number | undefined;
  /** Retries after the first attempt; undefined: the client's default (4). */
  readonly maxRetries?: number | undefined;
  /** First backoff between retries (it doubles); undefined: the client's default (500 ms). */
  readonly minDelayMs?: number | undefined;
}

export interface Credential {
  readonly value: string;
  /** Where it came from, for error messages: a config key or an environment variable name. */
  readonly source: string;
}

export interface ProviderSettings {
  readonly apiToken: Credential | undefined;
  readonly tokenMintingApiToken: Credential | undefined;
  readonly baseUrl: string | undefined;
  readonly wait: WaitSettings;
  /** Optional so that contexts built by hand in tests keep the client defaults. */
  readonly http?: HttpSettings | undefined;
}

export function resolveSettings(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ProviderSettings {
  const fromConfig = (key: string): string | undefined => nonEmpty(config?.get(key));
  const credential = (key: string, envKey: string): Credential | undefined => {
    const configured = fromConfig(key);
    if (configured) return { value: configured, source: `config ${key}` };
    const fromEnv = nonEmpty(env[envKey]);
    return fromEnv ? { value: fromEnv, source: `environment variable ${envKey}` } : undefined;
  };
  const number = (key: string, fallback: number): number => {
    const raw = fromConfig(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) {
      throw new Error(`Config ${key} must be a non-negative number, got ${JSON.stringify(raw)}`);
    }
    return n;
  };
  const optionalNumber = (key: string): number | undefined =>
    fromConfig(key) === undefined ? undefined : number(key, 0);

  return {
    apiToken: credential(CONFIG_KEYS.apiToken, ENV_KEYS.apiToken),
    tokenMintingApiToken: credential(CONFIG_KEYS.tokenMintingApiToken, ENV_KEYS.tokenMintingApiToken),
    baseUrl: checkedBaseUrl(
      fromConfig(CONFIG_KEYS.baseUrl) === undefined
        ? ENV_KEYS.baseUrl
            .filter((k) => nonEmpty(env[k]))
            .map((k) => ({ value: env[k] as string, source: `environment variable ${k}` }))[0]
        : { value: fromConfig(CONFIG_KEYS.baseUrl) as string, source: `Config ${CONFIG_KEYS.baseUrl}` },
    ),
    wait: {
      propagationRetries: number(CONFIG_KEYS.propagationRetries, DEFAULT_WAIT_SETTINGS.propagationRetries),
      propagationRetryDelayMs: number(
        CONFIG_KEYS.propagationRetryDelayMs,
        DEFAULT_WAIT_SETTINGS.propagationRetryDelayMs,
      ),
      deleteTimeoutMs:
        number(CONFIG_KEYS.deleteTimeoutSeconds, DEFAULT_WAIT_SETTINGS.deleteTimeoutMs / 1000) * 1000,
      pollIntervalMs: number(CONFIG_KEYS.pollIntervalMs, DEFAULT_WAIT_SETTINGS.pollIntervalMs),
    },
    http: {
      timeoutMs: optionalNumber(CONFIG_KEYS.requestTimeoutMs),
      maxRetries: optionalNumber(CONFIG_KEYS.httpRetries),
      minDelayMs: optionalNumber(CONFIG_KEYS.httpRetryDelayMs),
    },
  };
}

/** The error for a missing management credential: it says exactly how to set one. */
export function missingCredentialMessage(): string {
  return (
    "No Cloudflare API token found. Set one with `pulumi config set --secret cloudflare:apiToken <token>` " +
    `or the ${ENV_KEYS.apiToken} environment variable. It needs AI Search Edit on the account, and API Tokens ` +
    `Write to mint the service token (or set ${CONFIG_KEYS.tokenMintingApiToken} for that).`
  );
}

/**
 * The base URL, if it is an http(s) URL; otherwise an error naming where it came from and what it
 * should look like (before, `new URL` failed at the first call with a bare "Invalid URL").
 */
export function checkedBaseUrl(given: { value: string; source: string } | undefined): string | undefined {
  if (!given) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(given.value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new Error(
      `${given.source} must be an http(s) URL such as https://api.cloudflare.com/client/v4 (or the emulator's ` +
        `http://127.0.0.1:<port>/client/v4), got ${JSON.stringify(given.value)}`,
    );
  }
  return given.value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
