// Route table: templates like `/accounts/:account_id/ai-search/tokens/:id`, matched segment by
// segment. Routes are tried in the order given, so static paths (`/user/tokens/verify`) go before
// parameterised ones (`/user/tokens/:token_id`).
import type { EmulatorBehaviour } from "./config";
import type { ApiReply } from "./envelope";
import type { Logger } from "./log";
import type { ApiTokenRecord } from "./model";
import type { Store } from "./store";

/** How a route authenticates and what it requires of the bearer token. */
export type AuthRule =
  /** Verify endpoints: the bearer token must be a usable token of this owner type; else 1000. */
  | { kind: "verify"; owner: "user" | "account" }
  /** Any of `groups` on the user (`com.cloudflare.api.user.<id>`) or the account resource. */
  | { kind: "permission"; groups: readonly string[]; resource: "user" | "account" };

/** What handlers can reach besides the request. */
export interface EmulatorCore {
  readonly store: Store;
  readonly behaviour: EmulatorBehaviour;
  readonly log: Logger;
  now(): number;
}

export interface RequestContext {
  readonly core: EmulatorCore;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON body; undefined when the request had none. */
  readonly body: unknown;
  /** The authenticated bearer token. */
  readonly token: ApiTokenRecord;
  /** Path after /client/v4, without the query string. */
  readonly path: string;
}

export interface RouteDef {
  method: string;
  template: string;
  /** AI Search routes use the AI Search error envelope and 401 for authentication errors. */
  aiSearch: boolean;
  auth: AuthRule;
  handler: (ctx: RequestContext) => ApiReply;
}

interface CompiledRoute {
  def: RouteDef;
  parts: ({ literal: string } | { param: string })[];
}

export interface RouteMatch {
  route: RouteDef;
  params: Record<string, string>;
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(defs: RouteDef[]) {
    this.routes = defs.map((def) => {
      const parts = def.template
        .split("/")
        .slice(1)
        .map((s) => (s.startsWith(":") ? { param: s.slice(1) } : { literal: s }));
      return { def, parts };
    });
  }

  get templates(): string[] {
    return this.routes.map((r) => `${r.def.method} ${r.def.template}`);
  }

  /** The route for this method and path; undefined when none (a 404 no-route answer). */
  match(method: string, path: string): RouteMatch | undefined {
    const segments = path.split("/").slice(1);
    outer: for (const r of this.routes) {
      if (r.def.method !== method || r.parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const part = r.parts[i]!;
        const seg = segments[i]!;
        if ("literal" in part) {
          if (part.literal !== seg) continue outer;
        } else {
          if (seg === "") continue outer;
          let value: string;
          try {
            value = decodeURIComponent(seg);
          } catch {
            continue outer;
          }
          params[part.param] = value;
        }
      }
      return { route: r.def, params };
    }
    return undefined;
  }
}
