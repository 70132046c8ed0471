// The aiSearchNamespace shim as a module of its own, so that its exports object is the provider (see ../shim.ts).
// Its path is stored in users' state: it must never move or change its name.
import { makeShim } from "../shim";

export = makeShim("aiSearchNamespace");
