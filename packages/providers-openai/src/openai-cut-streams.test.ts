import { MemoryStorage, type TokenizerInput, type TokenizerV1, UsagePilot } from "@usagepilot/core";
import { createReplayFetch, type ReplayResponse } from "@usagepilot/core/test";
import { synthesizeChatStream } from "@usagepilot/testing";
import { describe, expect, it } from "vitest";
import { createOpenAIAdapter } from "./create-openai-adapter";

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** Counts words exactly (as a model's own tokenizer would count tokens): content, names, system prompt and tools. */
const wordTokenizer: TokenizerV1 = {
  specificationVersion: "v1",
  count({ input }: { input: TokenizerInput }) {
    if (typeof input === "string") return { tokens: words(input), accuracy: "counted" };
    const text = [input.system ?? "", input.tools ?? "", ...input.messages.map((message) => `${message.name ?? ""} ${message.content}`)].join(" ");
    return { tokens: words(text), accuracy: "counted" };
  },
};

const eventStream = { "content-type": "text/event-stream" };
const encoder = new TextEncoder();
const sse = (events: unknown[]) => events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join("");
const typed = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const chatChunk = (delta: Record<string, unknown>) => ({ id: "c1", object: "chat.completion.chunk", model: "gpt-4o-2024-08-06", choices: [{ index: 0, delta, finish_reason: null }], usage: null });

/**
 * One metered call whose body is cut after `cutAfter` bytes — by a network error, or by the caller
 * cancelling — arriving in chunks of `chunkBytes` as from a network. `tokenizer: null` meters without one.
 */
async function cut(url: string, request: Record<string, unknown>, body: string, cutAfter: number, how: "network" | "cancel", tokenizer: TokenizerV1 | null = wordTokenizer, chunkBytes = 1024) {
  const storage = new MemoryStorage();
  const usage = new UsagePilot({ storage, providers: [createOpenAIAdapter()], ...(tokenizer ? { tokenizers: tokenizer } : {}), onError: () => {} });
  const splitAt = [...Array.from({ length: Math.floor(cutAfter / chunkBytes) }, (_, index) => (index + 1) * chunkBytes), cutAfter];
  const answer: ReplayResponse = { body, headers: eventStream, splitAt, ...(how === "network" ? { failAfter: { bytes: cutAfter, error: new TypeError("terminated") } } : {}) };
  const response = await usage.createFetch(() => ({}), { fetch: createReplayFetch(answer) })(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
  const reader = response.body!.getReader();
  let received = 0;
  let failure: unknown;
  try {
    while (received < cutAfter) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
    }
    if (how === "cancel") await reader.cancel();
    else await reader.read();
  } catch (error) {
    failure = error;
  }
  expect(received).toBe(cutAfter);
  expect(failure === undefined ? "no error" : String(failure)).toBe(how === "network" ? "TypeError: terminated" : "no error");
  await usage.shutdown();
  expect(storage.events).toHaveLength(1);
  return storage.events[0]!;
}

const chatRequest = {
  model: "gpt-4o",
  stream: true,
  messages: [
    { role: "system", content: "You are terse." },
    { role: "user", name: "ana", content: "Say hello to the world" },
  ],
};
// "You are terse." + "ana Say hello to the world"
const chatInputWords = 9;

describe("OpenAI chat streams cut before their usage, with a tokenizer", () => {
  const seen = sse([
    chatChunk({ role: "assistant", content: "" }),
    chatChunk({ content: "Hello there," }),
    chatChunk({ refusal: " I refuse " }),
    chatChunk({ tool_calls: [{ index: 0, id: "t1", type: "function", function: { name: "greet", arguments: "" } }] }),
    chatChunk({ tool_calls: [{ index: 0, function: { arguments: '{"who": "big world"}' } }] }),
  ]);
  const unseen = sse([chatChunk({ content: " never seen words" }), { ...chatChunk({}), choices: [], usage: { prompt_tokens: 30, completion_tokens: 20 } }]) + "data: [DONE]\n\n";
  const body = seen + unseen;
  const cutAt = encoder.encode(seen).length;
  // "Hello there," + " I refuse " + '{"who": "big world"}'
  const outputWords = 7;

  for (const how of ["network", "cancel"] as const) {
    it(`counts the input and the content, refusal and tool arguments seen: "estimated" even when the stream was read to the cut (${how})`, async () => {
      const event = await cut("https://api.openai.com/v1/chat/completions", chatRequest, body, cutAt, how);
      expect(event).toMatchObject({ status: "aborted", accuracy: "estimated", model: "gpt-4o-2024-08-06" });
      expect(event.usage).toEqual({ inputTokens: chatInputWords, outputTokens: outputWords, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 });
    });
  }

  it('is "estimated" when an image in the input could not be counted', async () => {
    const request = { ...chatRequest, messages: [...chatRequest.messages, { role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/a.png" } }] }] };
    const event = await cut("https://api.openai.com/v1/chat/completions", request, body, cutAt, "network");
    expect(event).toMatchObject({ status: "aborted", accuracy: "estimated", usage: { inputTokens: chatInputWords, outputTokens: outputWords } });
  });

  it("stays unmeasured without a tokenizer", async () => {
    const event = await cut("https://api.openai.com/v1/chat/completions", chatRequest, body, cutAt, "network", null);
    expect(event).toMatchObject({ status: "aborted", usage: null, accuracy: "estimated" });
  });

  it("does not count a stream that finished: its reported usage stands", async () => {
    const storage = new MemoryStorage();
    const usage = new UsagePilot({ storage, providers: [createOpenAIAdapter()], tokenizers: wordTokenizer, onError: () => {} });
    const response = await usage.createFetch(() => ({}), { fetch: createReplayFetch({ body, headers: eventStream }) })("https://api.openai.com/v1/chat/completions", { method: "POST", body: JSON.stringify(chatRequest) });
    await response.text();
    await usage.shutdown();
    expect(storage.events[0]).toMatchObject({ status: "ok", accuracy: "reported", usage: { inputTokens: 30, outputTokens: 20 } });
  });

  it('scales the output of a long stream whose middle went by unread, and says "estimated"', async () => {
    // One word per content chunk; the stream is cut after 1,600 of 2,000 chunks, far past the tail window.
    const long = synthesizeChatStream({ usage: { prompt_tokens: 1, completion_tokens: 2000 }, chunks: 2000, model: "gpt-4o-mini-2024-07-18" });
    const events = long.split(/(?<=\n\n)/);
    const cutAt = encoder.encode(events.slice(0, 1 + 1600).join("")).length;
    for (const how of ["network", "cancel"] as const) {
      const event = await cut("https://api.openai.com/v1/chat/completions", { ...chatRequest, model: "gpt-4o-mini" }, long, cutAt, how);
      expect(event).toMatchObject({ status: "aborted", accuracy: "estimated", model: "gpt-4o-mini-2024-07-18" });
      expect(event.usage!.inputTokens).toBe(chatInputWords);
      // Words seen in the head and the window, scaled by the bytes that passed: close to the 1,600 sent.
      expect(event.usage!.outputTokens).toBeGreaterThan(1600 * 0.9);
      expect(event.usage!.outputTokens).toBeLessThan(1600 * 1.1);
    }
  });
});

describe("OpenAI Responses streams cut before their terminal event, with a tokenizer", () => {
  const model = "gpt-5-2025-08-07";
  const seen =
    typed("response.created", { response: { model, status: "in_progress", usage: null } }) +
    typed("response.reasoning_summary_text.delta", { delta: "Thinking about greetings. " }) +
    typed("response.output_text.delta", { delta: "Hello " }) +
    typed("response.output_text.delta", { delta: "world " }) +
    typed("response.function_call_arguments.delta", { delta: '{"loud": true}' });
  const body = seen + typed("response.output_text.delta", { delta: " unseen" }) + typed("response.completed", { response: { model, status: "completed", usage: { input_tokens: 40, output_tokens: 60 } } });
  const request = { model: "gpt-5", stream: true, instructions: "Be kind.", input: "Greet the world please" };

  for (const how of ["network", "cancel"] as const) {
    it(`counts instructions and input, and the text, summary and argument deltas seen (${how})`, async () => {
      const event = await cut("https://api.openai.com/v1/responses", request, body, encoder.encode(seen).length, how);
      expect(event).toMatchObject({ operation: "responses", status: "aborted", accuracy: "estimated", model });
      // "Be kind." + "Greet the world please"; "Thinking about greetings" + "Hello world" + '{"loud": true}'
      expect(event.usage).toEqual({ inputTokens: 6, outputTokens: 7, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 });
    });
  }
});
