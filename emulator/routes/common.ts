// Helpers shared by the route files: body and query validation, paging, timestamps.
import type { z } from "zod";
import { errors, type ResultInfo } from "../envelope";
import type { RequestContext } from "../router";

/** Validates a body (or query) with a zod schema; every issue becomes one error with its `path`. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw errors.validation(
    parsed.error.issues.map((issue) => ({
      message: issue.message,
      path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    })),
  );
}

/** A JSON object body, or a 400 saying the body must be one. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) throw errors.validation([{ message: "Request body is required" }]);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw errors.validation([{ message: "Request body must be a JSON object" }]);
  }
  return body as Record<string, unknown>;
}

function intParam(query: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) {
    throw errors.validation([{ message: `must be an integer between ${min} and ${max}`, path: [name] }]);
  }
  const n = Number(raw);
  if (n < min || n > max) {
    throw errors.validation([{ message: `must be an integer between ${min} and ${max}`, path: [name] }]);
  }
  return n;
}

export const DEFAULT_PER_PAGE = 20;
/** The `per_page` range the reference documents (sections 2.1 and 6): outside it is a 400. */
export const MAX_PER_PAGE = 100;

export interface PageOptions {
  /** The most items one page holds (the `pageSizeCap` switch); `result_info.per_page` says what was used. */
  cap: number;
  /** Whether `result_info` carries `total_pages` (API token lists do; AI Search lists do not). */
  totalPages: boolean;
  /** The largest `page` accepted (the AI Search token list documents 1-100). */
  maxPage?: number;
}

/**
 * One page of `items` and its `result_info`. A `per_page` above the cap is served at the cap, as a
 * server that caps pages does; past the end the page is empty.
 */
export function paginate<T>(
  items: T[],
  query: URLSearchParams,
  opts: PageOptions,
): { page: T[]; info: ResultInfo } {
  const page = intParam(query, "page", 1, opts.maxPage ?? Number.MAX_SAFE_INTEGER, 1);
  const requested = intParam(query, "per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE);
  const perPage = Math.min(requested, opts.cap);
  const start = (page - 1) * perPage;
  const slice = items.slice(start, start + perPage);
  const info: ResultInfo = {
    page,
    per_page: perPage,
    count: slice.length,
    total_count: items.length,
  };
  if (opts.totalPages) info.total_pages = Math.ceil(items.length / perPage);
  return { page: slice, info };
}

/**
 * One page of an AI Search list, under the switches every AI Search list shares: the page size cap
 * and whether `result_info` carries `total_pages` (the real AI Search lists do not).
 */
export function paginateAiSearch<T>(
  ctx: RequestContext,
  items: T[],
  maxPage?: number,
): { page: T[]; info: ResultInfo } {
  const { pageSizeCap, aiSearchTotalPages } = ctx.core.behaviour;
  return paginate(items, ctx.query, {
    cap: pageSizeCap,
    totalPages: aiSearchTotalPages,
    ...(maxPage === undefined ? {} : { maxPage }),
  });
}

/** `asc` or `desc` from a query parameter, or a 400. */
export function direction(query: URLSearchParams, name: string): "asc" | "desc" {
  const raw = query.get(name);
  if (raw === null || raw === "" || raw === "asc") return "asc";
  if (raw === "desc") return "desc";
  throw errors.validation([{ message: "must be asc or desc", path: [name] }]);
}

/** `2026-01-02T03:04:05Z`, the API token style. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** AI Search timestamps in the configured style (conflict C12). */
export function aiSearchTime(ms: number, style: "rfc3339" | "space"): string {
  const s = rfc3339(ms);
  return style === "space" ? s.replace("T", " ").replace("Z", "") : s;
}
