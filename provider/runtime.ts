// The one stable entry that the serialized provider shims load at run time:
// `require("pulumi-cloudflare-ai-search/runtime")`. Its exported names are a public contract:
// state written by any released version calls them, so they may gain members but never lose or
// rename one.
//
// Credentials are read here, from what the engine hands to `configure()` and the environment,
// and are kept in this module only: never in the serialized provider.
import { CONFIG_KEYS, resolveSettings, type ConfigSource, type ProviderSettings } from "./config";
import { createContext, type ProviderContext } from "./context";
import * as aiSearchInstanceProvider from "./aiSearchInstance/provider";
import type { AiSearchInstanceInputs, AiSearchInstanceOutputs } from "./aiSearchInstance/args";
import * as serviceApiTokenProvider from "./serviceApiToken/provider";
import type { ServiceApiTokenInputs, ServiceApiTokenOutputs } from "./serviceApiToken/args";

/** Bumped when the runtime's behaviour changes in a way state cares about. */
export const RUNTIME_VERSION = 1;

let configured: ConfigSource | undefined;
let context: ProviderContext | undefined;

/** Called by the dynamic-provider host once per provider before the first CRUD call. */
export async function configure(req: { config: ConfigSource }): Promise<void> {
  configured = snapshot(req.config);
  context = undefined;
}

/** Settings as configured, falling back to the environment. */
export function settings(): ProviderSettings {
  return resolveSettings(configured);
}

function ctx(): ProviderContext {
  context ??= createContext(settings());
  return context;
}

/** Copies the values of our config keys, so nothing holds on to the engine's whole config. */
function snapshot(config: ConfigSource): ConfigSource {
  const values = new Map(Object.values(CONFIG_KEYS).map((key) => [key, config.get(key)] as const));
  return { get: (key: string) => values.get(key as (typeof CONFIG_KEYS)[keyof typeof CONFIG_KEYS]) };
}

type Props = Record<string, unknown>;

export const serviceApiToken = {
  configure,
  check: async (_olds: Props, news: Props) => serviceApiTokenProvider.check(news),
  diff: async (_id: string, olds: Props, news: Props) =>
    serviceApiTokenProvider.diff(olds as unknown as ServiceApiTokenOutputs, news as ServiceApiTokenInputs),
  create: async (inputs: Props) => serviceApiTokenProvider.create(ctx(), inputs as ServiceApiTokenInputs),
  read: async (id: string, props: Props = {}) =>
    serviceApiTokenProvider.read(ctx(), id, props as unknown as ServiceApiTokenOutputs),
  update: async (id: string, olds: Props, news: Props) => ({
    outs: await serviceApiTokenProvider.update(
      ctx(),
      id,
      olds as unknown as ServiceApiTokenOutputs,
      news as ServiceApiTokenInputs,
    ),
  }),
  delete: async (id: string, props: Props) =>
    serviceApiTokenProvider.remove(ctx(), id, props as unknown as ServiceApiTokenOutputs),
};

export const aiSearchInstance = {
  configure,
  check: async (_olds: Props, news: Props) => aiSearchInstanceProvider.check(news),
  diff: async (_id: string, olds: Props, news: Props) =>
    aiSearchInstanceProvider.diff(olds as unknown as AiSearchInstanceOutputs, news as AiSearchInstanceInputs),
  create: async (inputs: Props) => aiSearchInstanceProvider.create(ctx(), inputs as AiSearchInstanceInputs),
  read: async (id: string, props: Props = {}) =>
    aiSearchInstanceProvider.read(ctx(), id, props as unknown as AiSearchInstanceOutputs),
  update: async (id: string, olds: Props, news: Props) => ({
    outs: await aiSearchInstanceProvider.update(
      ctx(),
      id,
      olds as unknown as AiSearchInstanceOutputs,
      news as AiSearchInstanceInputs,
    ),
  }),
  delete: async (id: string, props: Props) =>
    aiSearchInstanceProvider.remove(ctx(), id, props as unknown as AiSearchInstanceOutputs),
};
