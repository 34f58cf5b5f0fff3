import { createSseObserver, type ObservationV1, readField, readString, type ResponseObserverV1, safeParseJson, type SseMessage } from "@usagepilot/core";
import { anthropicServerToolUnits } from "./anthropic-server-tool-units";
import type { AnthropicWireUsage } from "./anthropic-wire-usage";
import { convertAnthropicUsage } from "./convert-anthropic-usage";
import { readAnthropicDelta } from "./read-anthropic-delta";
import { readAnthropicUsage } from "./read-anthropic-usage";

// Events after message_start that carry nothing to meter (unless the stream is cut: see the deltas).
const quiet = new Set(["ping", "content_block_start", "content_block_stop"]);

/** The generated text of the deltas seen: one block's deltas joined as sent, blocks apart on lines of their own. */
function outputText(deltas: readonly string[]): string {
  let text = "";
  let block: number | undefined;
  for (const data of deltas) {
    const delta = readAnthropicDelta(data);
    if (delta.text === "") continue;
    if (text !== "" && delta.index !== block) text += "\n";
    block = delta.index;
    text += delta.text;
  }
  return text;
}

/**
 * Reads a Messages SSE stream. `message_start` is the head: it names the model and carries the input and
 * cache counts (its output count is a placeholder). `message_delta` carries cumulative counts that
 * override every field they include (newer API versions update input and cache counts there too, and add
 * server tools and iterations): last wins, never add. `message_stop` ends a success; `event: error` is
 * a failure; no `message_stop` is an aborted stream. Once the head is read, only the end of the stream
 * is decoded. A stream cut before `message_delta` has no usage: the text deltas seen are handed to core
 * as `partialOutput`, so a configured tokenizer can count them.
 */
export function observeAnthropicStream(): ResponseObserverV1 {
  let model: string | undefined;
  let usage: AnthropicWireUsage | undefined;
  let sawStart = false;
  let sawFinalOutput = false;
  let sawStop = false;
  let events = 0;
  let error: string | undefined;
  let distrusted: string | undefined;
  let unreadable = 0;
  // Raw `content_block_delta` data, parsed only if the stream turns out cut; bounded by the decoded window.
  const deltas: string[] = [];

  /** Lays a usage object over what is known; returns whether it carried an output count. */
  const apply = (value: unknown): boolean => {
    const read = readAnthropicUsage(value);
    if (read === undefined) return false;
    if (!read.ok) {
      distrusted = read.problem;
      return false;
    }
    // Only fields present on the wire are set, so spreading lays the update over the start field by field.
    usage = { ...usage, ...read.usage };
    return read.usage.output_tokens !== undefined;
  };

  const onMessage = (message: SseMessage) => {
    events += 1;
    const named = message.event;
    if (named !== undefined && quiet.has(named)) return;
    if (named === "content_block_delta") {
      deltas.push(message.data);
      return;
    }
    if (named === "message_stop") {
      sawStop = true;
      return;
    }
    if (named === "error") {
      error = message.data.slice(0, 200);
      return;
    }
    const parsed = safeParseJson(message.data);
    if (!parsed.ok) {
      unreadable += 1;
      return;
    }
    // Anthropic names every event; a proxy that drops the names still leaves `type` in the data.
    switch (named ?? readString(parsed.value, "type")) {
      case "message_start": {
        const started = readField(parsed.value, "message");
        model = readString(started, "model") ?? model;
        apply(readField(started, "usage"));
        sawStart = true;
        return;
      }
      case "message_delta":
        // Without its own output count, the placeholder of message_start would pass for the final one.
        if (apply(readField(parsed.value, "usage"))) sawFinalOutput = true;
        return;
      case "message_stop":
        sawStop = true;
        return;
      case "content_block_delta":
        deltas.push(message.data);
        return;
      case "error":
        error = message.data.slice(0, 200);
        return;
    }
  };

  return createSseObserver({
    // message_start is the head; a stream that does not open with it is given a few events, no more.
    headComplete: () => sawStart || events >= 3,
    onMessage,
    result(how, seen): ObservationV1 {
      const problems: string[] = [];
      if (unreadable > 0) problems.push(`${unreadable} stream event(s) were not JSON`);
      if (distrusted) problems.push(`the stream's usage was not trusted: ${distrusted}`);
      if (error) problems.push(`the stream reported an error: ${error}`);
      // Final counts come only with message_delta; message_start alone has a placeholder output count.
      const reported = sawFinalOutput && usage && !distrusted ? convertAnthropicUsage(usage) : null;
      const finished = how === "finished" && sawStop;
      if (!finished) problems.push(how === "finished" ? "the stream ended before message_stop" : `the stream was ${how}`);
      else if (!reported && !error && !distrusted) problems.push("the stream carried no usage");
      const status = error ? "error" : finished ? "ok" : "aborted";
      const observation: ObservationV1 = {
        usage: reported,
        model: model ?? null,
        units: usage ? anthropicServerToolUnits(usage) : {},
        status,
        accuracy: reported ? "reported" : "estimated",
        ...(problems.length > 0 ? { problem: problems.join("; ") } : {}),
      };
      if (!reported && status === "aborted") {
        observation.partialOutput = { text: outputText(deltas), readBytes: seen.readBytes, totalBytes: seen.totalBytes };
        // message_start's input and cache counts are final: keep them, so only the output is counted.
        const started = usage && !distrusted ? convertAnthropicUsage(usage) : null;
        if (started) {
          const { outputTokens: _placeholder, reasoningTokens: _reasoning, audioOutputTokens: _audio, rejectedPredictionTokens: _rejected, ...input } = started;
          observation.reportedInput = input;
        }
      }
      return observation;
    },
  });
}
