import { describeProviderConformance } from "@usagepilot/core/test";
import { describe, expect, it } from "vitest";
import { createGoogleAdapter } from "../src/create-google-adapter";
import { createFakeTokenizer } from "./fake-tokenizer";
import { geminiFixtureCases, sseStreamError } from "./google-conformance-cases";

const runner = { describe, it, expect };

// The recorded answers through the shared kit: read whole, split at every byte, cut, ended by an error.
describeProviderConformance({ name: "Gemini (SSE and JSON)", adapter: () => createGoogleAdapter(), cases: geminiFixtureCases.filter((testCase) => !testCase.name.includes("json-array")), runner, streamErrorEvent: sseStreamError });

// The streamed JSON array: the kit splices the error after the first element's comma.
describeProviderConformance({
  name: "Gemini (streamed JSON array)",
  adapter: () => createGoogleAdapter(),
  cases: geminiFixtureCases.filter((testCase) => testCase.name.includes("json-array")),
  runner,
  streamErrorEvent: '\r\n{"error": {"code": 503, "message": "The model is overloaded.", "status": "UNAVAILABLE"}}\r\n]',
});

// With a tokenizer, a cut stream ends counted or estimated, never null.
describeProviderConformance({ name: "Gemini with a tokenizer", adapter: () => createGoogleAdapter(), cases: geminiFixtureCases.filter((testCase) => testCase.expect.streamed), runner, tokenizer: createFakeTokenizer() });
