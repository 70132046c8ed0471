// How ServiceApiToken's state is built from the program's inputs and the API's answers.
import type { AiSearchToken } from "../cloudflare/schemas";
import { MINT_MARKER_KEY, type ServiceApiTokenInputs, type ServiceApiTokenOutputs } from "./args";

/** The credential a registration holds, as the outputs describe it. */
export type CredentialState = Pick<
  ServiceApiTokenOutputs,
  "cfApiId" | "minted" | "permissionGroupIds" | "underlyingTokenStatus" | "mintedByCredential"
> & { value: string | undefined };

/** The state of a registration that was just created or adopted. */
export function result(
  inputs: ServiceApiTokenInputs,
  registration: AiSearchToken,
  extra: Pick<
    ServiceApiTokenOutputs,
    "permissionGroupIds" | "minted" | "adopted" | "underlyingTokenStatus" | "mintedByCredential"
  > & {
    value?: string;
  },
): { id: string; outs: ServiceApiTokenOutputs } {
  const outs: ServiceApiTokenOutputs = {
    ...inputsOf(inputs),
    name: registration.name,
    tokenId: registration.id,
    cfApiId: registration.cf_api_id,
    enabled: registration.enabled ?? true,
    ...timestamps(registration),
    ...extra,
  };
  return { id: registration.id, outs: withoutUndefined(outs) };
}

/** The state after an update that needed no API call (only state-only inputs changed). */
export function stateOnly(olds: ServiceApiTokenOutputs, news: ServiceApiTokenInputs): ServiceApiTokenOutputs {
  const outs: ServiceApiTokenOutputs = { ...withoutProvider(olds), ...inputsOf(news), name: olds.name };
  if (news.adopt === undefined) delete outs.adopt;
  if (news.rotationTrigger === undefined) delete outs.rotationTrigger;
  if (news.deleteWhileInstancesRemain === undefined) delete outs.deleteWhileInstancesRemain;
  return withoutUndefined(outs);
}

/** The state after an update: the new inputs, the registration as AI Search answered, the credential. */
export function merge(
  olds: ServiceApiTokenOutputs,
  news: ServiceApiTokenInputs,
  registration: AiSearchToken,
  fields: CredentialState,
): ServiceApiTokenOutputs {
  const { value, ...rest } = fields;
  const outs: ServiceApiTokenOutputs = {
    ...inputsOf(news),
    name: registration.name,
    tokenId: registration.id,
    enabled: registration.enabled ?? true,
    ...timestamps(registration),
    adopted: olds.adopted,
    ...rest,
    cfApiId: registration.cf_api_id || rest.cfApiId,
  };
  if (value !== undefined) outs.value = value;
  return withoutUndefined(outs);
}

/**
 * The host turns outputs into a protobuf Struct, which refuses `undefined` values ("Unexpected
 * struct type"), so an unset field is left out rather than set to undefined.
 */
function withoutUndefined<T extends object>(x: T): T {
  return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as T;
}

export function timestamps(r: AiSearchToken): Pick<ServiceApiTokenOutputs, "createdAt" | "modifiedAt"> {
  return {
    ...(r.created_at ? { createdAt: r.created_at } : {}),
    ...(r.modified_at ? { modifiedAt: r.modified_at } : {}),
  };
}

/**
 * The input fields as they are kept in outputs, the mint marker included (a refresh returns these
 * as the inputs); `existingApiToken` is not (its value is `value`).
 */
export function inputsOf(x: ServiceApiTokenInputs | ServiceApiTokenOutputs): ServiceApiTokenInputs {
  const inputs: ServiceApiTokenInputs = {
    accountId: x.accountId,
    owner: x.owner,
    permissionGroups: [...x.permissionGroups],
  };
  if (x.name !== undefined) inputs.name = x.name;
  if (x.adopt !== undefined) inputs.adopt = x.adopt;
  if (x.rotationTrigger !== undefined) inputs.rotationTrigger = x.rotationTrigger;
  if (x.deleteWhileInstancesRemain !== undefined)
    inputs.deleteWhileInstancesRemain = x.deleteWhileInstancesRemain;
  if (x[MINT_MARKER_KEY] !== undefined) inputs[MINT_MARKER_KEY] = x[MINT_MARKER_KEY];
  return inputs;
}

export function withoutProvider<T extends object>(x: T): T {
  const copy = { ...x } as T & { __provider?: unknown };
  delete copy.__provider;
  return copy;
}
