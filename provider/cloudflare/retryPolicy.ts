// When and how long to wait before retrying a Cloudflare API call. Pure functions, so the
// policy is tested on its own; the client plugs them into undici's RetryAgent.
//
// - 429 is retried for every method: Cloudflare refused the request before doing anything.
// - 5xx and dropped or timed-out connections are retried only for idempotent methods: a
//   retried POST could mint a second API token that nobody would ever revoke.
// - A connection that was never established is retried for every method.
// - `Retry-After` (seconds or an HTTP date) is honoured up to `maxRetryAfterMs`; a longer
//   wait (Cloudflare blocks for 5 minutes past its limit) fails fast with the wait in the error.
// - Otherwise exponential backoff from `minDelayMs`, capped at `maxDelayMs`, minus up to 25 %
//   random jitter so that parallel resources do not retry in lockstep.

export interface RetrySettings {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** The longest `Retry-After` that is waited out rather than reported. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_SETTINGS: RetrySettings = {
  maxRetries: 4,
  minDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
const RETRIED_STATUSES_IDEMPOTENT = new Set([500, 502, 503, 504]);
/** Errors after which the server may or may not have acted on the request. */
const RETRIED_ERRORS_IDEMPOTENT = new Set([
  "ECONNRESET",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);
/** Errors where the request never reached the server. */
const RETRIED_ERRORS_ANY_METHOD = new Set([
  "ECONNREFUSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

export interface FailedAttempt {
  readonly method: string;
  /** 1 for the first retry. */
  readonly retryNumber: number;
  readonly statusCode?: number | undefined;
  readonly errorCode?: string | undefined;
  readonly retryAfter?: string | undefined;
}

/** Milliseconds to wait before the next attempt, or `undefined` to give up. */
export function nextRetryDelayMs(
  attempt: FailedAttempt,
  settings: RetrySettings,
  random: () => number = Math.random,
  now: () => number = Date.now,
): number | undefined {
  if (attempt.retryNumber > settings.maxRetries) return undefined;
  if (!isRetriable(attempt)) return undefined;

  const retryAfterMs = parseRetryAfterMs(attempt.retryAfter, now);
  if (retryAfterMs !== undefined) {
    return retryAfterMs <= settings.maxRetryAfterMs ? retryAfterMs : undefined;
  }
  const exponential = Math.min(settings.maxDelayMs, settings.minDelayMs * 2 ** (attempt.retryNumber - 1));
  return Math.round(exponential * (1 - 0.25 * random()));
}

function isRetriable(a: FailedAttempt): boolean {
  const idempotent = IDEMPOTENT_METHODS.has(a.method.toUpperCase());
  if (a.statusCode !== undefined) {
    if (a.statusCode === 429) return true;
    return idempotent && RETRIED_STATUSES_IDEMPOTENT.has(a.statusCode);
  }
  if (a.errorCode === undefined) return false;
  if (RETRIED_ERRORS_ANY_METHOD.has(a.errorCode)) return true;
  return idempotent && RETRIED_ERRORS_IDEMPOTENT.has(a.errorCode);
}

/** `Retry-After` is seconds, or an HTTP date. */
export function parseRetryAfterMs(
  value: string | undefined,
  now: () => number = Date.now,
): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now());
}
