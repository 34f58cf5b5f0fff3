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
