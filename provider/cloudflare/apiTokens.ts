// Cloudflare API tokens, user-owned (`/user/tokens`) or account-owned (`/accounts/{id}/tokens`),
// and the permission groups they carry.
import { z } from "zod";
import type { CloudflareClient } from "./client";
import {
  ApiToken,
  CreatedApiToken,
  DeletedObject,
  PermissionGroup,
  RolledTokenValue,
  VerifiedApiToken,
  type CreateApiTokenRequest,
} from "./schemas";

/** Who owns a token: the user behind the credential, or an account. */
export type TokenOwner = { readonly kind: "user" } | { readonly kind: "account"; readonly accountId: string };

export function tokensPath(owner: TokenOwner): string {
  return owner.kind === "user" ? "/user/tokens" : `/accounts/${encodeURIComponent(owner.accountId)}/tokens`;
}

export class ApiTokens {
  constructor(private readonly client: CloudflareClient) {}

  /** Permission groups the owner's tokens may carry, optionally filtered by name and scope. */
  listPermissionGroups(
    owner: TokenOwner,
    filter: { name?: string; scope?: string } = {},
  ): Promise<PermissionGroup[]> {
    return this.client.call("GET", `${tokensPath(owner)}/permission_groups`, {
      query: { name: filter.name, scope: filter.scope },
      result: z.array(PermissionGroup),
    });
  }

  create(owner: TokenOwner, body: CreateApiTokenRequest): Promise<CreatedApiToken> {
    return this.client.call("POST", tokensPath(owner), { body, result: CreatedApiToken });
  }

  /** Every token of the owner (paged). */
  list(owner: TokenOwner): Promise<ApiToken[]> {
    return this.client.all(tokensPath(owner), { result: ApiToken, perPage: 50 });
  }

  get(owner: TokenOwner, tokenId: string): Promise<ApiToken> {
    return this.client.call("GET", `${tokensPath(owner)}/${encodeURIComponent(tokenId)}`, {
      result: ApiToken,
    });
  }

  /** A full-body update: name and policies are required; condition and validity window are replaced too. */
  update(owner: TokenOwner, tokenId: string, body: CreateApiTokenRequest): Promise<ApiToken> {
    return this.client.call("PUT", `${tokensPath(owner)}/${encodeURIComponent(tokenId)}`, {
      body,
      result: ApiToken,
    });
  }

  async delete(owner: TokenOwner, tokenId: string): Promise<void> {
    await this.client.call("DELETE", `${tokensPath(owner)}/${encodeURIComponent(tokenId)}`, {
      result: DeletedObject.nullish(),
    });
  }

  /** Checks the credential the client sends. */
  verify(owner: TokenOwner): Promise<z.infer<typeof VerifiedApiToken>> {
    return this.client.call("GET", `${tokensPath(owner)}/verify`, { result: VerifiedApiToken });
  }

  /** Rolls the secret: the old value stops working at once; id and permissions stay. */
  roll(owner: TokenOwner, tokenId: string): Promise<string> {
    return this.client.call("PUT", `${tokensPath(owner)}/${encodeURIComponent(tokenId)}/value`, {
      body: {},
      result: RolledTokenValue,
    });
  }
}
