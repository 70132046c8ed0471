// The service token of this package wired into @pulumi/cloudflare's own AiSearchInstance: the
// token is made (and deleted last) by pulumi-cloudflare-ai-search, the instance by the
// Cloudflare provider. Only the token's id crosses over; its secret value stays a Pulumi secret.
//
// A project of its own: copy the folder, `npm install` (its package.json names @pulumi/pulumi,
// @pulumi/cloudflare and pulumi-cloudflare-ai-search), then `pulumi up`. Inside this repository it
// is not installed: the @pulumi/cloudflare resource plugin cannot be had offline, so its tests run
// it under mocks (test/unit/withCloudflareProvider.test.ts).
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { ServiceApiToken } from "pulumi-cloudflare-ai-search";

// Pulumi's Node.js runtime calls the module's export when it is a function (CommonJS `export =`;
// a compiled `export default` would be `exports.default`, which it never calls).
export = async () => {
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
};
