// Which Node.js this package runs on, and the one message for any other. undici 8 (the provider's
// HTTP client) fails at load on Node.js 20 with a TypeError from deep inside itself, so the entry
// points check first (see ./assertSupported and ./exitUnlessSupported) and say what is wrong.
//
// This file must load on old Node.js: it imports nothing and uses no recent built-in.

/** The oldest Node.js major this package supports: package.json `engines.node` is `>=22` (a unit test keeps the two equal). */
export const MINIMUM_NODE_MAJOR = 22;

/**
 * Undefined when `version` (as in `process.versions.node`, e.g. "20.20.2") is supported;
 * otherwise the message naming the version found, the version needed and the fix.
 */
export function unsupportedNodeMessage(version: string, execPath: string): string | undefined {
  const major = Number.parseInt(version.split(".")[0] ?? "", 10);
  if (Number.isInteger(major) && major >= MINIMUM_NODE_MAJOR) return undefined;
  return (
    `pulumi-cloudflare-ai-search needs Node.js ${MINIMUM_NODE_MAJOR} or newer (package.json "engines": ` +
    `node >=${MINIMUM_NODE_MAJOR}), but this is Node.js v${version} (${execPath}). ` +
    `Fix: install Node.js ${MINIMUM_NODE_MAJOR}+ (24 LTS, e.g. \`nvm install 24\`) and put it first on PATH, ` +
    `so that \`node --version\` prints v${MINIMUM_NODE_MAJOR} or newer; then run the command again.`
  );
}
