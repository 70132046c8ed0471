// Preview checks of a public endpoint's custom domains, the same for instances and namespaces:
// the API takes one custom domain per instance or namespace, `defaultDomainEnabled: false` needs
// one, and a custom domain needs the endpoint enabled (7093). Failing here names the field before
// anything is sent; the API would refuse the same at apply.
import type { CheckFailure } from "../validation";

/** The public-endpoint settings the checks read (camelCase, as the programs declare them). */
export interface DeclaredEndpoint {
  enabled?: boolean | undefined;
  customDomains?: string[] | undefined;
  defaultDomainEnabled?: boolean | undefined;
}

/** One failure per broken rule, each naming the field (`property` is the dotted path). */
export function publicEndpointFailures(
  endpoint: DeclaredEndpoint | undefined,
  property = "publicEndpointParams",
): CheckFailure[] {
  if (endpoint === undefined) return [];
  const failures: CheckFailure[] = [];
  const fail = (key: string, reason: string) =>
    failures.push({ property: `${property}.${key}`, reason: `${property}.${key}: ${reason}` });
  const domains = endpoint.customDomains ?? [];
  if (domains.length > 1) {
    fail(
      "customDomains",
      `holds ${domains.length} domains (${domains.join(", ")}), but the API takes one custom domain per ` +
        "instance or namespace; keep one",
    );
  }
  if (endpoint.defaultDomainEnabled === false && domains.length === 0) {
    fail(
      "defaultDomainEnabled",
      "false turns off the default <public_endpoint_id>.search.ai.cloudflare.com host, which needs a custom " +
        "domain to reach the endpoint by: add one to customDomains, or leave defaultDomainEnabled out",
    );
  }
  if (domains.length > 0 && endpoint.enabled !== true) {
    fail(
      "customDomains",
      `"${domains[0]}" needs an enabled public endpoint (Cloudflare error 7093): set enabled: true, or remove ` +
        "customDomains",
    );
  }
  return failures;
}
