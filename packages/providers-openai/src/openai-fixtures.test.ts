import { MemoryStorage, type TokenUsageV1, type UsageEvent } from "@usagepilot/core";
import { collectBytes, createReplayFetch } from "@usagepilot/core/test";
import { fixtureBody, fixturesDir } from "@usagepilot/testing";
import fc from "fast-check";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsagePilot } from "@usagepilot/core";
import { createOpenAIAdapter } from "./create-openai-adapter";

interface FixtureCase {
  file: string;
  url: string;
  request: Record<string, unknown>;
  model: string | null;
  usage: TokenUsageV1 | null;
  status: UsageEvent["status"];
  streamed: boolean;
}

const usage = (inputTokens: number, cachedInputTokens: number, cacheWriteInputTokens: number, outputTokens: number, reasoningTokens: number): TokenUsageV1 => ({
  inputTokens,
  cachedInputTokens,
  cacheWriteInputTokens,
  outputTokens,
  reasoningTokens,
});

const chatUrl = "https://api.openai.com/v1/chat/completions";
const responsesUrl = "https://api.openai.com/v1/responses";

// The numbers of ../shared/fixtures/SOURCES.md, in the contract's terms.
const cases: FixtureCase[] = [
  { file: "openai/chat-nonstream-gpt-4.1-nano.json", url: chatUrl, request: { model: "gpt-4.1-nano" }, model: "gpt-4.1-nano-2025-04-14", usage: usage(16, 0, 0, 363, 0), status: "ok", streamed: false },
  { file: "openai/chat-stream-gpt-4.1-nano.chunks.jsonl", url: chatUrl, request: { model: "gpt-4.1-nano", stream: true }, model: "gpt-4.1-nano-2025-04-14", usage: usage(16, 0, 0, 300, 0), status: "ok", streamed: true },
  { file: "openai/chat-stream-include-usage-gpt-4o-mini-toolcall.sse", url: chatUrl, request: { model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true } }, model: "gpt-4o-mini-2024-07-18", usage: usage(53, 0, 0, 15, 0), status: "ok", streamed: true },
  { file: "openai/chat-nonstream-reasoning.json", url: chatUrl, request: { model: "o3-mini" }, model: "o3-mini-2025-01-31", usage: usage(577, 0, 0, 2320, 1792), status: "ok", streamed: false },
  { file: "openai/responses-stream-usage-reasoning.sse", url: responsesUrl, request: { model: "gpt-5", stream: true }, model: "gpt-5-2025-08-07", usage: usage(53, 0, 0, 469, 448), status: "ok", streamed: true },
  { file: "openai/responses-stream-failed-insufficient-quota.chunks.jsonl", url: responsesUrl, request: { model: "gpt-5-nano", stream: true }, model: "gpt-5-nano-2025-08-07", usage: null, status: "error", streamed: true },
];

async function meter(fixture: FixtureCase, splitAt: readonly number[] = []) {
  const { bytes, contentType } = fixtureBody(join(fixturesDir(), fixture.file));
  const storage = new MemoryStorage();
  const errors: unknown[] = [];
  const usagePilot = new UsagePilot({ storage, providers: [createOpenAIAdapter()], onError: (error) => errors.push(error) });
  const replay = createReplayFetch({ body: bytes, headers: { "content-type": contentType, "x-request-id": "req_fixture" }, splitAt });
  const fetchWithUsage = usagePilot.createFetch((request) => ({ user_id: request.headers.get("x-user-id") }), { fetch: replay });
  const response = await fetchWithUsage(fixture.url, { method: "POST", headers: { "content-type": "application/json", "x-user-id": "u1" }, body: JSON.stringify(fixture.request) });
  const received = await collectBytes(response.body!);
  await usagePilot.shutdown();
  return { bytes, received, events: storage.events, errors };
}

describe("OpenAI recorded fixtures through the metered fetch", () => {
  for (const fixture of cases) {
    it(`${fixture.file}: caller gets the bytes unchanged and the event carries the reported usage`, async () => {
      const { bytes, received, events } = await meter(fixture);
      expect(Buffer.from(received).equals(Buffer.from(bytes))).toBe(true);
      expect(events).toHaveLength(1);
      const event = events[0]!;
      expect(event.usage).toEqual(fixture.usage);
      expect(event.model).toBe(fixture.model);
      expect(event.status).toBe(fixture.status);
      expect(event.streamed).toBe(fixture.streamed);
      expect(event.accuracy).toBe("reported");
      expect(event.dimensions).toEqual({ user_id: "u1" });
      expect(event.providerRequestId).toBe("req_fixture");
      expect(event.provider).toBe("openai");
    });

    it(`${fixture.file}: any split of the body into chunks yields the same event`, async () => {
      const { bytes } = fixtureBody(join(fixturesDir(), fixture.file));
      const whole = (await meter(fixture)).events[0]!;
      const strip = (event: UsageEvent) => ({ usage: event.usage, model: event.model, status: event.status, accuracy: event.accuracy, units: event.units });
      await fc.assert(
        fc.asyncProperty(fc.array(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 40 }), async (offsets) => {
          const { events, received } = await meter(fixture, offsets);
          expect(Buffer.from(received).equals(Buffer.from(bytes))).toBe(true);
          expect(events.map(strip)).toEqual([strip(whole)]);
        }),
        { numRuns: 25 },
      );
    });
  }
});
