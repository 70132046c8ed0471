// What AI Search does with a public endpoint's custom domains and with the way a PUT changes the
// endpoint, for instances and namespaces alike (reference, "Corrections"; SDK 7.3 field docs):
//
// - a PUT replaces `public_endpoint_params` whole, except `custom_domains`: left out (or null),
//   the bound domains stay ("omit custom_domains to leave domains unchanged"); a PUT answer echoes
//   `custom_domains` only when the request sent it, null otherwise;
// - one custom domain per instance or namespace; `default_domain_enabled: false` needs one (400);
// - 7093: a custom domain on an endpoint that is not enabled; 7091: the hostname is bound to
//   another instance or namespace of the account; 7090: its zone belongs to another account
//   (the hostnames in `foreignCustomDomains`, a behaviour switch, since the emulator has no zones);
// - "Submit Search for Agents metadata and restrictive or unknown public endpoint changes or
//   custom domains in separate PUT requests": refused when mixed (`separatePublicEndpointPuts`).
import { errors } from "./envelope";
import type { RequestContext } from "./router";

type Endpoint = Record<string, unknown>;

/** Who holds an endpoint: an instance (by namespace and id) or a namespace. */
export type EndpointOwner =
  { kind: "instance"; namespace: string; id: string } | { kind: "namespace"; name: string };

const KNOWN_KEYS = new Set([
  "enabled",
  "authorized_hosts",
  "custom_domains",
  "default_domain_enabled",
  "mcp",
  "rate_limit",
  "search_endpoint",
  "chat_completions_endpoint",
  "instances_allowed",
]);

function isObject(v: unknown): v is Endpoint {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The custom domains an endpoint has bound (none when it has no list). */
export function boundDomains(endpoint: unknown): string[] {
  const domains = isObject(endpoint) ? endpoint.custom_domains : undefined;
  return Array.isArray(domains) ? domains.map((d) => String(d).toLowerCase()) : [];
}

/** What a PUT stores: the sent endpoint, with the stored domains kept when it leaves them out. */
export function endpointAfterPut(stored: unknown, sent: Endpoint): Endpoint {
  const next: Endpoint = { ...sent };
  if (next.custom_domains === undefined || next.custom_domains === null) {
    const kept = isObject(stored) ? stored.custom_domains : undefined;
    if (Array.isArray(kept)) next.custom_domains = kept.map(String);
    else delete next.custom_domains;
  }
  return next;
}

/** A PUT answer's endpoint: `custom_domains` only as the request sent it, else null (SDK 7.3). */
export function echoedOnPut(view: unknown, sent: unknown): void {
  if (!isObject(view)) return;
  const sentDomains = isObject(sent) ? sent.custom_domains : undefined;
  if (!Array.isArray(sentDomains)) view.custom_domains = null;
}

/** Every rule on the endpoint an instance or namespace is about to have; throws the API's error. */
export function checkEndpoint(ctx: RequestContext, endpoint: unknown, owner: EndpointOwner): void {
  if (!isObject(endpoint)) return;
  const domains = boundDomains(endpoint);
  const path = ["public_endpoint_params", "custom_domains"];
  if (domains.length > 1) {
    throw errors.validation([{ message: "at most one custom domain per instance or namespace", path }]);
  }
  if (endpoint.default_domain_enabled === false && domains.length === 0) {
    throw errors.validation([
      {
        message: "default_domain_enabled false requires at least one custom domain",
        path: ["public_endpoint_params", "default_domain_enabled"],
      },
    ]);
  }
  const [domain] = domains;
  if (domain === undefined) return;
  if (endpoint.enabled !== true) throw errors.customDomainNeedsEndpoint(domain);
  const foreign = ctx.core.behaviour.foreignCustomDomains.map((d) => d.toLowerCase());
  if (foreign.some((f) => domain === f || domain.endsWith(`.${f}`)))
    throw errors.customDomainOtherAccount(domain);
  if (heldElsewhere(ctx, domain, owner)) throw errors.customDomainInUse(domain);
}

function heldElsewhere(ctx: RequestContext, domain: string, owner: EndpointOwner): boolean {
  const store = ctx.core.store;
  for (const i of store.instances.values()) {
    if (owner.kind === "instance" && i.namespace === owner.namespace && i.id === owner.id) continue;
    if (i.goneAtMs === undefined && boundDomains(i.settings.public_endpoint_params).includes(domain))
      return true;
  }
  for (const n of store.namespaces.values()) {
    if (owner.kind === "namespace" && n.name === owner.name) continue;
    if (boundDomains(n.public_endpoint_params).includes(domain)) return true;
  }
  return false;
}

/**
 * SDK 7.3's rule for a PUT: Search for Agents `metadata`, a restrictive or unknown change of the
 * public endpoint, and custom domains each need a PUT of their own. The harder reading: any
 * `metadata` and any `custom_domains` sent count, whether or not they change anything.
 */
export function checkSeparatePut(ctx: RequestContext, body: Endpoint, storedEndpoint: unknown): void {
  if (ctx.core.behaviour.separatePublicEndpointPuts === "lax") return;
  const kinds: string[] = [];
  if (body.metadata !== undefined) kinds.push("Search for Agents metadata");
  const sent = body.public_endpoint_params;
  if (isObject(sent) && restrictiveOrUnknown(isObject(storedEndpoint) ? storedEndpoint : {}, sent)) {
    kinds.push("a restrictive or unknown public endpoint change");
  }
  if (isObject(sent) && Array.isArray(sent.custom_domains)) kinds.push("custom domains");
  if (kinds.length > 1) {
    throw errors.validation([
      {
        message:
          "submit Search for Agents metadata, restrictive or unknown public endpoint changes, and custom " +
          `domains in separate PUT requests; this one has ${kinds.join(" and ")}`,
      },
    ]);
  }
}

/**
 * True when `sent` (which replaces `stored` whole, custom domains aside) narrows access, or holds
 * a key the emulator does not know. Turning things on, widening the allowed hosts and changing the
 * MCP description are not restrictive.
 */
export function restrictiveOrUnknown(stored: Endpoint, sent: Endpoint): boolean {
  if (Object.keys(sent).some((k) => !KNOWN_KEYS.has(k))) return true;
  if (stored.enabled === true && sent.enabled !== true) return true;
  if (stored.default_domain_enabled !== false && sent.default_domain_enabled === false) return true;
  for (const key of ["mcp", "search_endpoint", "chat_completions_endpoint"]) {
    const was = isObject(stored[key]) && stored[key].disabled === true;
    const now = isObject(sent[key]) && sent[key].disabled === true;
    if (!was && now) return true;
  }
  const hostsBefore = list(stored.authorized_hosts);
  const hostsAfter = list(sent.authorized_hosts);
  if (
    hostsAfter.length > 0 &&
    (hostsBefore.length === 0 || hostsBefore.some((h) => !hostsAfter.includes(h)))
  ) {
    return true;
  }
  if (JSON.stringify(stored.rate_limit ?? null) !== JSON.stringify(sent.rate_limit ?? null)) return true;
  const allowedBefore = list(stored.instances_allowed);
  const allowedAfter = list(sent.instances_allowed);
  return allowedBefore.some((id) => !allowedAfter.includes(id));
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** A namespace endpoint's `instances_allowed`: each must be an instance in that namespace (SDK 7.3). */
export function checkInstancesAllowed(ctx: RequestContext, namespace: string, endpoint: unknown): void {
  if (!isObject(endpoint)) return;
  const missing = list(endpoint.instances_allowed).filter((id) => {
    const i = ctx.core.store.getInstance(namespace, id);
    return !i || i.goneAtMs !== undefined;
  });
  if (missing.length) {
    throw errors.validation([
      {
        message: `every id must be an existing instance in this namespace; not found: ${missing.join(", ")}`,
        path: ["public_endpoint_params", "instances_allowed"],
      },
    ]);
  }
}
