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
import {
  CloudflareCredentialsSchema,
  missingSourceMessage,
  missingSources,
  settingsFor,
  type CloudflareCredentials,
} from "./credentials";
import type { DiffResult } from "./lifecycle";
import { containsUnknown, toFailures } from "./validation";
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
/**
 * The engine's config as `configure()` last handed it, for the keys resources name in
 * `credentials` (which no fixed list can hold). Read at call time, never copied into state.
 */
let engineConfig: ConfigSource | undefined;
let context: ProviderContext | undefined;
/** One context per named credential source and its current values: one account's clients each. */
const namedContexts = new Map<string, ProviderContext>();

/**
 * Called by the dynamic-provider host once per provider before its first call: once for each
 * resource kind, with the same stack config. The context (its API clients and their open
 * connections) is kept unless a value changed, so that the instances reuse the connections the
 * token's create opened instead of opening (and, against Cloudflare, TLS-handshaking) new ones.
 */
export async function configure(req: { config: ConfigSource }): Promise<void> {
  const next = snapshot(req.config);
  if (!configured || !sameValues(configured, next)) {
    context = undefined;
    namedContexts.clear();
  }
  configured = next;
  engineConfig = req.config;
}

/** Settings as configured, falling back to the environment. */
export function settings(): ProviderSettings {
  return resolveSettings(configured);
}

/**
 * The context of the account a resource names in `credentials`, or the stack's when it names none.
 * Contexts are kept per source and value, so that resources of one account share connections and
 * a rotated value (a new `configure()`) gets new clients.
 */
function ctx(credentials?: CloudflareCredentials): ProviderContext {
  if (!credentials) {
    context ??= createContext(settings());
    return context;
  }
  const named = settingsFor(credentials, namedConfig(), process.env);
  const key = JSON.stringify([
    credentials,
    named.apiToken?.value,
    named.tokenMintingApiToken?.value,
    named.baseUrl,
  ]);
  let found = namedContexts.get(key);
  if (!found) {
    found = createContext(named);
    namedContexts.set(key, found);
  }
  return found;
}

/**
 * Where a key named in `credentials` is read: a `pulumi-nodejs:` key from the current stack config
 * (below), our fixed keys from the snapshot, any other key from the engine's config.
 */
function namedConfig(): ConfigSource | undefined {
  if (!configured) return undefined;
  const snap = configured;
  const current = currentProviderConfig();
  return {
    get: (key) => {
      if (key.startsWith(PROVIDER_CONFIG_NAMESPACE)) {
        const value = current[key.slice(PROVIDER_CONFIG_NAMESPACE.length)];
        if (typeof value === "string") return value;
      }
      return snap.values.has(key as ConfigKey) ? snap.get(key) : engineConfig?.get(key);
    },
  };
}

/** The config namespace of the dynamic-provider plugin itself (its package name). */
const PROVIDER_CONFIG_NAMESPACE = "pulumi-nodejs:";

/**
 * The `pulumi-nodejs:` keys of the CURRENT stack config, which the engine puts in the provider
 * process's environment (PULUMI_CONFIG, without the namespace) for every command. The config
 * `configure()` receives is, on refresh and destroy, the one stored in state at the last `up`
 * (measured with CLI v3.274.1: a key changed in Pulumi.<stack>.yaml still arrives with its old
 * value), so a management token rotated in the config reaches a refresh or destroy with no `up`
 * first only through this.
 */
function currentProviderConfig(): Record<string, unknown> {
  const raw = process.env.PULUMI_CONFIG;
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

type ConfigKey = (typeof CONFIG_KEYS)[keyof typeof CONFIG_KEYS];

/** Our fixed config keys' values, copied, to tell whether a configure() call changed any. */
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

/** The input every resource takes beside its own: where its account's credentials are (credentials.ts). */
const CREDENTIALS_KEY = "credentials";

/** The props without `credentials`, which the resource kinds' own logic never sees. */
function withoutCredentials(props: Props): Props {
  if (!(CREDENTIALS_KEY in props)) return props;
  const { [CREDENTIALS_KEY]: _credentials, ...rest } = props;
  return rest;
}

/** The credentials sources a resource names, as validated by `check` (undefined: the stack's). */
function credentialsOf(props: Props | undefined): CloudflareCredentials | undefined {
  const value = props?.[CREDENTIALS_KEY];
  return value === undefined || value === null ? undefined : (value as CloudflareCredentials);
}

/** `props` with the resource's credentials sources kept (as given, or none). */
function withCredentials<T>(props: T, credentials: CloudflareCredentials | undefined): T {
  if (credentials === undefined || props === undefined || props === null) return props;
  return { ...props, [CREDENTIALS_KEY]: credentials };
}

/**
 * Validates `credentials`: its shape, and that every source it names is set, in the stack config
 * the engine handed to `configure()` or in the environment. The engine reports the failures with
 * the resource's name.
 */
function checkCredentials(news: Props): { property: string; reason: string }[] {
  const given = news[CREDENTIALS_KEY];
  if (given === undefined || given === null || containsUnknown(given)) return [];
  const parsed = CloudflareCredentialsSchema.safeParse(given);
  if (!parsed.success) {
    return toFailures(parsed.error).map((f) => ({
      property: f.property ? `${CREDENTIALS_KEY}.${f.property}` : CREDENTIALS_KEY,
      reason: `${CREDENTIALS_KEY}${f.property ? "." : ": "}${f.reason}`,
    }));
  }
  return missingSources(parsed.data, namedConfig(), process.env).map((missing) => ({
    property: `${CREDENTIALS_KEY}.${missing.field}`,
    reason: missingSourceMessage(missing),
  }));
}

/**
 * The provider methods Pulumi calls, for one resource kind. Inputs and outputs arrive as plain
 * JSON objects: `check` validates the inputs, and the state is what earlier calls returned.
 *
 * `credentials` (where the account's management token is) is handled here, for every kind alike:
 * it picks the context of each call, is kept in the inputs and outputs, and a change of it alone
 * is an update that only records it.
 */
function serve<Inputs, Outputs>(lifecycle: Lifecycle<Inputs, Outputs>) {
  const outputs = (props: Props) => withoutCredentials(props) as unknown as Outputs;
  const inputs = (props: Props) => withoutCredentials(props) as unknown as Inputs;
  const ownDiff = (olds: Props, news: Props): DiffResult => lifecycle.diff(outputs(olds), inputs(news));
  return {
    configure,
    check: async (olds: Props, news: Props) => {
      const credentialFailures = checkCredentials(news);
      const own = lifecycle.check(withoutCredentials(news), withoutCredentials(olds ?? {}));
      const failures = [...credentialFailures, ...own.failures];
      return { inputs: withCredentials(own.inputs, credentialsOf(news)), failures };
    },
    diff: async (_id: string, olds: Props, news: Props) => {
      const own = ownDiff(olds, news);
      const moved =
        JSON.stringify(credentialsOf(olds) ?? null) !== JSON.stringify(credentialsOf(news) ?? null);
      return moved && !own.changes ? { ...own, changes: true } : own;
    },
    create: async (news: Props) =>
      hinted(async () => {
        const credentials = credentialsOf(news);
        try {
          const made = await lifecycle.create(ctx(credentials), inputs(news));
          return { ...made, outs: withCredentials(made.outs, credentials) };
        } catch (err) {
          throw withCredentialsKept(err, credentials);
        }
      }),
    read: async (id: string, props: Props = {}) =>
      hinted(async () => {
        const credentials = credentialsOf(props);
        const found = await lifecycle.read(ctx(credentials), id, outputs(props));
        return {
          ...found,
          ...(found.props ? { props: withCredentials(found.props, credentials) } : {}),
          ...(found.inputs ? { inputs: withCredentials(found.inputs, credentials) } : {}),
        };
      }),
    update: async (id: string, olds: Props, news: Props) => {
      const credentials = credentialsOf(news);
      try {
        // Only the credentials sources changed: record them, call nothing.
        if (!ownDiff(olds, news).changes) return { outs: withCredentials(outputs(olds), credentials) };
        const outs = await lifecycle.update(ctx(credentials), id, outputs(olds), inputs(news));
        return { outs: withCredentials(outs, credentials) };
      } catch (err) {
        throw withRerunHint(withProviderKept(withCredentialsKept(err, credentials), news));
      }
    },
    delete: async (id: string, props: Props) =>
      hinted(() => lifecycle.remove(ctx(credentialsOf(props)), id, outputs(props))),
  };
}

/** A partial failure's properties keep the credentials sources, as a success's outputs do. */
function withCredentialsKept(err: unknown, credentials: CloudflareCredentials | undefined): unknown {
  if (credentials === undefined) return err;
  if (err === null || typeof err !== "object" || !("id" in err) || !("properties" in err)) return err;
  const properties = (err as { properties: unknown }).properties;
  if (properties !== null && typeof properties === "object") {
    (properties as Props)[CREDENTIALS_KEY] = credentials;
  }
  return err;
}

/** Runs one provider call; a temporary API failure gets its step named and "rerunning is safe". */
async function hinted<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw withRerunHint(err);
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
