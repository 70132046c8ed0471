// What Cloudflare's custom-domain refusals mean for the program, the same for instances and
// namespaces: 7090 (the hostname belongs to another account), 7091 (it is already bound to another
// instance or namespace) and 7093 (a custom domain on an endpoint that is not enabled). Each
// becomes an error that names the domain and the fix; anything else is returned as it was.
import {
  CustomDomainInUseError,
  CustomDomainNeedsPublicEndpointError,
  CustomDomainOfAnotherAccountError,
} from "../cloudflare";

/**
 * `err` explained, when it is a custom-domain refusal. `domains`: the custom domains the request
 * carried (the program's), `what`: the resource, e.g. `AI Search instance "docs"`.
 */
export function explainCustomDomainError(
  err: unknown,
  domains: readonly string[],
  what: string,
  accountId: string,
): unknown {
  const named = domains.length ? domains.map((d) => `"${d}"`).join(", ") : "(none named)";
  const field = "publicEndpointParams.customDomains";
  if (err instanceof CustomDomainOfAnotherAccountError) {
    return new Error(
      `${what}: custom domain ${named} belongs to a zone of another Cloudflare account (7090), so it ` +
        `cannot serve this endpoint. Use a hostname in a zone of account ${accountId}, or remove it from ` +
        `${field}. (${err.message})`,
    );
  }
  if (err instanceof CustomDomainInUseError) {
    return new Error(
      `${what}: custom domain ${named} is already bound to another AI Search instance or namespace ` +
        `(7091). Remove it from that one first (its ${field}; a removal unbinds it), then run \`pulumi up\` ` +
        `again; or choose another hostname. (${err.message})`,
    );
  }
  if (err instanceof CustomDomainNeedsPublicEndpointError) {
    return new Error(
      `${what}: custom domain ${named} needs an enabled public endpoint (7093): set ` +
        `publicEndpointParams.enabled: true, or remove ${field}. (${err.message})`,
    );
  }
  return err;
}
