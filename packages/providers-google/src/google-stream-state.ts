import { readField, readString } from "@usagepilot/core";
import type { BodyEnd, ObservationV1, TokenUsageV1 } from "@usagepilot/core";
import { convertGoogleUsage } from "./convert-google-usage";
import { googlePartsText } from "./google-parts-text";

/** What a Gemini stream taught so far, chunk by chunk, whatever its framing (SSE or a JSON array). */
export interface GoogleStreamState {
  /** One parsed chunk (a `GenerateContentResponse`, or an `{ error }` object). */
  chunk(value: unknown): void;
  /** A chunk that was not JSON. */
  unreadable(): void;
  /** The model named so far (`modelVersion`), if any. */
  readonly model: string | undefined;
  /** The observation once the body ended; `seen` counts the body bytes decoded of those that passed. */
  result(how: BodyEnd, seen: { readBytes: number; totalBytes: number }): ObservationV1;
}

function describeError(error: unknown): string {
  const message = readString(error, "message");
  const status = readString(error, "status");
  const code = readField(error, "code");
  const text = [typeof code === "number" ? String(code) : undefined, status, message].filter((part) => part !== undefined).join(" ");
  return (text === "" ? JSON.stringify(error) ?? "unknown error" : text).slice(0, 200);
}

/**
 * The state machine of a Gemini stream. `usageMetadata` comes as a snapshot on (nearly) every chunk and
 * the last one counts, even when a count goes down. The stream ended as Gemini ends a success when a
 * chunk carried a `finishReason` (or `promptFeedback.blockReason`, a refused prompt); without one it was
 * cut, and its last snapshot is only the provider's count so far, so it is marked estimated. An `error`
 * object in the stream makes it an error. The text seen (thoughts and function-call arguments included)
 * is kept for a tokenizer, for a stream cut before any snapshot.
 */
export function createGoogleStreamState(): GoogleStreamState {
  let usage: TokenUsageV1 | null = null;
  let model: string | undefined;
  let finished = false;
  let error: string | undefined;
  let unreadable = 0;
  let text = "";
  return {
    get model() {
      return model;
    },
    unreadable() {
      unreadable += 1;
    },
    chunk(value) {
      const chunkError = readField(value, "error");
      if (chunkError != null) {
        error = describeError(chunkError);
        return;
      }
      model = readString(value, "modelVersion") ?? model;
      const metadata = readField(value, "usageMetadata");
      if (metadata != null) {
        const reported = convertGoogleUsage(metadata);
        if (reported) usage = reported;
        else unreadable += 1;
      }
      if (readField(readField(value, "promptFeedback"), "blockReason") != null) finished = true;
      const candidates = readField(value, "candidates");
      if (!Array.isArray(candidates)) return;
      for (const candidate of candidates) {
        if (readField(candidate, "finishReason") != null) finished = true;
        text += googlePartsText(readField(readField(candidate, "content"), "parts")).text;
      }
    },
    result(how, seen): ObservationV1 {
      const problems: string[] = [];
      if (unreadable > 0) problems.push(`${unreadable} stream chunk(s) were not readable JSON or usage`);
      if (error) problems.push(`the stream reported an error: ${error}`);
      if (!finished && !error) problems.push(how === "finished" ? "the stream ended without a finishReason" : `the stream was ${how}`);
      if (finished && !usage && !error) problems.push("the stream carried no usageMetadata");
      const status = error ? "error" : finished ? "ok" : "aborted";
      const observation: ObservationV1 = {
        usage,
        model: model ?? null,
        status,
        accuracy: usage && status === "ok" ? "reported" : "estimated",
        ...(problems.length > 0 ? { problem: problems.join("; ") } : {}),
      };
      if (status === "aborted" && !usage) observation.partialOutput = { text, readBytes: seen.readBytes, totalBytes: seen.totalBytes };
      return observation;
    },
  };
}
