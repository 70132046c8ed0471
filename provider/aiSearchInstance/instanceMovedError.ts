// The partial failure of an update that moved the instance and then failed: the move cannot be
// taken back by failing, so state must say where the instance is now.
import type { AiSearchInstanceOutputs } from "./args";

/**
 * Carries the resource's `id` and `properties` (the old outputs with the new namespace), which the
 * dynamic-provider host turns into a partial failure: the engine records the move, and the next
 * `pulumi up` applies the rest of the update.
 */
export class InstanceMovedError extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(id: string, properties: AiSearchInstanceOutputs, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `${reason}\nAI Search instance "${id}" was moved to namespace "${properties.namespace}" before this ` +
        "failed; the state records the move, and the next `pulumi up` applies the rest of the update.",
    );
    this.name = "InstanceMovedError";
    this.id = id;
    this.properties = properties;
    this.reasons = [reason];
  }
}

/** A thrown object the host treats as a partial failure (it carries `id` and `properties`). */
export function isPartialFailure(err: unknown): boolean {
  return typeof err === "object" && err !== null && "id" in err && "properties" in err;
}
