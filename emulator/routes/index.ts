// Every /client/v4 route the emulator serves, static paths before parameterised ones.
import type { RouteDef } from "../router";
import { aiSearchInstanceRoutes } from "./aiSearchInstances";
import { aiSearchJobRoutes } from "./aiSearchJobs";
import { aiSearchNamespaceRoutes } from "./aiSearchNamespaces";
import { aiSearchTokenRoutes } from "./aiSearchTokens";
import { apiTokenRoutes } from "./apiTokens";

export function allRoutes(): RouteDef[] {
  return [
    ...apiTokenRoutes("user"),
    ...apiTokenRoutes("account"),
    ...aiSearchTokenRoutes(),
    ...aiSearchNamespaceRoutes(),
    ...aiSearchInstanceRoutes(),
    ...aiSearchJobRoutes(),
  ];
}
