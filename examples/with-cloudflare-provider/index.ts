// The service token of this package wired into @pulumi/cloudflare's own AiSearchInstance: the
// token is made (and deleted last) by pulumi-cloudflare-ai-search, the instance by the
// Cloudflare provider. Only the token's id crosses over; its secret value stays a Pulumi secret.
//
// This folder has its own package.json because @pulumi/cloudflare must not be installed in the
// repository root (a `pulumi up` of the root program would then try to download its plugin).
// Outside this repository: `npm install @pulumi/pulumi @pulumi/cloudflare pulumi-cloudflare-ai-search`.
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { ServiceApiToken } from "pulumi-cloudflare-ai-search";

export default async function program() {
  const config = new pulumi.Config("cloudflare-ai-search");
  const accountId = config.require("accountId");
  const bucket = config.get("bucket") ?? "docs";

  // One per account, shared by every R2-backed instance.
  const serviceToken = new ServiceApiToken("ai-search-token", { accountId });

  const docs = new cloudflare.AiSearchInstance("docs", {
    accountId,
    aiSearchInstanceId: config.get("instanceId") ?? "docs",
    type: "r2",
    source: bucket,
    tokenId: serviceToken.id,
  });

  return {
    tokenId: serviceToken.id,
    instanceId: docs.aiSearchInstanceId,
  };
}
