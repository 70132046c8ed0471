// The three parts of undici the client uses (Agent, RetryAgent, request), loaded when the first
// client is made rather than when the package is.
//
// Why: undici's entry loads all of undici (fetch, WebSocket, the cache and mock agents, proxy
// agents...), about 90 ms of CPU in every process that loads it, while these three modules take
// about 40 ms. The dynamic-provider host is a new process for every `pulumi preview`, `up`,
// `refresh` and `destroy`, so that cost is paid on every command; and `check` and `diff` (all an
// unchanged `preview` runs) send no request, so they need none of it.
//
// The modules are loaded by their paths inside the package. Should an undici release move them,
// the whole entry is loaded instead (the same classes, only slower): the unit test
// test/unit/cloudflare.undici.test.ts fails then, so that the paths get updated.
import type * as Undici from "undici";

export interface UndiciParts {
  readonly Agent: typeof Undici.Agent;
  readonly RetryAgent: typeof Undici.RetryAgent;
  readonly request: typeof Undici.request;
  /** "modules": the three modules alone; "entry": undici's whole entry (the fallback). */
  readonly loadedFrom: "modules" | "entry";
}

let loaded: UndiciParts | undefined;

export function undici(): UndiciParts {
  loaded ??= fromModules() ?? fromEntry();
  return loaded;
}

/** `request(url, options)` as undici's entry builds it, for the options the client passes. */
type DispatcherRequest = (this: Undici.Dispatcher, options: Undici.Dispatcher.RequestOptions) => unknown;

function fromModules(): UndiciParts | undefined {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports -- undici's own modules, loaded on first use (see above) */
    const Agent = require("undici/lib/dispatcher/agent") as typeof Undici.Agent;
    const RetryAgent = require("undici/lib/dispatcher/retry-agent") as typeof Undici.RetryAgent;
    const dispatcherRequest = require("undici/lib/api/api-request") as DispatcherRequest;
    /* eslint-enable @typescript-eslint/no-require-imports */
    if (typeof Agent !== "function" || typeof RetryAgent !== "function") return undefined;
    if (typeof dispatcherRequest !== "function") return undefined;
    // What the entry's `request` does with a URL and an explicit dispatcher (the client always
    // passes one): origin and path from the URL, the rest of the options as they are.
    const request = ((
      url: string | URL,
      options: Undici.Dispatcher.RequestOptions & { dispatcher: Undici.Dispatcher },
    ) => {
      const { dispatcher, ...rest } = options;
      const target = typeof url === "string" ? new URL(url) : url;
      return dispatcherRequest.call(dispatcher, {
        ...rest,
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: rest.method ?? "GET",
      });
    }) as unknown as typeof Undici.request;
    return { Agent, RetryAgent, request, loadedFrom: "modules" };
  } catch {
    return undefined;
  }
}

function fromEntry(): UndiciParts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the fallback (see above)
  const entry = require("undici") as typeof Undici;
  return { Agent: entry.Agent, RetryAgent: entry.RetryAgent, request: entry.request, loadedFrom: "entry" };
}
