// What a live run records: per step, the facts the provider relies on (statuses, fields, retries),
// so that a run against the emulator and one against real Cloudflare can be compared line by line.
import { CloudflareApiError, CloudflareNetworkError } from "../../provider/cloudflare";

export type Observed = Record<string, unknown>;

export interface StepRecord {
  readonly step: string;
  readonly observed: Observed;
}

export class Observations {
  readonly steps: StepRecord[] = [];

  record(step: string, observed: Observed): void {
    this.steps.push({ step, observed });
  }

  /** Runs a step; a failure is recorded as what it was (class, status, codes), never its full text. */
  async step<T>(
    step: string,
    run: () => Promise<T>,
    observe: (value: T) => Observed,
  ): Promise<T | undefined> {
    try {
      const value = await run();
      this.record(step, observe(value));
      return value;
    } catch (err) {
      this.record(step, { failed: describeError(err) });
      return undefined;
    }
  }
}

export function describeError(err: unknown): Observed {
  if (err instanceof CloudflareApiError) return { error: err.name, status: err.status, codes: err.codes };
  if (err instanceof CloudflareNetworkError) return { error: err.name, cause: err.causeCode };
  // Provider errors are plain Errors whose first line says what happened; secrets never reach them.
  return { error: err instanceof Error ? err.message.split("\n")[0] : String(err) };
}

/** Every step whose observations differ between the emulator's run and the live run. */
export function differences(
  emulator: readonly StepRecord[],
  live: readonly StepRecord[],
): { step: string; key: string; emulator: unknown; live: unknown }[] {
  const found: { step: string; key: string; emulator: unknown; live: unknown }[] = [];
  const steps = new Set([...emulator, ...live].map((s) => s.step));
  for (const step of steps) {
    const e = emulator.find((s) => s.step === step)?.observed ?? { missing: true };
    const l = live.find((s) => s.step === step)?.observed ?? { missing: true };
    for (const key of new Set([...Object.keys(e), ...Object.keys(l)])) {
      if (JSON.stringify(e[key]) !== JSON.stringify(l[key])) {
        found.push({ step, key, emulator: e[key], live: l[key] });
      }
    }
  }
  return found;
}
