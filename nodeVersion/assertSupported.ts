// Imported first by the package's library entry points (provider/index, provider/runtime,
// emulator/index), before anything loads undici: on an unsupported Node.js, the first
// `pulumi preview` of a user's program (or the provider host loading the runtime) fails with
// the one message from ./requirement instead of a TypeError from inside a dependency.
import { unsupportedNodeMessage } from "./requirement";

const problem = unsupportedNodeMessage(process.versions.node, process.execPath);
if (problem !== undefined) throw new Error(problem);
