// Imported first by the `cf-ai-search-emulator` bin: on an unsupported Node.js it prints the one
// message from ./requirement as one stderr line and exits 1, instead of a stack trace.
import { unsupportedNodeMessage } from "./requirement";

const problem = unsupportedNodeMessage(process.versions.node, process.execPath);
if (problem !== undefined) {
  process.stderr.write(`cf-ai-search-emulator: ${problem}\n`);
  process.exit(1);
}
