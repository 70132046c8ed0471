// Identifiers and secrets. Secrets are only ever kept as SHA-256 digests.
import { createHash, randomBytes, randomUUID } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** 32 lowercase hex characters, the shape of Cloudflare account, token and policy ids. */
export function hexId(): string {
  return randomBytes(16).toString("hex");
}

export function uuid(): string {
  return randomUUID();
}

function base62(length: number): string {
  const out: string[] = [];
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: reject the top bytes so every character is equally likely.
      if (byte < 248 && out.length < length) out.push(BASE62[byte % 62]!);
    }
  }
  return out.join("");
}

/**
 * A new API token secret: `cfut_` (user-owned) or `cfat_` (account-owned), 40 random base62
 * characters, then a 6-character checksum, like Cloudflare's 2026 token format.
 */
export function tokenSecret(owner: "user" | "account"): string {
  const body = base62(40);
  const sum = createHash("sha256").update(body).digest();
  let check = "";
  for (let i = 0; i < 6; i++) check += BASE62[sum[i]! % 62];
  return `${owner === "user" ? "cfut_" : "cfat_"}${body}${check}`;
}

/** The digest under which a secret is stored and looked up. */
export function digest(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** A fake account id used when none is given: 32 hex characters. */
export const DEFAULT_ACCOUNT_ID = "0123456789abcdef0123456789abcdef";
/** The one user the emulator knows. */
export const DEFAULT_USER_ID = "fedcba9876543210fedcba9876543210";
