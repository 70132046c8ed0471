// undici (Agent, RetryAgent, request), loaded when the first client is made rather than when the
// package is.
//
// Why: undici's entry costs about 90 ms of CPU in every process that loads it. The dynamic-provider
// host is a new process for every `pulumi preview`, `up`, `refresh` and `destroy`, and `check` and
// `diff` (all an unchanged `preview` runs) send no request, so they need none of it. (Loading only
// undici's inner modules would save another ~50 ms, but means depending on its private file layout
// and rebuilding `request`; not worth it.)
import type * as Undici from "undici";

export interface UndiciParts {
  readonly Agent: typeof Undici.Agent;
  readonly RetryAgent: typeof Undici.RetryAgent;
  readonly request: typeof Undici.request;
}

let loaded: UndiciParts | undefined;

export function undici(): UndiciParts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (see above)
  loaded ??= require("undici") as typeof Undici;
  return loaded;
}
