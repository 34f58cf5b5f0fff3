import { MemoryStorage, UsagePilot, type UsageEvent } from "@usagepilot/core";
import { createFakeLlmServer, type FakeLlmServer } from "@usagepilot/testing";
import { createOpenAIAdapter } from "../src/create-openai-adapter";

export type Dimensions = { user_id: string; organization_id?: string; feature?: string };

/** A fake provider, a UsagePilot metering it into memory, and the metered fetch as DESIGN.md builds it. */
export interface Harness {
  server: FakeLlmServer;
  storage: MemoryStorage;
  usage: UsagePilot<Dimensions>;
  errors: unknown[];
  fetchWithUsage: typeof fetch;
  /** Flushes and returns every stored event. */
  events(): Promise<readonly UsageEvent[]>;
  close(): Promise<void>;
}

export async function createHarness(options: { injectStreamUsage?: boolean } = {}): Promise<Harness> {
  const server = await createFakeLlmServer();
  const storage = new MemoryStorage();
  const errors: unknown[] = [];
  const usage = new UsagePilot<Dimensions>({
    storage,
    providers: [createOpenAIAdapter({ baseURLs: [{ baseURL: server.baseURL, provider: "openai" }] })],
    onError: (error) => errors.push(error),
  });
  const fetchWithUsage = usage.createFetch(
    (request) => ({
      user_id: request.headers.get("x-user-id") || "anonymous",
      organization_id: request.headers.get("x-org-id"),
      feature: request.headers.get("x-feature"),
    }),
    options.injectStreamUsage === undefined ? {} : { injectStreamUsage: options.injectStreamUsage },
  );
  return {
    server,
    storage,
    usage,
    errors,
    fetchWithUsage,
    async events() {
      await usage.flush();
      return storage.events;
    },
    async close() {
      await usage.shutdown();
      await server.close();
    },
  };
}
