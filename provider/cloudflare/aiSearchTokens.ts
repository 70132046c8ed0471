// AI Search's registry of service API tokens: `/accounts/{account_id}/ai-search/tokens`.
import type { CloudflareClient } from "./client";
import { AiSearchToken, type AiSearchTokenWrite } from "./schemas";
import { z } from "zod";

function basePath(accountId: string): string {
  return `/accounts/${encodeURIComponent(accountId)}/ai-search/tokens`;
}

export class AiSearchTokens {
  constructor(private readonly client: CloudflareClient) {}

  /** Registers an API token. Send `legacy: false`: legacy registrations cannot be read or deleted by id. */
  create(accountId: string, body: AiSearchTokenWrite): Promise<AiSearchToken> {
    return this.client.call("POST", basePath(accountId), { body, result: AiSearchToken });
  }

  /** Every registration, optionally only those whose name contains `search`. */
  list(accountId: string, search?: string): Promise<AiSearchToken[]> {
    return this.client.all(basePath(accountId), { query: { search }, result: AiSearchToken });
  }

  read(accountId: string, tokenId: string): Promise<AiSearchToken> {
    return this.client.call("GET", `${basePath(accountId)}/${encodeURIComponent(tokenId)}`, {
      result: AiSearchToken,
    });
  }

  /** A full-body PUT: it replaces the stored credential and AI Search validates it again. */
  update(accountId: string, tokenId: string, body: AiSearchTokenWrite): Promise<AiSearchToken> {
    return this.client.call("PUT", `${basePath(accountId)}/${encodeURIComponent(tokenId)}`, {
      body,
      result: AiSearchToken,
    });
  }

  async delete(accountId: string, tokenId: string): Promise<void> {
    await this.client.call("DELETE", `${basePath(accountId)}/${encodeURIComponent(tokenId)}`, {
      result: z.unknown(),
    });
  }
}
