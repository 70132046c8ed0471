// Taking over what already exists: the account's AI Search service token (found by its name)
// and an instance (by its id) are adopted instead of created, and are left in place when the
// stack is destroyed. Dynamic resources cannot be `pulumi import`ed; adoption replaces it.
//
//   pulumi config set cloudflare-ai-search:accountId <32-hex account id>
//   pulumi config set cloudflare-ai-search:existingInstanceId <instance id>
//   pulumi config set cloudflare-ai-search:existingInstanceSource <its R2 bucket or website>
//   pulumi up
//
// Optional config (namespace cloudflare-ai-search): existingTokenName (default "AI Search Service
// API Token"), existingInstanceType ("r2", the default; "web-crawler"; or "none" for built-in
// storage, which takes no source).
// In this repository the folder has no node_modules of its own: both packages resolve from the
// root's (`npm ci` links the package there by its name), so one copy of @pulumi/pulumi is loaded.
// Copied elsewhere, `npm install` installs what its package.json names.
import * as pulumi from "@pulumi/pulumi";
import { AiSearchInstance, ServiceApiToken } from "pulumi-cloudflare-ai-search";

// Pulumi's Node.js runtime calls the module's export when it is a function (CommonJS `export =`;
// a compiled `export default` would be `exports.default`, which it never calls).
export = async () => {
  const config = new pulumi.Config("cloudflare-ai-search");
  const accountId = config.require("accountId");
  const type = config.get("existingInstanceType") ?? "r2";
  if (type !== "r2" && type !== "web-crawler" && type !== "none") {
    throw new Error(
      `cloudflare-ai-search:existingInstanceType must be "r2", "web-crawler" or "none", not "${type}"`,
    );
  }

  const serviceToken = new ServiceApiToken("ai-search-token", {
    accountId,
    adopt: { name: config.get("existingTokenName") ?? "AI Search Service API Token" },
  });

  // Its type, source and embedding model must be the instance's own (they cannot change); every
  // setting declared here is applied to it on adoption.
  const instance = new AiSearchInstance("existing", {
    accountId,
    instanceId: config.require("existingInstanceId"),
    ...(type === "none" ? {} : { type, source: config.require("existingInstanceSource") }),
    ...(type === "r2" ? { tokenId: serviceToken.id } : {}),
    adopt: true,
  });

  return {
    tokenId: serviceToken.id,
    tokenAdopted: serviceToken.adopted,
    instanceId: instance.instanceId,
    instanceAdopted: instance.adopted,
    status: instance.status,
  };
};
