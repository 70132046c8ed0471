// The provider object that Pulumi serializes into state for every dynamic resource. It is a thin
// shim: each method loads this package's `runtime` entry at call time and delegates to it. So the
// stored text is a few hundred bytes, captures no credential, schema or client, and an upgraded
// package fixes refresh and destroy of existing stacks without a `pulumi up` first.
//
// The provider host resolves the `require` below from the program's directory, where this
// package is installed under its name.
import type * as pulumi from "@pulumi/pulumi";
import type * as Runtime from "./runtime";

export type RuntimeResource = "serviceApiToken" | "aiSearchInstance";

/** Inputs and outputs cross the wire as plain JSON objects; the runtime validates them. */
type Props = Record<string, unknown>;
type ShimProvider = pulumi.dynamic.ResourceProvider<Props, Props>;

/** One shared instance per resource kind: Pulumi caches the serialized text per provider object. */
const shims = new Map<RuntimeResource, ShimProvider>();

export function shimFor(resource: RuntimeResource): ShimProvider {
  let shim = shims.get(resource);
  if (!shim) {
    shim = makeShim(resource);
    shims.set(resource, shim);
  }
  return shim;
}

function makeShim(resource: RuntimeResource): ShimProvider {
  // Every byte here is stored in state twice per resource, so the methods are one-liners that
  // forward their arguments, and the runtime entry is looked up once per call.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at call time on purpose (see above)
  const r = () => (require("pulumi-cloudflare-ai-search/runtime") as typeof Runtime)[resource];
  return {
    configure: (...a) => r().configure(...a),
    check: (...a) => r().check(...a),
    diff: (...a) => r().diff(...a),
    create: (...a) => r().create(...a),
    read: (...a) => r().read(...a),
    update: (...a) => r().update(...a),
    delete: (...a) => r().delete(...a),
  };
}
