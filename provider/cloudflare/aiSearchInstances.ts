// AI Search instances, every one of them (`default` included) through
// `/accounts/{id}/ai-search/namespaces/{name}/instances`. SDK 7.3 marks the account-level routes
// (`/accounts/{id}/ai-search/instances`) deprecated, and wrangler 4.164 sends `default` through
// `namespaces/default/instances` too; they act on the same instances, so stacks whose state was
// written through the old routes read, update and delete the same objects through these.
import { z } from "zod";
import type { CloudflareClient } from "./client";
import {
  AiSearchInstance,
  InstanceStats,
  SyncJob,
  SyncJobLog,
  type CreateInstanceRequest,
  type UpdateInstanceRequest,
} from "./schemas";

export const DEFAULT_NAMESPACE = "default";

function basePath(accountId: string, namespace: string): string {
  return `/accounts/${encodeURIComponent(accountId)}/ai-search/namespaces/${encodeURIComponent(namespace)}/instances`;
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

  /**
   * Moves the instance to namespace `to` (`default` moves it back), keeping its index. API
   * reference only (not in SDK 7.3): its answer's shape is undocumented, so it is not relied on;
   * read the instance back from `to`. 400 when `to` already holds an instance with this id.
   */
  async move(accountId: string, namespace: string, id: string, to: string): Promise<void> {
    await this.client.call("PATCH", instancePath(accountId, namespace, id), {
      body: { new_namespace: to },
      result: z.unknown(),
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

  /**
   * Starts a sync job. Sent once, without the client's retries: its 429 (7020) is the 30-second
   * cooldown between manual syncs, which the caller waits out within its own bound.
   */
  startJob(accountId: string, namespace: string, id: string, description?: string): Promise<SyncJob> {
    return this.client.call("POST", `${instancePath(accountId, namespace, id)}/jobs`, {
      body: description === undefined ? {} : { description },
      result: SyncJob,
      retry: false,
    });
  }

  job(accountId: string, namespace: string, id: string, jobId: string): Promise<SyncJob> {
    return this.client.call(
      "GET",
      `${instancePath(accountId, namespace, id)}/jobs/${encodeURIComponent(jobId)}`,
      { result: SyncJob },
    );
  }

  /** The first `perPage` lines of a job's log. */
  async jobLogs(
    accountId: string,
    namespace: string,
    id: string,
    jobId: string,
    perPage = 50,
  ): Promise<SyncJobLog[]> {
    const path = `${instancePath(accountId, namespace, id)}/jobs/${encodeURIComponent(jobId)}/logs`;
    const page = await this.client.page(path, { query: { page: 1, per_page: perPage }, result: SyncJobLog });
    return page.items;
  }
}
