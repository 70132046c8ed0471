// The stack config as the program process sees it, for lookups: they run in the program (during
// `pulumi preview` too), where `configure()` never runs, and read the same keys the provider reads.
import * as pulumi from "@pulumi/pulumi";
import type { ConfigSource } from "../config";

/** Reads `namespace:key` from the stack config of the running program. */
export const programConfig: ConfigSource = {
  get(fullKey: string): string | undefined {
    const colon = fullKey.indexOf(":");
    if (colon <= 0) return undefined;
    return new pulumi.Config(fullKey.slice(0, colon)).get(fullKey.slice(colon + 1));
  },
};
