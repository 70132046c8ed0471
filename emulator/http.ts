// Low-level HTTP helpers: bounded body reading and JSON answers.
import type { IncomingMessage, ServerResponse } from "node:http";

export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this many bytes the connection is cut instead of drained. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

export type BodyResult = { ok: true; raw: Buffer } | { ok: false; reason: "too_large" | "aborted" };

/**
 * Reads the whole body. A body over `limit` is drained (so the answer reaches the client) but not
 * kept; one over 64 MiB gets its connection destroyed.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let settled = false;
    const done = (r: BodyResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        if (size > DRAIN_LIMIT) {
          req.destroy();
          done({ ok: false, reason: "aborted" });
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () =>
      done(tooLarge ? { ok: false, reason: "too_large" } : { ok: true, raw: Buffer.concat(chunks) }),
    );
    req.on("error", () => done({ ok: false, reason: "aborted" }));
    req.on("close", () =>
      done(tooLarge ? { ok: false, reason: "too_large" } : { ok: false, reason: "aborted" }),
    );
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}
