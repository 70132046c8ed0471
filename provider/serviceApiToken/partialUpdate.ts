// The error an update throws when it changed something it cannot take back: the dynamic-provider
// host turns a thrown object with `id` and `properties` into a partial failure, and the engine
// stores `properties` as the resource's outputs.
import type { ServiceApiTokenOutputs } from "./args";

/** The rotated secret is in `properties`: the host writes it to state although the update failed. */
export class PartialUpdateError extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(id: string, properties: ServiceApiTokenOutputs, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `${reason}\nThe API token's secret was rolled but AI Search did not accept the new one yet; the new ` +
        "secret is kept (as a secret) in state and the next `pulumi up` registers it.",
    );
    this.name = "PartialUpdateError";
    this.id = id;
    this.properties = properties;
    this.reasons = [reason];
  }
}
