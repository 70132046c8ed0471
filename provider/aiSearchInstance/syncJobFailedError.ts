// The partial failure of a sync, in a module of its own: the package's entry exports it, and a
// user's program that loads the entry must not load the HTTP client (undici) that sync.ts needs.
import type { AiSearchInstanceOutputs } from "./args";

/**
 * A sync job that ended in error. It carries the resource's `id` and `properties`, which the
 * dynamic-provider host turns into a partial failure: the engine keeps the instance (it exists)
 * with those outputs, and the failed sync is retried by the next `pulumi up`.
 */
export class SyncJobFailedError extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(id: string, properties: AiSearchInstanceOutputs, message: string) {
    super(message);
    this.name = "SyncJobFailedError";
    this.id = id;
    this.properties = properties;
    this.reasons = [message];
  }
}
