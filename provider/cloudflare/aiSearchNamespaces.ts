// AI Search namespaces: `/accounts/{id}/ai-search/namespaces[/{name}]` (reference 3.1). Every
// account has a `default` namespace that cannot be changed or deleted (7065).
import { z } from "zod";
import type { CloudflareClient } from "./client";
import { AiSearchNamespace, type NamespaceRequest } from "./schemas";

function namespacesPath(accountId: string): string {
  return `/accounts/${encodeURIComponent(accountId)}/ai-search/namespaces`;
}

function namespacePath(accountId: string, name: string): string {
  return `${namespacesPath(accountId)}/${encodeURIComponent(name)}`;
}

export class AiSearchNamespaces {
  constructor(private readonly client: CloudflareClient) {}

  create(accountId: string, body: NamespaceRequest): Promise<AiSearchNamespace> {
    return this.client.call("POST", namespacesPath(accountId), { body, result: AiSearchNamespace });
  }

  /** Every namespace of the account (paged), `default` included. */
  list(accountId: string): Promise<AiSearchNamespace[]> {
    return this.client.all(namespacesPath(accountId), { result: AiSearchNamespace });
  }

  read(accountId: string, name: string): Promise<AiSearchNamespace> {
    return this.client.call("GET", namespacePath(accountId, name), { result: AiSearchNamespace });
  }

  /** A PUT of the whole description and public endpoint. */
  update(accountId: string, name: string, body: NamespaceRequest): Promise<AiSearchNamespace> {
    return this.client.call("PUT", namespacePath(accountId, name), { body, result: AiSearchNamespace });
  }

  async delete(accountId: string, name: string): Promise<void> {
    await this.client.call("DELETE", namespacePath(accountId, name), { result: z.unknown() });
  }
}
