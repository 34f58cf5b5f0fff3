// @usagepilot/testing: a stateful fake OpenAI-compatible LLM server and the recorded-fixture helpers.
export { createFakeLlmServer, type CreateFakeLlmServerOptions, type FakeLlmServer } from "./server/create-fake-llm-server";
export type { RecordedRequest } from "./server/recorded-request";
export type { ServedAnswer } from "./server/served-answer";
export type {
  ChatAnswer,
  CutAnswer,
  EmbeddingsAnswer,
  ErrorAnswer,
  FakeChatUsage,
  FakeEmbeddingsUsage,
  FakeLlmAnswer,
  FakeResponsesUsage,
  RawAnswer,
  ReplayAnswer,
  ResponsesAnswer,
  StreamErrorAnswer,
} from "./fake-llm-answer";
export { fixtureBody, type FixtureBody } from "./fixtures/fixture-body";
export { fixturesDir } from "./fixtures/fixtures-dir";
export { synthesizeChatStream, type SynthesizeChatStreamOptions } from "./synthesize/synthesize-chat-stream";
export type { AnthropicAnswer, FakeAnthropicUsage } from "./anthropic-answer";
export { synthesizeAnthropicStream, type SynthesizeAnthropicStreamOptions } from "./synthesize/synthesize-anthropic-stream-events";
export type { FakeGeminiModalityCount, FakeGeminiUsage, GeminiAnswer, GeminiCutAnswer, GeminiStreamErrorAnswer } from "./fake-gemini-answer";
export { googleErrorBody } from "./synthesize/google-error-body";
export { synthesizeGeminiChunks, type SynthesizeGeminiChunksOptions } from "./synthesize/synthesize-gemini-chunks";
export { createChargebeeRedirectClient, createFakeChargebeeServer, createFakeStripeServer, fakeChargebeeHostSuffix, type BillingFault, type BillingFaultKind, type BillingFaultPlan, type ChargebeeHttpClientLike, type CreateFakeChargebeeServerOptions, type CreateFakeStripeServerOptions, type FakeChargebeeFeature, type FakeChargebeeServer, type FakeChargebeeUsageEvent, type FakeStripeMeter, type FakeStripeMeterEvent, type FakeStripeServer } from "./stripe/fake-billing-servers";
export { readResponseText } from "./util/read-response-text";
