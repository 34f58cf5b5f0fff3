import type { FakeLlmServer } from "@usagepilot/testing";
import { addCall, type TotalsByTenant } from "./tenant-totals";

/** Reads a served usage object's counts in the wire's own names (Chat Completions, or Responses). */
function countsOf(usage: Record<string, unknown> | null): { inputTokens: number; outputTokens: number } | null {
  if (usage === null) return null;
  const input = usage.prompt_tokens ?? usage.input_tokens;
  const output = usage.completion_tokens ?? usage.output_tokens ?? 0;
  if (typeof input !== "number" || typeof output !== "number") throw new Error(`served usage without counts: ${JSON.stringify(usage)}`);
  return { inputTokens: input, outputTokens: output };
}

/**
 * What the fake provider served, per tenant (the `x-tenant-id` request header): one event per request it
 * answered, and the usage its written bytes actually carried (`served[i].usage`, read from the wire, so a
 * cut or aborted stream counts only what went out). `calls` keeps only requests with those `x-call-id`s.
 */
export function servedTenantTotals(server: FakeLlmServer, options: { calls?: ReadonlySet<string> } = {}): TotalsByTenant {
  const totals: TotalsByTenant = {};
  server.requests.forEach((request, index) => {
    const callId = request.headers["x-call-id"];
    if (options.calls && (callId === undefined || !options.calls.has(callId))) return;
    const served = server.served[index];
    if (!served) throw new Error(`request ${index} (${request.path}) has no served answer`);
    addCall(totals, request.headers["x-tenant-id"] ?? "(none)", countsOf(served.usage));
  });
  return totals;
}
