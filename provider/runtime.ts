// The one stable entry that the serialized provider shims load at run time:
// `require("pulumi-cloudflare-ai-search/runtime")`. Its exported names are a public contract:
// state written by any released version calls them, so they may gain members but never lose or
// rename one.
//
// Credentials are read here, from what the engine hands to `configure()` and the environment,
// and are kept in this module only: never in the serialized provider.

// First: fails with a clear message on Node.js older than 22, before undici loads.
import "../nodeVersion/assertSupported";
// Then: every module loaded after this one is compiled through Node's on-disk cache.
import "./compileCache";
import { CONFIG_KEYS, resolveSettings, type ConfigSource, type ProviderSettings } from "./config";
import { createContext, type ProviderContext } from "./context";
import type { Lifecycle } from "./lifecycle";
import { withRerunHint } from "./rerunHint";
import * as aiSearchInstanceProvider from "./aiSearchInstance/provider";
import type { AiSearchInstanceInputs, AiSearchInstanceOutputs } from "./aiSearchInstance/args";
import * as aiSearchNamespaceProvider from "./aiSearchNamespace/provider";
import type { AiSearchNamespaceInputs, AiSearchNamespaceOutputs } from "./aiSearchNamespace/args";
import * as serviceApiTokenProvider from "./serviceApiToken/provider";
import type { ServiceApiTokenInputs, ServiceApiTokenOutputs } from "./serviceApiToken/args";

/** Bumped when the runtime's behaviour changes in a way state cares about. */
export const RUNTIME_VERSION = 1;

let configured: ConfigSnapshot | undefined;
let context: ProviderContext | undefined;

/**
 * Called by the dynamic-provider host once per provider before its first call: once for each
 * resource kind, with the same stack config. The context (its API clients and their open
 * connections) is kept unless a value changed, so that the instances reuse the connections the
 * token's create opened instead of opening (and, against Cloudflare, TLS-handshaking) new ones.
 */
export async function configure(req: { config: ConfigSource }): Promise<void> {
  const next = snapshot(req.config);
  if (!configured || !sameValues(configured, next)) context = undefined;
  configured = next;
}

/** Settings as configured, falling back to the environment. */
export function settings(): ProviderSettings {
  return resolveSettings(configured);
}

function ctx(): ProviderContext {
  context ??= createContext(settings());
  return context;
}

type ConfigKey = (typeof CONFIG_KEYS)[keyof typeof CONFIG_KEYS];

/** Our config keys' values, copied, so that nothing holds on to the engine's whole config. */
interface ConfigSnapshot extends ConfigSource {
  readonly values: ReadonlyMap<ConfigKey, string | undefined>;
}

function snapshot(config: ConfigSource): ConfigSnapshot {
  const values = new Map(Object.values(CONFIG_KEYS).map((key) => [key, config.get(key)] as const));
  return { values, get: (key: string) => values.get(key as ConfigKey) };
}

function sameValues(a: ConfigSnapshot, b: ConfigSnapshot): boolean {
  return [...a.values].every(([key, value]) => b.values.get(key) === value);
}

type Props = Record<string, unknown>;

/**
 * The provider methods Pulumi calls, for one resource kind. Inputs and outputs arrive as plain
 * JSON objects: `check` validates the inputs, and the state is what earlier calls returned.
 */
function serve<Inputs, Outputs>(lifecycle: Lifecycle<Inputs, Outputs>) {
  const outputs = (props: Props) => props as unknown as Outputs;
  const inputs = (props: Props) => props as unknown as Inputs;
  return {
    configure,
    check: async (olds: Props, news: Props) => lifecycle.check(news, olds ?? {}),
    diff: async (_id: string, olds: Props, news: Props) => lifecycle.diff(outputs(olds), inputs(news)),
    create: async (news: Props) => writing(news, () => lifecycle.create(ctx(), inputs(news))),
    read: async (id: string, props: Props = {}) => hinted(() => lifecycle.read(ctx(), id, outputs(props))),
    update: async (id: string, olds: Props, news: Props) =>
      writing(news, async () => ({ outs: await lifecycle.update(ctx(), id, outputs(olds), inputs(news)) })),
    delete: async (id: string, props: Props) => hinted(() => lifecycle.remove(ctx(), id, outputs(props))),
  };
}

/** Runs one provider call; a temporary API failure gets its step named and "rerunning is safe". */
async function hinted<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw withRerunHint(err);
  }
}

/**
 * Runs a create or an update of any resource kind: the one place every partial failure passes
 * through on its way to the host, so each one keeps the serialized provider (`news` are the
 * call's inputs, which hold it) and the state it leaves can be refreshed and destroyed.
 */
async function writing<T>(news: Props, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw withRerunHint(withProviderKept(err, news));
  }
}

/** Where the dynamic-provider host keeps the serialized provider in a resource's properties. */
const PROVIDER_KEY = "__provider";

/**
 * A partial failure (a thrown object with `id` and `properties`) makes the engine store
 * `properties` as they are, and the host adds the serialized provider only to successful results.
 * Without it, every later refresh, update and destroy fails in the host before reaching us, so
 * it is added here, from the inputs of the call, as the host does on success.
 */
function withProviderKept(err: unknown, news: Props): unknown {
  if (err === null || typeof err !== "object" || !("id" in err) || !("properties" in err)) return err;
  const properties = (err as { properties: unknown }).properties;
  if (properties !== null && typeof properties === "object" && news[PROVIDER_KEY] !== undefined) {
    (properties as Props)[PROVIDER_KEY] = news[PROVIDER_KEY];
  }
  return err;
}

export const serviceApiToken = serve<ServiceApiTokenInputs, ServiceApiTokenOutputs>(serviceApiTokenProvider);
export const aiSearchInstance = serve<AiSearchInstanceInputs, AiSearchInstanceOutputs>(
  aiSearchInstanceProvider,
);
export const aiSearchNamespace = serve<AiSearchNamespaceInputs, AiSearchNamespaceOutputs>(
  aiSearchNamespaceProvider,
);
