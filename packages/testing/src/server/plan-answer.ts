import { fixtureBody, fixtureFormat } from "../fixtures/fixture-body";
import type { FakeLlmAnswer } from "../fake-llm-answer";
import { splitSseEvents } from "../sse/split-sse-events";
import { openAIErrorBody } from "../synthesize/openai-error-body";
import { planAnthropicAnswer } from "../synthesize/plan-anthropic-answer";
import { synthesizeChatCompletion } from "../synthesize/synthesize-chat-completion";
import { synthesizeChatStreamEvents } from "../synthesize/synthesize-chat-stream";
import { synthesizeEmbeddingsBody } from "../synthesize/synthesize-embeddings-body";
import { synthesizeResponsesBody } from "../synthesize/synthesize-responses-body";
import { synthesizeResponsesStreamEvents } from "../synthesize/synthesize-responses-stream-events";
import { randomId } from "../util/random-id";
import { splitEvery } from "../util/split-every";
import { planGeminiAnswer } from "./plan-gemini-answer";
import type { RecordedRequest } from "./recorded-request";
import { readRequestFields } from "./read-request-fields";

/** Exactly what to put on the wire for one answer. */
export interface AnswerPlan {
  status: number;
  /** Lowercase header names; `content-type` is set for every kind but `raw`. */
  headers: Record<string, string>;
  /** The body, one element per write. */
  pieces: Uint8Array[];
  /** Milliseconds between writes. */
  delayMs: number;
  /** Send `content-length` (a whole JSON body) instead of chunked encoding (a stream). */
  fixedLength: boolean;
  /** Destroy the socket after the last piece instead of ending the response. */
  cut: boolean;
  /** Milliseconds before the status and headers go out. Default 0. */
  headersDelayMs?: number;
}

const json = "application/json";
const eventStream = "text/event-stream; charset=utf-8";
const encoder = new TextEncoder();
const defaultModel = "gpt-4o-mini";
const streamError = { error: { message: "The server had an error", type: "server_error", param: null, code: null } };

function bytesOf(body: string | Uint8Array): Uint8Array {
  return typeof body === "string" ? encoder.encode(body) : body;
}

/** Default headers first, the answer's own (lowercased) last, so a script can override anything. */
function headersFor(options: { contentType?: string; extra?: Record<string, string> }): Record<string, string> {
  const headers: Record<string, string> = { "x-request-id": randomId({ prefix: "req_", length: 32 }) };
  if (options.contentType !== undefined) headers["content-type"] = options.contentType;
  for (const [name, value] of Object.entries(options.extra ?? {})) headers[name.toLowerCase()] = value;
  return headers;
}

function events(list: string[], delayMs: number | undefined, cut = false): AnswerPlan {
  return { status: 200, headers: headersFor({ contentType: eventStream }), pieces: list.map((event) => encoder.encode(event)), delayMs: delayMs ?? 0, fixedLength: false, cut };
}

function whole(options: { status?: number; body: string | Uint8Array; extra?: Record<string, string> }): AnswerPlan {
  return { status: options.status ?? 200, headers: headersFor({ contentType: json, extra: options.extra }), pieces: [bytesOf(options.body)], delayMs: 0, fixedLength: true, cut: false };
}

function positiveCount(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

/** Turns a scripted answer and the request it answers into bytes, headers and timing. */
export function planAnswer(options: { answer: FakeLlmAnswer; request: RecordedRequest }): AnswerPlan {
  const { answer } = options;
  const request = readRequestFields(options.request);
  switch (answer.kind) {
    case "replay": {
      const format = fixtureFormat(answer.file);
      const { contentType, bytes } = fixtureBody(answer.file);
      let pieces: Uint8Array[];
      if (answer.splitEvery !== undefined) pieces = splitEvery({ bytes, size: answer.splitEvery });
      else pieces = format === "sse" ? splitSseEvents(bytes) : [bytes];
      return {
        status: answer.status ?? 200,
        headers: headersFor({ contentType, extra: answer.headers }),
        pieces,
        delayMs: answer.delayMs ?? 0,
        // A streamed JSON array goes out chunked, as Gemini sends it; a whole body has a length.
        fixedLength: format === "json",
        cut: false,
      };
    }
    case "chat": {
      const model = answer.model ?? request.model ?? defaultModel;
      if (!request.stream) {
        const content = answer.content ?? "Hello from the fake server";
        return whole({ body: synthesizeChatCompletion({ usage: answer.usage, model, content }) });
      }
      return events(
        synthesizeChatStreamEvents({ usage: answer.usage, model, chunks: answer.chunks, content: answer.content, includeUsage: request.includeUsage }),
        answer.delayMs,
      );
    }
    case "responses": {
      const model = answer.model ?? request.model ?? defaultModel;
      if (!request.stream) return whole({ body: synthesizeResponsesBody({ usage: answer.usage, model, content: answer.content ?? "Hello from the fake server" }) });
      return events(synthesizeResponsesStreamEvents({ usage: answer.usage, model, content: answer.content, chunks: answer.chunks }), answer.delayMs);
    }
    case "embeddings":
      return whole({
        body: synthesizeEmbeddingsBody({
          usage: answer.usage,
          model: answer.model ?? request.model ?? "text-embedding-3-small",
          inputs: request.inputs,
          dimensions: answer.dimensions ?? 8,
          base64: request.base64,
        }),
      });
    case "error": {
      const { body } = answer;
      const text = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body ?? openAIErrorBody({ status: answer.status }));
      return whole({ status: answer.status, body: text, extra: answer.headers });
    }
    case "cut": {
      // Without usage and [DONE]: a dropped connection never delivers the tail.
      const list = synthesizeChatStreamEvents({
        usage: answer.usage ?? { prompt_tokens: 10, completion_tokens: 20 },
        model: answer.model ?? request.model ?? defaultModel,
        chunks: answer.chunks,
        content: answer.content,
        includeUsage: false,
      }).slice(0, -1);
      return events(list.slice(0, positiveCount(answer.afterChunks, "afterChunks")), answer.delayMs, true);
    }
    case "stream-error": {
      const list = synthesizeChatStreamEvents({
        usage: { prompt_tokens: 0, completion_tokens: 0 },
        model: answer.model ?? request.model ?? defaultModel,
        chunks: Math.max(5, answer.afterChunks),
        includeUsage: false,
      }).slice(0, positiveCount(answer.afterChunks, "afterChunks"));
      list.push(`data: ${JSON.stringify(streamError)}\n\n`);
      return events(list, 0);
    }
    case "anthropic": {
      const planned = planAnthropicAnswer({ answer, requestModel: request.model, stream: request.stream });
      if ("json" in planned.body) return whole({ body: planned.body.json, extra: planned.headers });
      return { ...events(planned.body.events, answer.delayMs, planned.body.cut), headers: headersFor({ contentType: eventStream, extra: planned.headers }) };
    }
    case "gemini":
    case "gemini-cut":
    case "gemini-stream-error":
      return planGeminiAnswer({ answer, request: options.request });
    case "raw": {
      const bytes = bytesOf(answer.body);
      return {
        status: answer.status ?? 200,
        headers: headersFor({ extra: answer.headers }),
        pieces: answer.splitEvery === undefined ? [bytes] : splitEvery({ bytes, size: answer.splitEvery }),
        delayMs: answer.delayMs ?? 0,
        fixedLength: false,
        cut: false,
      };
    }
  }
}
