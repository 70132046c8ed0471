// The permission groups the emulator knows: at least those of the reference's section 1.5, with
// their names and scopes, plus two zone-level groups so `scope` filtering has something to filter.

export const ACCOUNT_SCOPE = "com.cloudflare.api.account";
export const ZONE_SCOPE = "com.cloudflare.api.account.zone";
export const USER_SCOPE = "com.cloudflare.api.user";

export interface PermissionGroupInfo {
  id: string;
  name: string;
  description: string;
  category: string;
  scopes: string[];
}

export const PERMISSION_GROUP_IDS = {
  aiSearchIndexEngine: "9e9b428a0bcd46fd80e580b46a69963c",
  r2StorageWrite: "bf7481a1826f439697cb59a20b22293e",
  r2StorageRead: "b4992e1108244f5d8bfbd5744320c2e1",
  autoRagWrite: "7fb8d27511b34d02994d005b520b679f",
  autoRagRead: "d7887c7a417e4cf2a69f1d01c1a1dc3b",
  autoRagRunEngine: "234108c786084936a381bb19b7f4ea65",
  apiTokensWrite: "686d18d5ac6c441c867cbf6771e58a0a",
  accountApiTokensWrite: "5bc3f8b21c554832afc660159ab75fa4",
  dnsWrite: "4755a26eedb94da69e1066d98aa820be",
  zoneRead: "c8fed203ed3043cba015a93ad1616f1f",
} as const;

const ids = PERMISSION_GROUP_IDS;

export const PERMISSION_GROUPS: readonly PermissionGroupInfo[] = [
  {
    id: ids.aiSearchIndexEngine,
    name: "AI Search Index Engine",
    description: "Grants access to run AI Search Index Engine",
    category: "ai_and_machine_learning",
    scopes: [ACCOUNT_SCOPE],
  },
  {
    id: ids.r2StorageWrite,
    name: "Workers R2 Storage Write",
    description: "Grants write access to Cloudflare R2 Storage",
    category: "developer_platform",
    scopes: [ACCOUNT_SCOPE],
  },
  {
    id: ids.r2StorageRead,
    name: "Workers R2 Storage Read",
    description: "Grants read access to Cloudflare R2 Storage",
    category: "developer_platform",
    scopes: [ACCOUNT_SCOPE],
  },
  {
    id: ids.autoRagWrite,
    name: "Auto Rag Write",
    description: "Grants reading and writing data from Auto Rag",
    category: "ai_and_machine_learning",
    scopes: [ACCOUNT_SCOPE],
  },
  {
    id: ids.autoRagRead,
    name: "Auto Rag Read",
    description: "Grants reading data from Auto Rag",
    category: "ai_and_machine_learning",
    scopes: [ACCOUNT_SCOPE],
  },
  {
    id: ids.autoRagRunEngine,
    name: "Auto Rag Write Run Engine",
    description: "Grants access to run Auto RAG engine",
    category: "ai_and_machine_learning",
    scopes: [ACCOUNT_SCOPE],
  },
  {
    id: ids.apiTokensWrite,
    name: "API Tokens Write",
    description: "Grants write access to API Tokens",
    category: "account_and_billing",
    scopes: [USER_SCOPE],
  },
  {
    id: ids.accountApiTokensWrite,
    name: "Account API Tokens Write",
    description: "Grants write access to Account API Tokens",
    category: "account_and_billing",
    scopes: [ACCOUNT_SCOPE],
  },
  {
    id: ids.dnsWrite,
    name: "DNS Write",
    description: "Grants write access to DNS",
    category: "dns_and_zones",
    scopes: [ZONE_SCOPE],
  },
  {
    id: ids.zoneRead,
    name: "Zone Read",
    description: "Grants read access to Zone",
    category: "dns_and_zones",
    scopes: [ZONE_SCOPE],
  },
];

const BY_ID = new Map(PERMISSION_GROUPS.map((g) => [g.id, g]));

export function permissionGroup(id: string): PermissionGroupInfo | undefined {
  return BY_ID.get(id);
}
