// What every resource's provider logic offers, so the runtime can serve them all the same way.
import type { ProviderContext } from "./context";
import type { CheckFailure } from "./validation";

/** The permission AI Search calls need, as error messages name it. */
export const AI_SEARCH_EDIT = "AI Search Edit (Account > AI Search > Edit)";

export interface CheckResult {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
}

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export interface ReadResult<Inputs, Outputs> {
  id?: string;
  props?: Outputs;
  inputs?: Inputs;
}

/** The lifecycle of one resource kind: pure check and diff, and CRUD through a context. */
export interface Lifecycle<Inputs, Outputs> {
  /** `olds`: the inputs held in state, `{}` when the engine holds none for the resource. */
  check(news: Record<string, unknown>, olds?: Record<string, unknown>): CheckResult;
  diff(olds: Outputs, news: Inputs): DiffResult;
  create(ctx: ProviderContext, inputs: Inputs): Promise<{ id: string; outs: Outputs }>;
  read(ctx: ProviderContext, id: string, olds: Outputs): Promise<ReadResult<Inputs, Outputs>>;
  update(ctx: ProviderContext, id: string, olds: Outputs, news: Inputs): Promise<Outputs>;
  remove(ctx: ProviderContext, id: string, olds: Outputs): Promise<void>;
}
