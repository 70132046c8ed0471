// The two ways a lookup by id or name can fail besides the API's own errors.

/** Where a lookup looked: the account, the namespace if any, and the API's base URL. */
export interface LookupPlace {
  readonly accountId: string;
  readonly namespace?: string | undefined;
  readonly baseUrl: string;
}

function describePlace(where: LookupPlace): string {
  const namespace = where.namespace === undefined ? "" : `namespace "${where.namespace}" of `;
  return `${namespace}account ${where.accountId} (API ${where.baseUrl})`;
}

/** A lookup by id or name found nothing. Says what was looked for and where. */
export class LookupNotFoundError extends Error {
  constructor(
    /** What was looked for, e.g. `AI Search service API token named "platform"`. */
    readonly what: string,
    readonly where: LookupPlace,
    advice = "",
  ) {
    super(`No ${what} in ${describePlace(where)}${advice ? `. ${advice}` : ""}`);
    this.name = "LookupNotFoundError";
  }
}

/** A lookup by name found more than one: the error names every id, so the program can pick one. */
export class AmbiguousLookupError extends Error {
  constructor(
    readonly what: string,
    readonly where: LookupPlace,
    readonly ids: readonly string[],
    advice: string,
  ) {
    super(`${ids.length} ${what} in ${describePlace(where)}: ids ${ids.join(", ")}. ${advice}`);
    this.name = "AmbiguousLookupError";
  }
}
