// Cloudflare's global rate limit: `quota` requests per `windowSeconds` per bearer token. Going
// over blocks the token for a whole window (reference 5.4). Every answer carries
//   Ratelimit: "default";r=<remaining>;t=<seconds to reset>
//   Ratelimit-Policy: "burst";q=<quota>;w=<window>
// and only a 429 carries Retry-After.
import type { RateLimitConfig } from "./config";

interface Bucket {
  windowStart: number;
  count: number;
  blockedUntil: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
  /** Seconds, on a refusal. */
  retryAfterSeconds: number;
}

const SWEEP_AT = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private config: RateLimitConfig,
    private readonly now: () => number,
  ) {}

  configure(config: RateLimitConfig): void {
    this.config = config;
    this.buckets.clear();
  }

  reset(): void {
    this.buckets.clear();
  }

  /** Counts one request of `key` and says whether it may go ahead. */
  hit(key: string): RateLimitDecision {
    const { quota, windowSeconds, enabled } = this.config;
    const windowMs = windowSeconds * 1000;
    const now = this.now();
    if (this.buckets.size >= SWEEP_AT) this.sweep(now, windowMs);

    let bucket = this.buckets.get(key);
    if (!bucket || (now >= bucket.windowStart + windowMs && now >= bucket.blockedUntil)) {
      bucket = { windowStart: now, count: 0, blockedUntil: 0 };
      this.buckets.set(key, bucket);
    }
    const policy = `"burst";q=${quota};w=${windowSeconds}`;

    if (!enabled) {
      return {
        allowed: true,
        retryAfterSeconds: 0,
        headers: { Ratelimit: `"default";r=${quota};t=${windowSeconds}`, "Ratelimit-Policy": policy },
      };
    }
    if (now < bucket.blockedUntil) {
      const wait = Math.max(1, Math.ceil((bucket.blockedUntil - now) / 1000));
      return {
        allowed: false,
        retryAfterSeconds: wait,
        headers: { Ratelimit: `"default";r=0;t=${wait}`, "Ratelimit-Policy": policy },
      };
    }
    bucket.count += 1;
    if (bucket.count > quota) {
      bucket.blockedUntil = now + windowMs;
      const wait = Math.max(1, Math.ceil(windowMs / 1000));
      return {
        allowed: false,
        retryAfterSeconds: wait,
        headers: { Ratelimit: `"default";r=0;t=${wait}`, "Ratelimit-Policy": policy },
      };
    }
    const reset = Math.max(0, Math.ceil((bucket.windowStart + windowMs - now) / 1000));
    return {
      allowed: true,
      retryAfterSeconds: 0,
      headers: { Ratelimit: `"default";r=${quota - bucket.count};t=${reset}`, "Ratelimit-Policy": policy },
    };
  }

  private sweep(now: number, windowMs: number): void {
    for (const [key, b] of this.buckets) {
      if (now >= b.windowStart + windowMs && now >= b.blockedUntil) this.buckets.delete(key);
    }
  }
}
