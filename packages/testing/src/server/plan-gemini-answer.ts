import type { GeminiAnswer, GeminiCutAnswer, GeminiStreamErrorAnswer } from "../fake-gemini-answer";
import { googleErrorBody } from "../synthesize/google-error-body";
import { synthesizeGeminiChunks } from "../synthesize/synthesize-gemini-chunks";
import { asRecord } from "../util/as-record";
import { randomId } from "../util/random-id";
import type { AnswerPlan } from "./plan-answer";
import type { RecordedRequest } from "./recorded-request";

const encoder = new TextEncoder();
const defaultModel = "gemini-2.5-flash";

/** The method, model and `alt=sse` of a Gemini path such as `/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`. */
function readGeminiPath(path: string): { method: string; model: string | undefined; sse: boolean } {
  const [pathname = "", query = ""] = path.split("?");
  const match = /\/(?:models|tunedModels|endpoints)\/([^/:]+):([A-Za-z]+)\/?$/.exec(pathname);
  return { method: match?.[2] ?? "generateContent", model: match?.[1], sse: new URLSearchParams(query).get("alt") === "sse" };
}

function headers(contentType: string): Record<string, string> {
  return { "content-type": contentType, "x-request-id": randomId({ prefix: "req_", length: 32 }) };
}

function wholeJson(body: unknown): AnswerPlan {
  return { status: 200, headers: headers("application/json; charset=UTF-8"), pieces: [encoder.encode(JSON.stringify(body, null, 2))], delayMs: 0, fixedLength: true, cut: false };
}

/** Stream framing as Gemini sends it: CRLF-ended SSE events, or a pretty-printed array with `,\r\n` between elements. */
function framePieces(elements: string[], sse: boolean, closed: boolean): string[] {
  if (sse) return elements.map((element) => `data: ${element}\r\n\r\n`);
  const pieces = elements.map((element, index) => `${index === 0 ? "[" : "\n,\r\n"}${element}`);
  if (closed) pieces.push(pieces.length === 0 ? "[]" : "\n]");
  return pieces;
}

function vector(length: number, seed: number): number[] {
  return Array.from({ length }, (_, index) => Math.round(Math.sin(seed + index) * 1e6) / 1e6);
}

/**
 * Turns a Gemini answer kind and the request it answers into bytes: the method and model come from the
 * request path (Gemini puts them there), so the real `@ai-sdk/google` client works against it.
 */
export function planGeminiAnswer(options: { answer: GeminiAnswer | GeminiCutAnswer | GeminiStreamErrorAnswer; request: RecordedRequest }): AnswerPlan {
  const { answer, request } = options;
  const path = readGeminiPath(request.path);
  const model = answer.model ?? path.model ?? defaultModel;
  if (answer.kind === "gemini" && (path.method === "embedContent" || path.method === "batchEmbedContents")) {
    const dimensions = answer.dimensions ?? 8;
    const requests = asRecord(request.json)?.requests;
    const count = Array.isArray(requests) ? requests.length : 1;
    const usage = answer.usageMetadata ? { usageMetadata: { promptTokenCount: answer.usageMetadata.promptTokenCount, totalTokenCount: answer.usageMetadata.promptTokenCount } } : {};
    if (path.method === "embedContent") return wholeJson({ embedding: { values: vector(dimensions, 0) }, ...usage });
    return wholeJson({ embeddings: Array.from({ length: count }, (_, index) => ({ values: vector(dimensions, index) })), ...usage });
  }
  if (answer.kind === "gemini" && path.method === "countTokens") {
    return wholeJson({ totalTokens: answer.usageMetadata?.promptTokenCount ?? 0, promptTokensDetails: [{ modality: "TEXT", tokenCount: answer.usageMetadata?.promptTokenCount ?? 0 }] });
  }
  const usageMetadata = answer.usageMetadata ?? (answer.kind === "gemini" ? undefined : { promptTokenCount: 10, candidatesTokenCount: 20 });
  const chunks = synthesizeGeminiChunks({ usageMetadata, model, content: answer.content, thoughts: answer.thoughts, chunks: answer.chunks, snapshots: answer.snapshots });
  if (answer.kind === "gemini" && path.method !== "streamGenerateContent") {
    // One chunk is a whole answer: all the text, the final counts, the finish reason.
    return wholeJson(synthesizeGeminiChunks({ usageMetadata, model, content: answer.content ?? "Hello from the fake server", thoughts: answer.thoughts, chunks: 1 })[0]);
  }
  // Pretty-printed elements inside the array, compact `data:` lines in SSE, as Google sends them.
  const serialise = (chunk: unknown) => (path.sse ? JSON.stringify(chunk) : JSON.stringify(chunk, null, 2));
  const contentType = path.sse ? "text/event-stream" : "application/json; charset=UTF-8";
  const stream = (pieces: string[], cut: boolean): AnswerPlan => ({
    status: 200,
    headers: headers(contentType),
    pieces: pieces.map((piece) => encoder.encode(piece)),
    delayMs: answer.delayMs ?? 0,
    fixedLength: false,
    cut,
  });
  switch (answer.kind) {
    case "gemini":
      return stream(framePieces(chunks.map(serialise), path.sse, true), false);
    case "gemini-cut": {
      if (!Number.isInteger(answer.afterChunks) || answer.afterChunks < 0 || answer.afterChunks >= chunks.length) {
        throw new RangeError(`afterChunks must be an integer from 0 to ${chunks.length - 1} (the last chunk finishes the stream), got ${answer.afterChunks}`);
      }
      const pieces = framePieces(chunks.slice(0, answer.afterChunks + 1).map(serialise), path.sse, false);
      const next = pieces.pop()!;
      const partial = next.slice(0, answer.partialBytes ?? 0);
      if (partial !== "") pieces.push(partial);
      // A socket can only be cut after something went out; an empty cut sends the array's opening bracket.
      if (pieces.length === 0) pieces.push(path.sse ? ": cut\r\n" : "[");
      return stream(pieces, true);
    }
    case "gemini-stream-error": {
      if (!Number.isInteger(answer.afterChunks) || answer.afterChunks < 0) throw new RangeError(`afterChunks must be a non-negative integer, got ${answer.afterChunks}`);
      const sent = chunks.slice(0, Math.min(answer.afterChunks, chunks.length - 1)).map(serialise);
      sent.push(serialise(googleErrorBody({ status: answer.status ?? 500, message: "An internal error has occurred mid-stream" })));
      return stream(framePieces(sent, path.sse, true), false);
    }
  }
}
