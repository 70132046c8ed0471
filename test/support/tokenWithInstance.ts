// The body of the reliability suite's one-stack programs (the fault matrix's and the races'): a
// service token in the stack's account and, when the stack has one, an r2 instance that uses it.
// Each program reads its own config and says what the token and the instance are.
import * as pulumi from "@pulumi/pulumi";
import {
  AiSearchInstance,
  ServiceApiToken,
  type AiSearchInstanceArgs,
  type ServiceApiTokenArgs,
} from "../../provider";

/**
 * What differs between the programs' instances: its id, its bucket, how many results it returns,
 * and whether it syncs when created.
 */
export interface InstanceSettings {
  instanceId: string;
  source: string;
  maxNumResults: number;
  sync?: AiSearchInstanceArgs["sync"];
}

/**
 * Declares the ServiceApiToken "token" with `token`'s settings and, when `instance` is given, the
 * r2 AiSearchInstance "docs" using it; both in the account of `cloudflare-ai-search:accountId`.
 */
export function tokenWithInstance(
  token: Omit<ServiceApiTokenArgs, "accountId">,
  instance: InstanceSettings | undefined,
): ServiceApiToken {
  const accountId = new pulumi.Config("cloudflare-ai-search").require("accountId");
  const serviceToken = new ServiceApiToken("token", { accountId, ...token });
  if (instance) {
    new AiSearchInstance("docs", {
      accountId,
      instanceId: instance.instanceId,
      type: "r2",
      source: instance.source,
      tokenId: serviceToken.id,
      maxNumResults: instance.maxNumResults,
      ...(instance.sync ? { sync: instance.sync } : {}),
    });
  }
  return serviceToken;
}
