// Changes someone else makes in the account, outside the stack under test: calls to the
// emulator's API with its bootstrap token, and a service token registered by hand.
import type { EmulatorHandle } from "../../emulator";

/** A Cloudflare API call with the emulator's bootstrap token; its `result`, or an error naming the call. */
export async function cf<T = unknown>(
  emu: EmulatorHandle,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${emu.apiToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const envelope = (await res.json()) as { success: boolean; result: T; errors: unknown[] };
  if (!envelope.success) throw new Error(`${method} ${path}: ${JSON.stringify(envelope.errors)}`);
  return envelope.result;
}

/**
 * A service token made by hand, as the docs' curl steps make it: an account-owned API token
 * minted as `tokenName` with "AI Search Index Engine", registered as `name` (legacy: false).
 */
export async function registerByHand(
  emu: EmulatorHandle,
  name: string,
  tokenName = name,
): Promise<{ id: string; cfApiId: string }> {
  const accountId = emu.accountId;
  const minted = await cf<{ id: string; value: string }>(emu, "POST", `/accounts/${accountId}/tokens`, {
    name: tokenName,
    policies: [
      {
        effect: "allow",
        resources: { [`com.cloudflare.api.account.${accountId}`]: "*" },
        permission_groups: [{ id: "9e9b428a0bcd46fd80e580b46a69963c" }],
      },
    ],
  });
  const registration = await cf<{ id: string }>(emu, "POST", `/accounts/${accountId}/ai-search/tokens`, {
    cf_api_id: minted.id,
    cf_api_key: minted.value,
    name,
    legacy: false,
  });
  return { id: registration.id, cfApiId: minted.id };
}
