// The provider object that Pulumi serializes into state for every dynamic resource. It is a thin
// shim: each method loads this package's `runtime` entry at call time and delegates to it. It
// captures no credential, schema or client, and an upgraded package fixes refresh and destroy of
// existing stacks without a `pulumi up` first.
//
// Each resource kind's shim is the whole `module.exports` of its own module in `shims/`. Where the
// package is installed under node_modules (any user's project), Pulumi's serializer then stores
// just `require("pulumi-cloudflare-ai-search/dist/provider/shims/<kind>.js")`: about 260 bytes.
// Where it is not (this repository's own programs and tests, which load it by its real path), the
// serializer copies the shim's functions by value instead: about 2 KB, and just as good.
//
// Either way the `require`s resolve from the program's directory, where the package is
// installed under its name.
import type * as pulumi from "@pulumi/pulumi";
import type * as Runtime from "./runtime";

export type RuntimeResource = "serviceApiToken" | "aiSearchInstance" | "aiSearchNamespace";

/** Inputs and outputs cross the wire as plain JSON objects; the runtime validates them. */
type Props = Record<string, unknown>;
export type ShimProvider = pulumi.dynamic.ResourceProvider<Props, Props>;

export function makeShim(resource: RuntimeResource): ShimProvider {
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
