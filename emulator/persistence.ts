// The data file: the whole state as JSON, written atomically (temp file, fsync, rename) after
// every change. A file that cannot be read or parsed stops start-up and is never overwritten.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import type { PersistedState } from "./model";

export class DataFileError extends Error {
  readonly file: string;
  constructor(file: string, reason: string) {
    super(
      `Emulator data file ${file} cannot be used: ${reason}. It was left untouched; fix or remove it, or start with another --data-file.`,
    );
    this.name = "DataFileError";
    this.file = file;
  }
}

const resources = z.record(z.string(), z.union([z.string(), z.record(z.string(), z.string())]));

const PersistedSchema = z.object({
  version: z.literal(1),
  accountId: z.string().min(1),
  userId: z.string().min(1),
  apiTokens: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string(),
      owner: z.object({ type: z.enum(["user", "account"]), id: z.string() }),
      status: z.enum(["active", "disabled", "expired", "revoked (exposed)"]),
      policies: z.array(
        z.object({
          id: z.string(),
          effect: z.enum(["allow", "deny"]),
          resources,
          permission_groups: z.array(
            z.object({
              id: z.string(),
              name: z.string(),
              meta: z.object({ key: z.string().optional(), value: z.string().optional() }).optional(),
            }),
          ),
        }),
      ),
      condition: z.record(z.string(), z.unknown()).optional(),
      expires_on: z.string().nullish(),
      not_before: z.string().nullish(),
      issuedAtMs: z.number(),
      modifiedAtMs: z.number(),
      lastUsedAtMs: z.number().nullable(),
      secretDigest: z.string().regex(/^[0-9a-f]{64}$/),
      secretIssuedAtMs: z.number(),
      propagationAttempts: z.number().int().min(0),
      propagated: z.boolean(),
      bootstrap: z.boolean(),
    }),
  ),
  aiSearchTokens: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string(),
      cf_api_id: z.string(),
      keyDigest: z.string().regex(/^[0-9a-f]{64}$/),
      legacy: z.boolean(),
      enabled: z.boolean(),
      createdAtMs: z.number(),
      modifiedAtMs: z.number(),
      created_by: z.string().nullable(),
      modified_by: z.string().nullable(),
    }),
  ),
  instances: z.array(
    z.object({
      id: z.string().min(1),
      namespace: z.string().min(1),
      settings: z.record(z.string(), z.unknown()),
      createdAtMs: z.number(),
      modifiedAtMs: z.number(),
      status: z.string(),
      public_endpoint_id: z.string(),
      created_by: z.string().nullable(),
      modified_by: z.string().nullable(),
      goneAtMs: z.number().optional(),
    }),
  ),
  teardowns: z.record(z.string(), z.number()),
  namespaces: z
    .array(
      z.object({
        name: z.string().min(1),
        description: z.string().nullable(),
        public_endpoint_params: z.record(z.string(), z.unknown()).nullable(),
        public_endpoint_id: z.string(),
        createdAtMs: z.number().nullable(),
        modifiedAtMs: z.number().nullable(),
      }),
    )
    .optional(),
  jobs: z
    .array(
      z.object({
        id: z.string().min(1),
        namespace: z.string().min(1),
        instanceId: z.string().min(1),
        source: z.enum(["user", "schedule"]),
        description: z.string().nullable(),
        startedAtMs: z.number(),
        durationMs: z.number().min(0),
        outcome: z.enum(["success", "error"]),
        errorReason: z.string(),
        itemCount: z.number().int().min(0),
        cancelledAtMs: z.number().optional(),
      }),
    )
    .optional(),
});

/** Reads the data file. `undefined` when it does not exist; throws DataFileError when it is unusable. */
export function loadDataFile(file: string): PersistedState | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new DataFileError(file, `it cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DataFileError(file, "it is not valid JSON");
  }
  const parsed = PersistedSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "unknown problem";
    throw new DataFileError(file, `it does not hold emulator state (${where})`);
  }
  return parsed.data;
}

let tempCounter = 0;

/** Writes the state atomically: a reader sees the old file or the new one, never a torn one. */
export function saveDataFile(file: string, state: PersistedState): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${++tempCounter}.tmp`);
  const fd = openSync(temp, "w", 0o600);
  try {
    writeSync(fd, JSON.stringify(state));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing to clean
    }
    throw err;
  }
}
