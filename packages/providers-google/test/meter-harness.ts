import type { TokenizerV1 } from "@usagepilot/core";
import { createMeteringHarness, type HarnessDimensions, type MeteringHarness } from "@usagepilot/core/test";
import { createFakeLlmServer, type FakeLlmServer } from "@usagepilot/testing";
import { createGoogleAdapter } from "../src/create-google-adapter";

export type Dimensions = HarnessDimensions;

/** A fake Gemini server and a UsagePilot metering it into memory. */
export interface Harness extends MeteringHarness {
  server: FakeLlmServer;
  /** `${server.url}/v1beta`, the Gemini API base URL of the fake server. */
  geminiBaseURL: string;
  /** A Vertex AI–shaped base URL on the fake server (`…/v1/projects/p/locations/us-central1/publishers/google`). */
  vertexBaseURL: string;
  close(): Promise<void>;
}

export async function createHarness(options: { tokenizer?: TokenizerV1 } = {}): Promise<Harness> {
  const server = await createFakeLlmServer();
  const geminiBaseURL = `${server.url}/v1beta`;
  const vertexBaseURL = `${server.url}/v1/projects/p/locations/us-central1/publishers/google`;
  const harness = createMeteringHarness({
    providers: [createGoogleAdapter({ baseURLs: [{ baseURL: vertexBaseURL, provider: "google-vertex" }, { baseURL: geminiBaseURL }] })],
    ...(options.tokenizer ? { tokenizers: options.tokenizer } : {}),
  });
  // Gemini's tests read events as soon as the SDK returns: wait for at least one by default.
  return { ...harness, events: (count = 1) => harness.events(count), server, geminiBaseURL, vertexBaseURL, close: async () => (await harness.shutdown(), await server.close()) };
}
