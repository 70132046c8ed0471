// The Cloudflare API v4 envelope and the errors the emulator answers with.
//
// Success: `{success: true, errors: [], messages: [], result, result_info?}`.
// Errors come in two shapes: the classic v4 one (`result: null`, `messages: []`) and the one the
// AI Search endpoints use (`{success: false, errors: [...], result: {}}`, no `messages`).

/** One entry of `errors` (or `messages`). */
export interface CfError {
  code: number;
  message: string;
  /** Validation errors point at the offending field. */
  path?: (string | number)[];
  /** Cloudflare nests the detail of header errors (6003) here. */
  error_chain?: { code: number; message: string }[];
}

/** Which error envelope a route answers with. */
export type ErrorStyle = "v4" | "aiSearch";

export interface ResultInfo {
  page: number;
  per_page: number;
  count: number;
  total_count: number;
  /** Many v4 lists have it; the AI Search lists do not (reference 2.1, 5.2). */
  total_pages?: number;
}

/** What a route handler returns: the server turns it into an HTTP answer. */
export interface ApiReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A failed call. Thrown by handlers and checks; the server renders it in the route's style. */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: CfError[];
  readonly headers: Record<string, string>;

  constructor(status: number, errors: CfError[], headers: Record<string, string> = {}) {
    super(errors.map((e) => `${e.code} ${e.message}`).join("; "));
    this.name = "ApiError";
    this.status = status;
    this.errors = errors;
    this.headers = headers;
  }
}

export function success(
  result: unknown,
  opts: { status?: number; resultInfo?: ResultInfo; messages?: CfError[] } = {},
): ApiReply {
  const body: Record<string, unknown> = {
    success: true,
    errors: [],
    messages: opts.messages ?? [],
    result,
  };
  if (opts.resultInfo) body.result_info = opts.resultInfo;
  return { status: opts.status ?? 200, body };
}

export function errorBody(errors: CfError[], style: ErrorStyle): unknown {
  return style === "aiSearch"
    ? { success: false, errors, result: {} }
    : { success: false, errors, messages: [], result: null };
}

// --- The errors, one factory each --------------------------------------------------------------
// Codes and messages follow the reference (sections 2.3, 3.5, 5.3 and 6). Where the reference has
// no code (validation, body too large) the emulator uses 1001 and says so in the message.

export const CODES = {
  invalidApiToken: 1000,
  validation: 1001,
  rateLimited: 971,
  badHeaders: 6003,
  badAuthorizationFormat: 6111,
  malformedJson: 6007,
  route: 7003,
  noRoute: 7000,
  internal: 7001,
  instanceNotFound: 7002,
  invalidServiceToken: 7012,
  unableToConnect: 7017,
  instanceExists: 7022,
  typeAndSource: 7052,
  syncInCooldown: 7020,
  jobNotFound: 7021,
  jobCannotBeCancelled: 7046,
  maxNamespaces: 7062,
  namespaceNotFound: 7063,
  namespaceExists: 7064,
  defaultNamespaceImmutable: 7065,
  namespaceNotEmpty: 7066,
  aiSearchTokenNotFound: 7075,
  customDomainOtherAccount: 7090,
  customDomainInUse: 7091,
  customDomainNeedsEndpoint: 7093,
  tokenInUse: 7076,
  missingAuth: 9106,
  unknownAuthKey: 9103,
  unauthorized: 9109,
  authentication: 10000,
} as const;

export const errors = {
  noRoute: (path: string) =>
    new ApiError(404, [
      {
        code: CODES.route,
        message: `Could not route to ${path}, perhaps your object identifier is invalid?`,
      },
      { code: CODES.noRoute, message: "No route for that URI" },
    ]),
  missingAuth: () =>
    new ApiError(400, [
      { code: CODES.missingAuth, message: "Missing X-Auth-Key, X-Auth-Email or Authorization headers" },
    ]),
  badAuthorizationHeader: () =>
    new ApiError(400, [
      {
        code: CODES.badHeaders,
        message: "Invalid request headers",
        error_chain: [
          { code: CODES.badAuthorizationFormat, message: "Invalid format for Authorization header" },
        ],
      },
    ]),
  unknownAuthKey: () =>
    new ApiError(403, [{ code: CODES.unknownAuthKey, message: "Unknown X-Auth-Key or X-Auth-Email" }]),
  /**
   * The bearer token is unknown, disabled, expired, revoked or not yet valid.
   * AI Search documents 401 / 10000. Elsewhere Cloudflare typically answers 403 with the same
   * code (reference 5.3), so the emulator answers 403 / 10000 on the token routes.
   */
  authentication: (aiSearch: boolean) =>
    new ApiError(aiSearch ? 401 : 403, [{ code: CODES.authentication, message: "Authentication error" }]),
  /** A valid token without the permission group the route needs. */
  unauthorized: () =>
    new ApiError(403, [{ code: CODES.unauthorized, message: "Unauthorized to access requested resource" }]),
  invalidApiToken: () => new ApiError(401, [{ code: CODES.invalidApiToken, message: "Invalid API Token" }]),
  malformedJson: () =>
    new ApiError(400, [{ code: CODES.malformedJson, message: "Malformed JSON in request body" }]),
  bodyTooLarge: (limit: number) =>
    new ApiError(413, [
      { code: CODES.validation, message: `Request body is larger than the limit of ${limit} bytes` },
    ]),
  validation: (issues: { message: string; path?: (string | number)[] }[]) =>
    new ApiError(
      400,
      issues.map((i) => ({
        code: CODES.validation,
        message: i.path && i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message,
        ...(i.path ? { path: i.path } : {}),
      })),
    ),
  rateLimited: (retryAfterSeconds: number) =>
    new ApiError(
      429,
      [{ code: CODES.rateLimited, message: "Please wait and consider throttling your request speed" }],
      { "Retry-After": String(retryAfterSeconds) },
    ),
  internal: () => new ApiError(500, [{ code: CODES.internal, message: "Internal Error" }]),
  /** Cloudflare answers an unknown API token id like an unknown route. */
  apiTokenNotFound: (path: string) => errors.noRoute(path),
  instanceNotFound: () =>
    new ApiError(404, [{ code: CODES.instanceNotFound, message: "ai_search_not_found" }]),
  instanceExists: () =>
    new ApiError(400, [{ code: CODES.instanceExists, message: "ai_search_with_this_name_already_exist" }]),
  typeAndSource: () =>
    new ApiError(400, [
      {
        code: CODES.typeAndSource,
        message: "type_and_source_are_required_for_non_managed_instances",
      },
    ]),
  namespaceNotFound: () =>
    new ApiError(404, [{ code: CODES.namespaceNotFound, message: "namespace_not_found" }]),
  // Namespace and job codes (reference 3.1, 3.6). Confirmed statuses: 7064 409, 7020 429, 7063
  // answers like the other "not found" codes (404). Inferred: 7062 403 (like 7013
  // max_instances_reached), 7065 400, 7066 409 (a conflict with the namespace's content, like
  // 7076), 7021 404, 7046 400 (not 409, which the SDK would retry in vain).
  maxNamespaces: () => new ApiError(403, [{ code: CODES.maxNamespaces, message: "max_namespaces_reached" }]),
  namespaceExists: () =>
    new ApiError(409, [{ code: CODES.namespaceExists, message: "namespace_already_exists" }]),
  defaultNamespaceImmutable: () =>
    new ApiError(400, [
      { code: CODES.defaultNamespaceImmutable, message: "default_namespace_cannot_be_modified_or_deleted" },
    ]),
  namespaceNotEmpty: () =>
    new ApiError(409, [{ code: CODES.namespaceNotEmpty, message: "namespace_has_instances" }]),
  /** `Retry-After` in whole seconds: it is a 429, the only status that carries one (reference 5.4). */
  syncInCooldown: (retryAfterSeconds: number) =>
    new ApiError(429, [{ code: CODES.syncInCooldown, message: "sync_in_cooldown" }], {
      "Retry-After": String(retryAfterSeconds),
    }),
  jobNotFound: () => new ApiError(404, [{ code: CODES.jobNotFound, message: "job_not_found" }]),
  jobCannotBeCancelled: () =>
    new ApiError(400, [{ code: CODES.jobCannotBeCancelled, message: "job_cannot_be_cancelled" }]),
  /**
   * A sync job on an instance with built-in storage, which has none: its items are indexed on
   * upload (reference 3.6). The code and status are inferred: the emulator's validation code.
   */
  noJobsForBuiltInStorage: () =>
    new ApiError(400, [
      {
        code: CODES.validation,
        message:
          "instance has built-in storage (no type and source): its items are indexed on upload, it has no sync jobs",
      },
    ]),
  // Custom domains (reference, "Corrections"): the codes are documented, the statuses are not;
  // 400 like the other AI Search validation codes (inferred; not 409, which the SDK would retry).
  customDomainOtherAccount: (domain: string) =>
    new ApiError(400, [
      {
        code: CODES.customDomainOtherAccount,
        message: `custom_domain_belongs_to_another_account: ${domain}`,
      },
    ]),
  customDomainInUse: (domain: string) =>
    new ApiError(400, [
      { code: CODES.customDomainInUse, message: `custom_domain_already_in_use: ${domain}` },
    ]),
  customDomainNeedsEndpoint: (domain: string) =>
    new ApiError(400, [
      {
        code: CODES.customDomainNeedsEndpoint,
        message: `custom_domain_requires_enabled_public_endpoint: ${domain}`,
      },
    ]),
  invalidServiceToken: () =>
    new ApiError(400, [{ code: CODES.invalidServiceToken, message: "ai_search_instance_invalid_token" }]),
  aiSearchTokenNotFound: () =>
    new ApiError(404, [{ code: CODES.aiSearchTokenNotFound, message: "token_not_found" }]),
  tokenInUse: () => new ApiError(409, [{ code: CODES.tokenInUse, message: "token_in_use_by_instances" }]),
  /** Per-token GET and DELETE on a legacy AI Search token (reference 2.4, conflict C3). */
  legacyToken: () => new ApiError(401, [{ code: CODES.authentication, message: "Authentication error" }]),
};

/** The default code of an injected fault, by HTTP status. */
export function defaultFaultCode(status: number): number {
  if (status === 429) return CODES.rateLimited;
  if (status === 503) return CODES.unableToConnect;
  if (status >= 500) return CODES.internal;
  if (status === 401) return CODES.authentication;
  if (status === 403) return CODES.unauthorized;
  if (status === 404) return CODES.noRoute;
  return CODES.validation;
}
