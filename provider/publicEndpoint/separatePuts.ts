// SDK 7.3 on the instance PUT: "Submit Search for Agents metadata and restrictive or unknown
// public endpoint changes or custom domains in separate PUT requests." This package never sends
// Search for Agents `metadata`; it keeps every change of the custom domains out of the PUT that
// carries the other settings. An update becomes, in this order (each step only when needed):
//   1. unbind: the domains that go away, on the endpoint as it was (its default host turned back
//      on if no domain is left, so the endpoint stays reachable);
//   2. the settings and the public endpoint, without `custom_domains` (left out, the API keeps
//      them) and with the default host kept on while a domain still has to be bound;
//   3. bind: the new domains, on the endpoint of step 2;
//   4. the default host turned off, once a domain is bound.
// Unbinding first means a domain moved from one resource to another is free when it is bound,
// and an endpoint being turned off has no domain left on it (7093). Namespaces follow the same
// order (their PUT takes `public_endpoint_params` the same way).

type Body = Record<string, unknown>;
type Endpoint = Record<string, unknown>;

/**
 * The PUT bodies of an update, in order. `body`: the whole desired body (snake_case);
 * `before`: the endpoint the state records (snake_case), or undefined when it is not known
 * (adoption): then every declared domain is bound in a step of its own.
 */
export function separatePuts(body: Body, before: Endpoint | undefined): Body[] {
  const endpoint = asObject(body.public_endpoint_params);
  const domains = endpoint?.custom_domains;
  if (!endpoint || !Array.isArray(domains)) return [body];
  const wanted = domains.map(String);
  const had = Array.isArray(before?.custom_domains) ? before.custom_domains.map(String) : [];
  const { custom_domains: _domains, ...endpointWithout } = endpoint;
  const main = { ...body, public_endpoint_params: endpointWithout };
  if (before !== undefined && sameSet(had, wanted)) return [main];

  const steps: Body[] = [];
  const kept = had.filter((d) => wanted.includes(d));
  if (kept.length < had.length) {
    const unbind: Endpoint = { ...(before ?? {}), custom_domains: kept };
    if (kept.length === 0) delete unbind.default_domain_enabled;
    steps.push({ public_endpoint_params: unbind });
  }
  const binds = wanted.some((d) => !had.includes(d)) || before === undefined;
  const defaultHostOff = endpointWithout.default_domain_enabled === false;
  const deferOff = binds && defaultHostOff && kept.length === 0;
  const mainEndpoint = { ...endpointWithout };
  if (deferOff) delete mainEndpoint.default_domain_enabled;
  steps.push({ ...body, public_endpoint_params: mainEndpoint });
  // Unknown before (adoption): the declared list is sent, even an empty one, which unbinds.
  if (binds && (wanted.length > 0 || before === undefined)) {
    steps.push({ public_endpoint_params: { ...mainEndpoint, custom_domains: wanted } });
  }
  if (deferOff) steps.push({ public_endpoint_params: endpointWithout });
  return steps;
}

/** The custom domains a PUT body carries (none when it leaves them out). */
export function domainsOf(body: Body): string[] {
  const domains = asObject(body.public_endpoint_params)?.custom_domains;
  return Array.isArray(domains) ? domains.map(String) : [];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}
