// Typed errors of the Cloudflare client. A failed API call becomes a class chosen first by
// Cloudflare's error code (the table below), then by HTTP status. Messages name the method,
// the path and Cloudflare's codes: never a header, a request body or a secret.
//
// No error class has an `id` property: the Pulumi dynamic-provider host treats a thrown
// object with `id` as a partially created resource.
import type { CfMessage } from "./schemas";

export interface ApiErrorDetails {
  readonly status: number;
  readonly method: string;
  /** Path relative to the base URL, without the query string. */
  readonly path: string;
  readonly errors: readonly CfMessage[];
  /** Seconds from `Retry-After`, on 429 answers. */
  readonly retryAfterSeconds?: number | undefined;
}

/** Any answer of the Cloudflare API that is not a success. */
export class CloudflareApiError extends Error {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly errors: readonly CfMessage[];
  readonly retryAfterSeconds: number | undefined;

  constructor(details: ApiErrorDetails, hint?: string) {
    super(describe(details, hint));
    this.name = new.target.name;
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.errors = details.errors;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }

  /** Cloudflare's error codes, in the order the API gave them. */
  get codes(): number[] {
    return this.errors.map((e) => e.code);
  }

  hasCode(code: number): boolean {
    return this.errors.some((e) => e.code === code);
  }
}

function describe(d: ApiErrorDetails, hint: string | undefined): string {
  const codes = d.errors.length
    ? d.errors.map((e) => `${e.code} ${e.message}`).join("; ")
    : "no error details in the response";
  return `Cloudflare API ${d.method} ${d.path} failed with HTTP ${d.status}: ${codes}${hint ? `. ${hint}` : ""}`;
}

// --- By HTTP status -------------------------------------------------------------------------

export class BadRequestError extends CloudflareApiError {}
export class AuthenticationError extends CloudflareApiError {}
export class PermissionDeniedError extends CloudflareApiError {}
export class NotFoundError extends CloudflareApiError {}
export class ConflictError extends CloudflareApiError {}
export class UnprocessableEntityError extends CloudflareApiError {}
export class RateLimitError extends CloudflareApiError {}
export class InternalServerError extends CloudflareApiError {}

// --- By Cloudflare error code ---------------------------------------------------------------

/** 7012: AI Search rejected the credential (wrong key, missing Index Engine permission, or not propagated yet). */
export class InvalidServiceTokenError extends BadRequestError {}
/** 7075: no AI Search token with that id. */
export class AiSearchTokenNotFoundError extends NotFoundError {}
/** 7076: the AI Search token is still used by instances (also for a while after they were deleted). */
export class TokenInUseError extends ConflictError {}
/** 7002: no AI Search instance with that id. */
export class InstanceNotFoundError extends NotFoundError {}
/** 7022: an AI Search instance with that id already exists. */
export class InstanceAlreadyExistsError extends BadRequestError {}
/** 7052: only one of `type` and `source` was given. */
export class TypeAndSourceRequiredError extends BadRequestError {}
/** 7062: the account has the most namespaces it may have (100). */
export class MaxNamespacesReachedError extends BadRequestError {}
/** 7063: no AI Search namespace with that name. */
export class NamespaceNotFoundError extends NotFoundError {}
/** 7064: an AI Search namespace with that name already exists (HTTP 409). */
export class NamespaceAlreadyExistsError extends ConflictError {}
/** 7065: the `default` namespace cannot be deleted or modified. */
export class DefaultNamespaceImmutableError extends BadRequestError {}
/** 7066: the namespace still holds instances, so it cannot be deleted. */
export class NamespaceNotEmptyError extends BadRequestError {}
/** 7090: the custom domain's hostname belongs to another Cloudflare account. */
export class CustomDomainOfAnotherAccountError extends BadRequestError {}
/** 7091: the custom domain is already bound to another instance or namespace. */
export class CustomDomainInUseError extends BadRequestError {}
/** 7093: a custom domain on a public endpoint that is not enabled. */
export class CustomDomainNeedsPublicEndpointError extends BadRequestError {}
/** 7020: a manual sync was started less than 30 s ago (HTTP 429). */
export class SyncInCooldownError extends RateLimitError {}
/** 7021: no sync job with that id. */
export class JobNotFoundError extends NotFoundError {}
/** 10000: the credential was not accepted. */
export class CloudflareAuthenticationError extends AuthenticationError {}
/** 9109: the credential is valid but may not do this. */
export class UnauthorizedToAccessError extends PermissionDeniedError {}
/** 1000: the verify endpoint did not accept the token (e.g. an account token at /user/tokens/verify). */
export class InvalidApiTokenError extends AuthenticationError {}
/** 9106: no credential was sent at all. */
export class MissingCredentialsError extends BadRequestError {}

type ErrorClass = new (details: ApiErrorDetails, hint?: string) => CloudflareApiError;

/** Cloudflare error code -> named error. */
export const ERROR_CODE_CLASSES: ReadonlyMap<number, ErrorClass> = new Map<number, ErrorClass>([
  [7012, InvalidServiceTokenError],
  [7075, AiSearchTokenNotFoundError],
  [7076, TokenInUseError],
  [7002, InstanceNotFoundError],
  [7022, InstanceAlreadyExistsError],
  [7052, TypeAndSourceRequiredError],
  [7062, MaxNamespacesReachedError],
  [7063, NamespaceNotFoundError],
  [7064, NamespaceAlreadyExistsError],
  [7065, DefaultNamespaceImmutableError],
  [7066, NamespaceNotEmptyError],
  [7090, CustomDomainOfAnotherAccountError],
  [7091, CustomDomainInUseError],
  [7093, CustomDomainNeedsPublicEndpointError],
  [7020, SyncInCooldownError],
  [7021, JobNotFoundError],
  [10000, CloudflareAuthenticationError],
  [9109, UnauthorizedToAccessError],
  [1000, InvalidApiTokenError],
  [9106, MissingCredentialsError],
]);

function classForStatus(status: number): ErrorClass {
  if (status === 400) return BadRequestError;
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionDeniedError;
  if (status === 404) return NotFoundError;
  if (status === 409) return ConflictError;
  if (status === 422) return UnprocessableEntityError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return InternalServerError;
  return CloudflareApiError;
}

/** Builds the most specific error for a failed answer. */
export function errorFromResponse(details: ApiErrorDetails, hint?: string): CloudflareApiError {
  for (const e of details.errors) {
    const named = ERROR_CODE_CLASSES.get(e.code);
    if (named) return new named(details, hint);
  }
  const byStatus = classForStatus(details.status);
  return new byStatus(details, hint);
}

/** The API could not be reached, or did not answer in time. */
export class CloudflareNetworkError extends Error {
  readonly method: string;
  readonly path: string;
  readonly causeCode: string | undefined;

  constructor(method: string, path: string, causeCode: string | undefined, message: string) {
    super(`Cloudflare API ${method} ${path} could not be completed: ${message}`);
    this.name = "CloudflareNetworkError";
    this.method = method;
    this.path = path;
    this.causeCode = causeCode;
  }
}

/** The API answered something that does not match the schema we expect. */
export class CloudflareResponseShapeError extends Error {
  constructor(method: string, path: string, issues: string) {
    super(`Cloudflare API ${method} ${path} answered an unexpected shape: ${issues}`);
    this.name = "CloudflareResponseShapeError";
  }
}

/** True for a not-found answer of any kind (404, 7002, 7075). */
export function isNotFound(err: unknown): boolean {
  return err instanceof NotFoundError;
}

/** The same error with advice appended to its message (e.g. which credential lacks which permission). */
export function withHint(err: CloudflareApiError, hint: string): CloudflareApiError {
  return errorFromResponse(
    {
      status: err.status,
      method: err.method,
      path: err.path,
      errors: err.errors,
      retryAfterSeconds: err.retryAfterSeconds,
    },
    hint,
  );
}
