// Injected faults: make a matching call fail, stall or lose its connection. Registered through
// `POST /__emulator/faults` or `addFault()`; matched against the method and the path after
// /client/v4 (query string excluded). In `path`, `*` matches within one path segment (so
// `/accounts/*/tokens` is not `/accounts/x/ai-search/tokens`) and `**` matches across segments.
import { z } from "zod";
import { uuid } from "./ids";

export const FaultSpecSchema = z.strictObject({
  /** HTTP method to match, any when omitted. */
  method: z.string().min(1).optional(),
  /** Path pattern after /client/v4, e.g. `/accounts/*\/ai-search/tokens`; `*` is one segment, `**` any. */
  path: z.string().min(1),
  /** Answer with this status and a v4 error envelope. */
  status: z.number().int().min(400).max(599).optional(),
  /** Error code in the envelope; by default one that suits the status. */
  code: z.number().int().min(1000).optional(),
  message: z.string().optional(),
  /** Wait this long first. Alone (no status, no drop) it only slows the call down. */
  delayMs: z.number().int().min(0).max(600_000).optional(),
  /** Destroy the connection instead of answering. */
  drop: z.boolean().optional(),
  /** `before` (default): the call does not reach the API. `after`: the API does the work, then the answer is replaced or dropped (a lost response). */
  phase: z.enum(["before", "after"]).optional(),
  /** Apply to the next N matching calls only; forever when omitted. */
  times: z.number().int().min(1).optional(),
  /** Chance that a matching call is hit (0..1); 1 when omitted. */
  probability: z.number().min(0).max(1).optional(),
  /** Seed of the fault's own random sequence, for reproducible probabilities. */
  seed: z.number().int().optional(),
  /** Retry-After seconds on a 429 fault (default 1). */
  retryAfterSeconds: z.number().int().min(0).optional(),
});
/**
 * An injected fault, as `addFault()` and `POST /__emulator/faults` take it:
 *
 * - `path` (required): the path after `/client/v4`, without the query; `*` matches within one
 *   segment (`/accounts/*\/tokens` is not `/accounts/x/ai-search/tokens`), `**` across segments.
 * - `method`: the HTTP method to match; any when left out.
 * - `status` (400 to 599), `code` (1000 or more; by default one that suits the status), `message`:
 *   answer with this status and a v4 error envelope.
 * - `delayMs` (up to 600000): wait this long first; alone (no status, no drop) it only slows the call.
 * - `drop`: destroy the connection instead of answering.
 * - `phase`: `"before"` (default) the call does not reach the API; `"after"` the API does the work,
 *   then the answer is replaced or dropped (a lost response).
 * - `times`: the next N matching calls only; forever when left out.
 * - `probability` (0 to 1, default 1) and `seed`: hit a matching call by chance, reproducibly.
 * - `retryAfterSeconds`: `Retry-After` of a 429 fault (default 1).
 */
export type FaultSpec = z.input<typeof FaultSpecSchema>;

export interface ActiveFault {
  id: string;
  spec: z.output<typeof FaultSpecSchema>;
  /** Calls still to hit; Infinity when `times` was not given. */
  remaining: number;
  /** Calls hit so far. */
  hits: number;
  regex: RegExp;
  random: () => number;
}

/** A small seeded PRNG (mulberry32) so `probability` with `seed` is reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function patternToRegex(pattern: string): RegExp {
  const escape = (t: string) => t.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  const body = pattern
    .split("**")
    .map((part) => part.split("*").map(escape).join("[^/]*"))
    .join(".*");
  return new RegExp(`^${body}$`);
}

export class FaultRegistry {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): string {
    const parsed = FaultSpecSchema.parse(spec);
    const id = uuid();
    this.faults.push({
      id,
      spec: parsed,
      remaining: parsed.times ?? Infinity,
      hits: 0,
      regex: patternToRegex(parsed.path),
      random: parsed.seed === undefined ? Math.random : mulberry32(parsed.seed),
    });
    return id;
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length !== before;
  }

  clear(): number {
    const n = this.faults.length;
    this.faults = [];
    return n;
  }

  list(): { id: string; remaining: number | null; hits: number; spec: ActiveFault["spec"] }[] {
    return this.faults.map((f) => ({
      id: f.id,
      remaining: Number.isFinite(f.remaining) ? f.remaining : null,
      hits: f.hits,
      spec: f.spec,
    }));
  }

  /** The first fault that hits this call, consuming one of its `times`. */
  take(method: string, path: string): ActiveFault | undefined {
    if (this.faults.length === 0) return undefined;
    for (const f of this.faults) {
      if (f.remaining <= 0) continue;
      if (f.spec.method && f.spec.method.toUpperCase() !== method) continue;
      if (!f.regex.test(path)) continue;
      const p = f.spec.probability ?? 1;
      if (p < 1 && f.random() >= p) continue;
      f.remaining -= 1;
      f.hits += 1;
      if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
      return f;
    }
    return undefined;
  }
}
