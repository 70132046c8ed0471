// Quickstart: the account's AI Search service token, a namespace, and three instances in it. Every
// instance takes the token's id (the web crawler too: AI Search uses the account's token for every
// instance) and the namespace, so Pulumi creates both first and deletes them last. The docs
// instance syncs once it is created, and `pulumi up` waits (up to two minutes) for that first sync.
//
//   pulumi config set cloudflare-ai-search:accountId <32-hex account id>
//   pulumi config set --secret cloudflare:apiToken <token with AI Search Edit and API Tokens Write>
//   pulumi up
//
// Optional config (namespace cloudflare-ai-search): docsBucket and supportBucket (R2 buckets that
// exist), website (a domain of the account), instanceIdPrefix (default "quickstart", also the
// namespace's name).
// In this repository the folder has no node_modules of its own: both packages resolve from the
// root's (`npm ci` links the package there by its name), so one copy of @pulumi/pulumi is loaded.
// Copied elsewhere, `npm install` installs what its package.json names.
import * as pulumi from "@pulumi/pulumi";
import { AiSearchInstance, AiSearchNamespace, ServiceApiToken } from "pulumi-cloudflare-ai-search";

// Pulumi's Node.js runtime calls the module's export when it is a function (CommonJS `export =`;
// a compiled `export default` would be `exports.default`, which it never calls).
export = async () => {
  const config = new pulumi.Config("cloudflare-ai-search");
  const accountId = config.require("accountId");
  const prefix = config.get("instanceIdPrefix") ?? "quickstart";

  // One per account, shared by every instance.
  const serviceToken = new ServiceApiToken("ai-search-token", { accountId });
  // The stack's instances, grouped apart from the account's `default` namespace.
  const namespace = new AiSearchNamespace("namespace", {
    accountId,
    name: prefix,
    description: "Instances of the quickstart stack",
  });

  const docs = new AiSearchInstance("docs", {
    accountId,
    instanceId: `${prefix}-docs`,
    namespace,
    type: "r2",
    source: config.get("docsBucket") ?? "docs",
    tokenId: serviceToken.id,
    // Index the bucket now rather than at the next scheduled sync (up to 6 hours away).
    sync: { onCreate: true, waitSeconds: 120 },
  });

  const support = new AiSearchInstance("support", {
    accountId,
    instanceId: `${prefix}-support`,
    namespace,
    type: "r2",
    source: config.get("supportBucket") ?? "support-articles",
    tokenId: serviceToken.id,
    sourceParams: { includeItems: ["**/*.md", "**/*.pdf"] },
    maxNumResults: 20,
    rewriteQuery: true,
  });

  const website = new AiSearchInstance("website", {
    accountId,
    instanceId: `${prefix}-website`,
    namespace,
    type: "web-crawler",
    source: config.get("website") ?? "example.com",
    tokenId: serviceToken.id,
    sourceParams: { webCrawler: { parseType: "sitemap" } },
  });

  const instances = { docs, support, website };
  return {
    tokenId: serviceToken.id,
    namespace: namespace.name,
    instanceIds: pulumi.all(Object.values(instances).map((i) => i.instanceId)),
    statuses: pulumi.all(
      Object.fromEntries(Object.entries(instances).map(([name, i]) => [name, i.status] as const)),
    ),
  };
};
