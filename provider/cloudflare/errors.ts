// Typed errors of the Cloudflare client. A failed API call becomes a class chosen first by the
// "gone" table (answers that name a missing object), then by Cloudflare's error code, then by
// HTTP status. Messages name the method, the path and Cloudflare's codes: never a header, a
// request body or a secret.
//
// Gone means gone: only an answer that names the missing object (GONE_ANSWERS) says it no longer
// exists. Any other 404 (7003/7000 "no route" for a retired path or a wrong base URL, or no code
// at all) is a PathNotServedError, which no caller takes for "deleted": otherwise the day a route
// is retired, refresh would empty state and deletes would report success.
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
  /** The base URL the path was sent to (named in the message of a path that is not served). */
  readonly baseUrl?: string | undefined;
}

/** Any answer of the Cloudflare API that is not a success. */
export class CloudflareApiError extends Error {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly errors: readonly CfMessage[];
  readonly retryAfterSeconds: number | undefined;
  readonly baseUrl: string | undefined;

  constructor(details: ApiErrorDetails, hint?: string) {
    super(describe(details, hint));
    this.name = new.target.name;
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.errors = details.errors;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.baseUrl = details.baseUrl;
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
/** An answer that names the missing object (GONE_ANSWERS): the object is gone. */
export class NotFoundError extends CloudflareApiError {}
/**
 * A 404 that names no object: the base URL does not serve this path (a retired route, a wrong
 * base URL). Never "gone": callers that treat not-found as done must fail on it instead.
 */
export class PathNotServedError extends CloudflareApiError {
  constructor(details: ApiErrorDetails, hint?: string) {
    const where = details.baseUrl ? ` at base URL ${details.baseUrl}` : "";
    super(
      details,
      `${details.method} ${details.path}${where} is not served: the answer names no missing object, so ` +
        "nothing is taken as deleted and state is unchanged. Either the route was retired or the base URL " +
        "is wrong (check cloudflare-ai-search:baseUrl / CLOUDFLARE_API_BASE_URL; the default is " +
        "https://api.cloudflare.com/client/v4)" +
        (hint ? `. ${hint}` : ""),
    );
  }
}
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
/** A 404 on an API token's own route (`/user/tokens/{id}`, `/accounts/{id}/tokens/{id}`): no such token. */
export class ApiTokenNotFoundError extends NotFoundError {}
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

/**
 * One answer that names a missing object: by Cloudflare code, or (the API-token routes, whose
 * not-found answer is undocumented: 1003, or 7003 "perhaps your object identifier is invalid")
 * by any 404 on the object's own path. Those routes are not deprecated, and a wrong base URL fails
 * on the AI Search calls that every caller makes before them.
 */
export interface GoneAnswer {
  /** What is missing, for messages. */
  readonly object: string;
  readonly code?: number;
  /** A 404 on a path like this one (relative to the base URL, no query) names the object. */
  readonly path?: RegExp;
  readonly errorClass: ErrorClass;
}

/** The API token routes' own object: `/user/tokens/{id}` and `/accounts/{id}/tokens/{id}` (and `/value`). */
const API_TOKEN_PATH =
  /^\/(?:user|accounts\/[^/]+)\/tokens\/(?!verify$|permission_groups$)[^/]+(?:\/value)?$/;

/** The only answers that mean "gone". Everything that treats not-found as done goes through `isNotFound`. */
export const GONE_ANSWERS: readonly GoneAnswer[] = [
  { object: "AI Search instance", code: 7002, errorClass: InstanceNotFoundError },
  { object: "AI Search namespace", code: 7063, errorClass: NamespaceNotFoundError },
  { object: "AI Search token", code: 7075, errorClass: AiSearchTokenNotFoundError },
  { object: "sync job", code: 7021, errorClass: JobNotFoundError },
  { object: "API token", path: API_TOKEN_PATH, errorClass: ApiTokenNotFoundError },
];

/** The entry of GONE_ANSWERS this answer matches, if any. */
export function goneAnswerOf(d: Pick<ApiErrorDetails, "status" | "path" | "errors">): GoneAnswer | undefined {
  return GONE_ANSWERS.find((g) =>
    g.code !== undefined
      ? d.errors.some((e) => e.code === g.code)
      : d.status === 404 && g.path !== undefined && g.path.test(d.path),
  );
}

/** Cloudflare error code -> named error (the codes of GONE_ANSWERS are matched there first). */
export const ERROR_CODE_CLASSES: ReadonlyMap<number, ErrorClass> = new Map<number, ErrorClass>([
  ...GONE_ANSWERS.flatMap((g): [number, ErrorClass][] =>
    g.code === undefined ? [] : [[g.code, g.errorClass]],
  ),
  [7012, InvalidServiceTokenError],
  [7076, TokenInUseError],
  [7022, InstanceAlreadyExistsError],
  [7052, TypeAndSourceRequiredError],
  [7062, MaxNamespacesReachedError],
  [7064, NamespaceAlreadyExistsError],
  [7065, DefaultNamespaceImmutableError],
  [7066, NamespaceNotEmptyError],
  [7090, CustomDomainOfAnotherAccountError],
  [7091, CustomDomainInUseError],
  [7093, CustomDomainNeedsPublicEndpointError],
  [7020, SyncInCooldownError],
  [10000, CloudflareAuthenticationError],
  [9109, UnauthorizedToAccessError],
  [1000, InvalidApiTokenError],
  [9106, MissingCredentialsError],
]);

function classForStatus(status: number): ErrorClass {
  if (status === 400) return BadRequestError;
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionDeniedError;
  if (status === 404) return PathNotServedError;
  if (status === 409) return ConflictError;
  if (status === 422) return UnprocessableEntityError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return InternalServerError;
  return CloudflareApiError;
}

/** Builds the most specific error for a failed answer. */
export function errorFromResponse(details: ApiErrorDetails, hint?: string): CloudflareApiError {
  const gone = goneAnswerOf(details);
  if (gone) return new gone.errorClass(details, hint);
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

/**
 * True only for an answer that names the missing object (GONE_ANSWERS): the object is gone. A
 * 404 that names none (PathNotServedError) is false: it must fail, not count as deleted.
 */
export function isNotFound(err: unknown): boolean {
  return err instanceof CloudflareApiError && goneAnswerOf(err) !== undefined;
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
      baseUrl: err.baseUrl,
    },
    hint,
  );
}
