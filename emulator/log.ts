// Log lines go to stderr (or a sink the caller gives). Nothing secret may reach them: callers
// never pass headers or bodies, and every line is scrubbed of anything shaped like a token.

export type LogSink = (line: string) => void;

const SECRET_SHAPES = [
  /\bcf[ua]t_[A-Za-z0-9_-]+/g, // Cloudflare 2026 token formats
  /\bBearer\s+\S+/gi,
];

/** Replaces anything that looks like a secret with `[redacted]`. */
export function redact(text: string): string {
  let out = text;
  for (const shape of SECRET_SHAPES) out = out.replace(shape, "[redacted]");
  return out;
}

export interface Logger {
  info(line: string): void;
  error(line: string): void;
}

export function createLogger(sink: LogSink | undefined): Logger {
  if (!sink) return { info: () => undefined, error: () => undefined };
  return {
    info: (line) => sink(redact(line)),
    error: (line) => sink(redact(`error: ${line}`)),
  };
}
