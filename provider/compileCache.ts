// Imported first by the runtime entry (what the dynamic-provider host loads on its first call):
// turns on Node's module compile cache for the modules loaded after it, so that every `pulumi`
// command's provider host reuses V8's compiled code for this package, zod and undici instead of
// compiling them again. Compiling them is most of this package's one-off cost per host: about
// 90 ms of CPU in a profile of bench part 1 at N = 50 (docs/performance.md), about 30 ms less
// with the cache warm (`npm run bench -- 1`, before/after in CONTRIBUTING.md).
//
// A quiet optimisation, as Node designs it: it never throws (a read-only temp directory just
// leaves it off), `NODE_COMPILE_CACHE=<dir>` picks the directory (default: `<os tmpdir>/node-compile-cache`),
// and `NODE_DISABLE_COMPILE_CACHE=1` turns it off. The user's program process is left alone: only
// the provider host, which exists to run dynamic providers, gets it.
import * as nodeModule from "node:module";

// Node.js 22.0 has no enableCompileCache (added in 22.1); `engines` allows 22.0.
if (typeof nodeModule.enableCompileCache === "function") nodeModule.enableCompileCache();
