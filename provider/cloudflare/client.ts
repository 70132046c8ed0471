// The HTTP client of the Cloudflare v4 API: base URL, bearer auth, the envelope, zod parsing of
// every answer, retries (undici's RetryAgent with our policy) and a timeout on every attempt.
//
// It knows nothing of Pulumi. Errors and log events name the method, the path and Cloudflare's
// error codes, never a header, a request body, a query string or a credential.
import type { Dispatcher } from "undici";
import type { z } from "zod";
import {
  CloudflareNetworkError,
  CloudflareResponseShapeError,
  errorFromResponse,
  type CloudflareApiError,
} from "./errors";
import { DEFAULT_RETRY_SETTINGS, nextRetryDelayMs, type RetrySettings } from "./retryPolicy";
import { EnvelopeHead, ResultInfo } from "./schemas";
import { undici } from "./undici";

export const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";
export const DEFAULT_TIMEOUT_MS = 30_000;

/** One finished HTTP attempt, for logging. Carries nothing secret. */
export interface RequestEvent {
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly errorCode?: string;
  readonly retryInMs?: number;
}

export interface CloudflareClientOptions {
  /** Bearer token. Kept in this object only; never logged or put in an error. */
  readonly apiToken: string;
  /** Defaults to https://api.cloudflare.com/client/v4. */
  readonly baseUrl?: string | undefined;
  /** The dispatcher to send through (an Agent, or a MockAgent in tests). Defaults to a new Agent the client owns. */
  readonly dispatcher?: Dispatcher | undefined;
  /** Per-attempt timeout for the headers and for the body. */
  readonly timeoutMs?: number | undefined;
  readonly retry?: Partial<RetrySettings> | undefined;
  readonly onEvent?: ((event: RequestEvent) => void) | undefined;
  readonly userAgent?: string | undefined;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions<S extends z.ZodType> {
  readonly query?: Query | undefined;
  readonly body?: unknown;
  /** Schema of `result`. */
  readonly result: S;
  /** Appended to the error message of a failed call: what to do about it. */
  readonly hint?: ((err: CloudflareApiError) => string | undefined) | undefined;
  /**
   * `false`: one attempt, no retry of any kind, for a caller that handles its own waiting (a sync
   * job's start, whose 429 is AI Search's 30-second cooldown, not a rate limit to back off from).
   */
  readonly retry?: false | undefined;
}

export interface Page<T> {
  readonly items: T[];
  readonly resultInfo: ResultInfo | undefined;
}

export class CloudflareClient {
  readonly baseUrl: string;
  readonly #apiToken: string;
  readonly #dispatcher: Dispatcher;
  /** The same connections without the retries, for calls made with `retry: false`. */
  readonly #singleAttempt: Dispatcher;
  readonly #ownsDispatcher: Dispatcher | undefined;
  readonly #timeoutMs: number;
  readonly #onEvent: ((event: RequestEvent) => void) | undefined;
  readonly #userAgent: string;
  /** The API's clock minus this machine's, as the last answer's `Date` header showed it. */
  #serverClockSkewMs: number | undefined;

  constructor(options: CloudflareClientOptions) {
    if (!options.apiToken) throw new Error("CloudflareClient needs an apiToken");
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.#apiToken = options.apiToken;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#onEvent = options.onEvent;
    this.#userAgent = options.userAgent ?? "pulumi-cloudflare-ai-search";
    const settings: RetrySettings = { ...DEFAULT_RETRY_SETTINGS, ...options.retry };
    const { Agent, RetryAgent } = undici();
    const base = options.dispatcher ?? new Agent({ connections: 8 });
    this.#ownsDispatcher = options.dispatcher ? undefined : base;
    this.#singleAttempt = base;
    this.#dispatcher = new RetryAgent(base, {
      throwOnError: false,
      maxRetries: settings.maxRetries,
      retry: (err, { state, opts }, callback) => {
        const e = err as Error & { statusCode?: number; code?: string; headers?: Record<string, unknown> };
        const method = String(opts.method);
        const retryAfter = e.headers?.["retry-after"];
        const delay = nextRetryDelayMs(
          {
            method,
            retryNumber: state.counter,
            statusCode: e.statusCode,
            errorCode: e.statusCode === undefined ? e.code : undefined,
            retryAfter: typeof retryAfter === "string" ? retryAfter : undefined,
          },
          settings,
        );
        const path = this.#pathOf(String(opts.path));
        this.#onEvent?.({
          method,
          path,
          ...(e.statusCode !== undefined ? { status: e.statusCode } : { errorCode: e.code ?? e.name }),
          ...(delay !== undefined ? { retryInMs: delay } : {}),
        });
        if (delay === undefined) return callback(err);
        const timer = setTimeout(() => callback(null), delay);
        timer.unref?.();
        return timer;
      },
    });
  }

  /** Sends one call and returns its `result`, parsed. Throws a CloudflareApiError on failure. */
  async call<S extends z.ZodType>(
    method: string,
    path: string,
    options: RequestOptions<S>,
  ): Promise<z.infer<S>> {
    const { result } = await this.#send(method, path, options);
    return result;
  }

  /** One page of a paged list. */
  async page<S extends z.ZodType>(path: string, options: RequestOptions<S>): Promise<Page<z.infer<S>>> {
    const { result, envelope } = await this.#send("GET", path, options, true);
    return { items: result as z.infer<S>[], resultInfo: envelope.result_info ?? undefined };
  }

  /**
   * Every item of a paged list (`page`/`per_page`). A server may serve fewer items a page than
   * `per_page` asked for (Cloudflare caps page sizes), so the loop stops on what the server says it
   * returned: an empty page, the `total_count` it reports reached, or its last page by
   * `total_pages`. Without `result_info` it reads on until an empty page, as the official SDK does.
   */
  async all<S extends z.ZodType>(
    path: string,
    options: RequestOptions<S> & { perPage?: number; maxPages?: number },
  ): Promise<z.infer<S>[]> {
    const perPage = options.perPage ?? 100;
    const maxPages = options.maxPages ?? 1000;
    const items: z.infer<S>[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const res = await this.page(path, { ...options, query: { ...options.query, page, per_page: perPage } });
      items.push(...res.items);
      const info = res.resultInfo;
      if (res.items.length === 0 || info?.count === 0) break;
      if (info?.total_count !== undefined && items.length >= info.total_count) break;
      if (info?.total_pages !== undefined && (info.page ?? page) >= info.total_pages) break;
    }
    return items;
  }

  /**
   * How far the API's clock is ahead of this machine's (negative: behind), in ms, from the `Date`
   * header of the latest answer; undefined before an answer with one. The header has whole seconds
   * and the answer took a while to arrive, so this is at most about a second plus the answer's
   * travel time below the real skew, never above it: this machine's time plus it is a lower bound of
   * the API's time.
   */
  serverClockSkewMs(): number | undefined {
    return this.#serverClockSkewMs;
  }

  /** Closes the dispatcher the client made itself (not one that was injected). */
  async close(): Promise<void> {
    await this.#ownsDispatcher?.close();
  }

  async #send<S extends z.ZodType>(
    method: string,
    path: string,
    options: RequestOptions<S>,
    isList = false,
  ): Promise<{ result: z.infer<S>; envelope: EnvelopeHead }> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(options.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#apiToken}`,
      accept: "application/json",
      "user-agent": this.#userAgent,
    };
    // Besides the credential, whatever secret the request carries (a registration's cf_api_key,
    // a token value) is kept out of error text, in case an answer echoes it.
    const secrets = secretValuesOf(options.body);
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.body);
    }

    let status: number;
    let responseHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const res = await undici().request(url, {
        method: method,
        headers,
        body,
        dispatcher: options.retry === false ? this.#singleAttempt : this.#dispatcher,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      status = res.statusCode;
      responseHeaders = res.headers;
      const date = Date.parse(String(res.headers["date"] ?? ""));
      if (!Number.isNaN(date)) this.#serverClockSkewMs = date - Date.now();
      text = await res.body.text();
    } catch (err) {
      const e = err as Error & { code?: string };
      this.#onEvent?.({ method, path, errorCode: e.code ?? e.name });
      throw new CloudflareNetworkError(method, path, e.code, this.#redact(e.message, secrets));
    }
    this.#onEvent?.({ method, path, status });

    let parsedJson: unknown;
    try {
      parsedJson = text === "" ? {} : JSON.parse(text);
    } catch {
      if (status >= 400) {
        throw errorFromResponse({
          status,
          method,
          path,
          errors: [],
          retryAfterSeconds: retryAfter(responseHeaders),
          baseUrl: this.baseUrl,
        });
      }
      throw new CloudflareResponseShapeError(method, path, `HTTP ${status} with a body that is not JSON`);
    }
    const head = EnvelopeHead.safeParse(parsedJson);
    if (status < 400 && !head.success) {
      throw new CloudflareResponseShapeError(method, path, summarizeIssues(head.error));
    }
    if (status >= 400 || !head.success || !head.data.success) {
      const details = {
        status,
        method,
        path,
        errors: (head.success ? head.data.errors : []).map((e) => ({
          ...e,
          message: this.#redact(e.message, secrets),
        })),
        retryAfterSeconds: retryAfter(responseHeaders),
        baseUrl: this.baseUrl,
      };
      const err = errorFromResponse(details);
      const hint = options.hint?.(err);
      throw hint ? errorFromResponse(details, hint) : err;
    }

    if (isList) {
      if (!Array.isArray(head.data.result)) {
        throw new CloudflareResponseShapeError(method, path, "result is not a list");
      }
      const items = head.data.result.map((item) => this.#parse(options.result, item, method, path));
      return { result: items as z.infer<S>, envelope: head.data };
    }
    return { result: this.#parse(options.result, head.data.result, method, path), envelope: head.data };
  }

  #parse<S extends z.ZodType>(schema: S, value: unknown, method: string, path: string): z.infer<S> {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new CloudflareResponseShapeError(method, path, summarizeIssues(parsed.error));
    return parsed.data;
  }

  #pathOf(dispatchPath: string): string {
    const base = new URL(this.baseUrl).pathname.replace(/\/+$/, "");
    const withoutQuery = dispatchPath.split("?")[0] ?? dispatchPath;
    return withoutQuery.startsWith(base) ? withoutQuery.slice(base.length) : withoutQuery;
  }

  /** Removes the credential, and the request's own secrets, from text that came from elsewhere (e.g. an error message). */
  #redact(text: string, requestSecrets: readonly string[] = []): string {
    let redacted = text;
    for (const secret of [this.#apiToken, ...requestSecrets])
      redacted = redacted.split(secret).join("[redacted]");
    return redacted;
  }
}

/** Body fields that hold secrets: `cf_api_key`, `value`, `secret`, `api_key` and the like. */
const SECRET_FIELD = /(^|_)(key|value|secret)$/i;
/** Shorter strings are not secrets worth the name, and redacting them would garble messages. */
const MIN_SECRET_LENGTH = 8;

/** The secret string values anywhere in a request body. */
export function secretValuesOf(body: unknown, key = ""): string[] {
  if (typeof body === "string")
    return SECRET_FIELD.test(key) && body.length >= MIN_SECRET_LENGTH ? [body] : [];
  if (Array.isArray(body)) return body.flatMap((item) => secretValuesOf(item, key));
  if (body !== null && typeof body === "object") {
    return Object.entries(body).flatMap(([k, v]) => secretValuesOf(v, k));
  }
  return [];
}

function retryAfter(headers: Record<string, string | string[] | undefined>): number | undefined {
  const value = headers["retry-after"];
  const n = Number(Array.isArray(value) ? value[0] : value);
  return value !== undefined && Number.isFinite(n) ? n : undefined;
}

function summarizeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}
