import type { LimitsOptions } from "@usagepilot/core";
import { createMeteringHarness, type HarnessDimensions, type MeteringHarness } from "@usagepilot/core/test";
import { createFakeLlmServer, type FakeLlmServer } from "@usagepilot/testing";
import { createOpenAIAdapter } from "../src/create-openai-adapter";

export type Dimensions = HarnessDimensions;

/** A fake OpenAI server and a UsagePilot metering it into memory. */
export interface Harness extends MeteringHarness {
  server: FakeLlmServer;
  close(): Promise<void>;
}

export async function createHarness(options: { injectStreamUsage?: boolean; limits?: LimitsOptions<Dimensions> } = {}): Promise<Harness> {
  const server = await createFakeLlmServer();
  const harness = createMeteringHarness({
    providers: [createOpenAIAdapter({ baseURLs: [{ baseURL: server.baseURL, provider: "openai" }] })],
    ...(options.injectStreamUsage === undefined ? {} : { fetch: { injectStreamUsage: options.injectStreamUsage } }),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  return { ...harness, server, close: async () => (await harness.shutdown(), await server.close()) };
}
