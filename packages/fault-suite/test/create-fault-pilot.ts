import type { FakeLlmServer } from "@usagepilot/testing";
import { createOpenAIAdapter, type UsageStorage, UsagePilot, type UsagePilotOptions } from "usagepilot";

/** Every scenario's events carry the tenant and the logical call (an SDK retry keeps its call id). */
export type FaultDimensions = { tenant_id: string; call_id: string };

/** The headers that tell the metered fetch whose call this is. */
export function callHeaders(tenant: string, callId: string): Record<string, string> {
  return { "x-tenant-id": tenant, "x-call-id": callId };
}

/**
 * The umbrella `UsagePilot` (price book and tokenizers included, as users get it) metering the fake
 * server as OpenAI, with background problems collected in `errors` instead of printed.
 */
export function createFaultPilot(options: {
  server: FakeLlmServer;
  storage: UsageStorage;
  pilot?: Omit<UsagePilotOptions<FaultDimensions>, "storage" | "providers">;
}) {
  const errors: unknown[] = [];
  const usage = new UsagePilot<FaultDimensions>({
    onError: (error) => errors.push(error),
    ...options.pilot,
    storage: options.storage,
    providers: [createOpenAIAdapter({ baseURLs: [{ baseURL: options.server.baseURL, provider: "openai" }] })],
  });
  const fetchWithUsage = usage.createFetch((request) => ({ tenant_id: request.headers.get("x-tenant-id"), call_id: request.headers.get("x-call-id") }));
  return { usage, fetch: fetchWithUsage, errors };
}
