// The real dynamic-provider host of `@pulumi/pulumi` (`cmd/dynamic-provider`), driven over gRPC the
// way the engine drives it: a child process started from the repository root (where the package
// resolves by its name, as in a program directory), the serialized provider in every call's
// properties, and a partial failure's `ErrorResourceInitFailed` details decoded as the engine
// decodes them. What the host stores on a partial failure is what the engine keeps in state, so a
// test can then call read and delete on exactly those properties.
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as pulumi from "@pulumi/pulumi";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import type { RuntimeResource, ShimProvider } from "../../provider/shim";

const REPO = path.resolve(__dirname, "../..");

type Props = Record<string, unknown>;

/** What a create or update that failed after making something left: the engine stores `properties`. */
export interface PartialFailure {
  message: string;
  id: string;
  properties: Props;
}

export interface ProviderHost {
  /** The serialized provider of a resource kind, as `pulumi.dynamic.Resource` stores it. */
  providerText(resource: RuntimeResource): Promise<string>;
  /** The inputs as `check` makes them (defaults filled in); throws on check failures. */
  check(olds: Props, news: Props): Promise<Props>;
  create(props: Props): Promise<{ id: string; properties: Props }>;
  update(id: string, olds: Props, news: Props): Promise<Props>;
  read(id: string, properties: Props): Promise<{ id: string; properties: Props }>;
  delete(id: string, properties: Props): Promise<void>;
  close(): void;
}

/** A gRPC error carrying a partial failure, decoded; anything else is thrown as it is. */
export class HostCallError extends Error {
  constructor(
    message: string,
    readonly partial: PartialFailure | undefined,
  ) {
    super(message);
  }
}

/** The built shim (dist/), as a program loads it. */
function builtShim(resource: RuntimeResource): ShimProvider {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built file, as programs load it
  return require(path.join(REPO, "dist", "provider", "shims", `${resource}.js`)) as ShimProvider;
}

/** Starts the host with `config` (the stack config the engine would pass) and connects to it. */
export async function startProviderHost(config: Record<string, string>): Promise<ProviderHost> {
  const host = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  const child: ChildProcess = spawn(process.execPath, [host, "127.0.0.1:1"], {
    cwd: REPO,
    env: { ...process.env, PULUMI_NODEJS_PROJECT: "provider-host-test" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr: string[] = [];
  child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^(\d+)\n/.exec(out);
      if (line) resolve(line[1]!);
    });
    child.once("exit", (code) => reject(new Error(`provider host exited (${code}): ${stderr.join("")}`)));
  });
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const unary = <Req, Res>(method: string, request: Req): Promise<Res> =>
    new Promise((resolve, reject) => {
      const call = (
        client as unknown as Record<
          string,
          (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void
        >
      )[method]!;
      call.call(client, request, (err, res) => (err ? reject(decoded(err)) : resolve(res)));
    });

  const configure = new proto.ConfigureRequest();
  configure.setArgs(Struct.fromJavaScript(config));
  await unary("configure", configure);

  return {
    async providerText(resource) {
      const shim = builtShim(resource);
      return (await pulumi.runtime.serializeFunction(() => shim, { allowSecrets: true })).text;
    },
    async check(olds, news) {
      const req = new proto.CheckRequest();
      req.setUrn("urn:pulumi:test::test::resource::name");
      req.setOlds(Struct.fromJavaScript(olds as never));
      req.setNews(Struct.fromJavaScript(news as never));
      const res = await unary<proto.CheckRequest, proto.CheckResponse>("check", req);
      const failures = res.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`);
      if (failures.length) throw new Error(`check failed: ${failures.join("; ")}`);
      return res.getInputs()!.toJavaScript();
    },
    async create(props) {
      const req = new proto.CreateRequest();
      req.setUrn("urn:pulumi:test::test::resource::name");
      req.setProperties(Struct.fromJavaScript(props as never));
      const res = await unary<proto.CreateRequest, proto.CreateResponse>("create", req);
      return { id: res.getId(), properties: res.getProperties()!.toJavaScript() };
    },
    async update(id, olds, news) {
      const req = new proto.UpdateRequest();
      req.setId(id);
      req.setUrn("urn:pulumi:test::test::resource::name");
      req.setOlds(Struct.fromJavaScript(olds as never));
      req.setNews(Struct.fromJavaScript(news as never));
      const res = await unary<proto.UpdateRequest, proto.UpdateResponse>("update", req);
      return res.getProperties()!.toJavaScript();
    },
    async read(id, properties) {
      const req = new proto.ReadRequest();
      req.setId(id);
      req.setUrn("urn:pulumi:test::test::resource::name");
      req.setProperties(Struct.fromJavaScript(properties as never));
      const res = await unary<proto.ReadRequest, proto.ReadResponse>("read", req);
      return { id: res.getId(), properties: res.getProperties()?.toJavaScript() ?? {} };
    },
    async delete(id, properties) {
      const req = new proto.DeleteRequest();
      req.setId(id);
      req.setUrn("urn:pulumi:test::test::resource::name");
      req.setProperties(Struct.fromJavaScript(properties as never));
      await unary("delete", req);
    },
    close() {
      client.close();
      child.kill();
    },
  };
}

/** The partial failure in a gRPC error's status details, as the engine reads it. */
function decoded(err: grpc.ServiceError): HostCallError {
  const bin = err.metadata?.get("grpc-status-details-bin")[0];
  if (!bin) return new HostCallError(err.details || err.message, undefined);
  const status = Status.deserializeBinary(new Uint8Array(bin as Buffer));
  for (const detail of status.getDetailsList()) {
    if (!detail.getTypeUrl().endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
    const failed = proto.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
    return new HostCallError(status.getMessage(), {
      message: status.getMessage(),
      id: failed.getId(),
      properties: failed.getProperties()?.toJavaScript() ?? {},
    });
  }
  return new HostCallError(status.getMessage(), undefined);
}
