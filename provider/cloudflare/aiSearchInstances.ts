// AI Search instances. The `default` namespace uses the account-level routes
// (`/accounts/{id}/ai-search/instances`); other namespaces use
// `/accounts/{id}/ai-search/namespaces/{name}/instances`.
import { z } from "zod";
import type { CloudflareClient } from "./client";
import {
  AiSearchInstance,
  AiSearchNamespace,
  InstanceStats,
  type CreateInstanceRequest,
  type UpdateInstanceRequest,
} from "./schemas";

export const DEFAULT_NAMESPACE = "default";

function basePath(accountId: string, namespace: string): string {
  const account = `/accounts/${encodeURIComponent(accountId)}/ai-search`;
  return namespace === DEFAULT_NAMESPACE
    ? `${account}/instances`
    : `${account}/namespaces/${encodeURIComponent(namespace)}/instances`;
}

function instancePath(accountId: string, namespace: string, id: string): string {
  return `${basePath(accountId, namespace)}/${encodeURIComponent(id)}`;
}

export class AiSearchInstances {
  constructor(private readonly client: CloudflareClient) {}

  create(accountId: string, namespace: string, body: CreateInstanceRequest): Promise<AiSearchInstance> {
    return this.client.call("POST", basePath(accountId, namespace), { body, result: AiSearchInstance });
  }

  list(accountId: string, namespace: string, search?: string): Promise<AiSearchInstance[]> {
    return this.client.all(basePath(accountId, namespace), { query: { search }, result: AiSearchInstance });
  }

  /** The account's namespaces (`GET …/ai-search/namespaces`), each of which holds instances. */
  namespaces(accountId: string): Promise<AiSearchNamespace[]> {
    return this.client.all(`/accounts/${encodeURIComponent(accountId)}/ai-search/namespaces`, {
      result: AiSearchNamespace,
    });
  }

  read(accountId: string, namespace: string, id: string): Promise<AiSearchInstance> {
    return this.client.call("GET", instancePath(accountId, namespace, id), { result: AiSearchInstance });
  }

  /** A PUT of the whole desired configuration: some nested objects are replaced, not merged. */
  update(
    accountId: string,
    namespace: string,
    id: string,
    body: UpdateInstanceRequest,
  ): Promise<AiSearchInstance> {
    return this.client.call("PUT", instancePath(accountId, namespace, id), {
      body,
      result: AiSearchInstance,
    });
  }

  async delete(accountId: string, namespace: string, id: string): Promise<void> {
    await this.client.call("DELETE", instancePath(accountId, namespace, id), { result: z.unknown() });
  }

  stats(accountId: string, namespace: string, id: string): Promise<InstanceStats> {
    return this.client.call("GET", `${instancePath(accountId, namespace, id)}/stats`, {
      result: InstanceStats,
    });
  }
}
