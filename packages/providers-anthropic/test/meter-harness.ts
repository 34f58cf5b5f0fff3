import type { TokenizerV1 } from "@usagepilot/core";
import { createMeteringHarness, type HarnessDimensions, type MeteringHarness } from "@usagepilot/core/test";
import { createFakeLlmServer, type FakeLlmServer } from "@usagepilot/testing";
import { createAnthropicAdapter } from "../src/create-anthropic-adapter";

export type Dimensions = HarnessDimensions;

/** A fake Anthropic server and a UsagePilot metering it into memory. */
export interface Harness extends MeteringHarness {
  server: FakeLlmServer;
  close(): Promise<void>;
}

/** The fake server is claimed as a base URL of its own, as a proxy in front of Anthropic would be. */
export async function createHarness(options: { tokenizer?: TokenizerV1 } = {}): Promise<Harness> {
  const server = await createFakeLlmServer();
  const harness = createMeteringHarness({
    providers: [createAnthropicAdapter({ baseURLs: [{ baseURL: server.url }] })],
    ...(options.tokenizer ? { tokenizers: options.tokenizer } : {}),
  });
  return { ...harness, server, close: async () => (await harness.shutdown(), await server.close()) };
}
