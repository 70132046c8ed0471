// The result objects the emulator answers with, written from the API reference. The view
// functions of the routes are typed with these, so a field the reference does not list cannot
// slip into an answer unnoticed.

/** An API token as reads return it (reference 4): never its secret. */
export interface ApiTokenResponse {
  id: string;
  name: string;
  status: string;
  issued_on: string;
  modified_on: string;
  last_used_on: string | null;
  policies: unknown[];
  expires_on?: string;
  not_before?: string;
  condition?: Record<string, unknown>;
}

/** Create and roll are the only answers that carry the secret. */
export interface CreatedApiTokenResponse extends ApiTokenResponse {
  value: string;
}

/** An AI Search token (reference 2.2): `cf_api_key` is never returned. */
export interface AiSearchTokenResponse {
  id: string;
  name: string;
  cf_api_id: string;
  created_at: string;
  modified_at: string;
  created_by: string | null;
  modified_by: string | null;
  enabled: boolean;
  legacy: boolean;
}

/**
 * An AI Search instance (reference 3.4): `id`, `created_at` and `modified_at` required, the
 * configuration echoed back (write-only settings and `token_id` only when a switch says so) and
 * the computed fields.
 */
export interface InstanceResponse extends Record<string, unknown> {
  id: string;
  created_at: string;
  modified_at: string;
  type: string | null;
  source: string | null;
  namespace: string;
  status: string;
  enable: boolean;
  paused: boolean;
  public_endpoint_id: string;
  created_by: string | null;
  modified_by: string | null;
  last_activity: string | null;
  token_id?: string | null;
}

/** An AI Search namespace (SDK `NamespaceReadResponse`): `created_at` is null for `default`. */
export interface NamespaceResponse {
  name: string;
  description: string | null;
  created_at: string | null;
  public_endpoint_id: string | null;
  public_endpoint_params: Record<string, unknown> | null;
}

/**
 * A sync job (reference 3.6): `ended_at` and `end_reason` only once it has ended, as the SDK types
 * them optional (a running job has neither).
 */
export interface JobResponse {
  id: string;
  source: "user" | "schedule";
  description?: string;
  started_at: string;
  last_seen_at: string;
  ended_at?: string;
  end_reason?: string;
}

/** One log line of a job (SDK `JobLogsResponseItem`): numbers, not strings. */
export interface JobLogResponse {
  id: number;
  /** Epoch milliseconds (the SDK types it a number; its unit is not documented). */
  created_at: number;
  message: string;
  /** 1 information, 2 error (the SDK types it a number; its values are not documented). */
  message_type: number;
}

/** `GET …/instances/{id}/stats` (reference 3.6). */
export interface InstanceStatsResponse {
  completed: number;
  queued: number;
  running: number;
  error: number;
  skipped: number;
  outdated: number;
  last_activity: string | null;
  file_embed_errors: Record<string, string>;
  index_source_errors: Record<string, string>;
}
