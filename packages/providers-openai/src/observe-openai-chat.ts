import { createJsonObserver, createSseObserver, type ObservationV1, type ProviderResponseV1, readField, readString, type ResponseObserverV1, safeParseJson, type TokenUsageV1 } from "@usagepilot/core";
import { convertOpenAIChatUsage } from "./convert-openai-chat-usage";
import type { OpenAIDialect } from "./openai-dialect";
import { readOpenAIChatDeltaText } from "./read-openai-chat-delta-text";

/**
 * Reads a Chat Completions (or legacy Completions, or Embeddings) response: a JSON body, or an SSE
 * stream where the last non-null `usage` (or Groq's `x_groq.usage`) counts, wherever it arrives.
 */
export function observeOpenAIChat(response: ProviderResponseV1, dialect: OpenAIDialect): ResponseObserverV1 {
  if ((response.headers.get("content-type") ?? "").includes("text/event-stream")) return observeChatStream(dialect);
  return createJsonObserver(jsonReader(dialect));
}

// The JSON body reader of each dialect, made once: an observer is made per call, its reader need not be.
const jsonReaders = new WeakMap<OpenAIDialect, (body: unknown) => ObservationV1>();

function jsonReader(dialect: OpenAIDialect): (body: unknown) => ObservationV1 {
  let read = jsonReaders.get(dialect);
  if (!read) {
    read = (body) => {
      const usage = convertOpenAIChatUsage(readField(body, "usage"), dialect);
      const failed = readField(body, "error") != null;
      return {
        usage,
        model: readString(body, "model") ?? null,
        status: failed ? "error" : "ok",
        accuracy: usage || failed ? "reported" : "estimated",
        ...(usage || failed ? {} : { problem: "the response carried no usage" }),
      };
    };
    jsonReaders.set(dialect, read);
  }
  return read;
}

// A key outside any JSON string: inside strings quotes are escaped, so `"usage":{` cannot appear there.
const mayMatter = /"usage"\s*:\s*\{|"error"\s*:\s*(?!null\b)|"finish_reason"\s*:\s*"/;

function observeChatStream(dialect: OpenAIDialect): ResponseObserverV1 {
  let usage: TokenUsageV1 | null = null;
  let model: string | undefined;
  let sawDone = false;
  let sawFinish = false;
  let error: string | undefined;
  let unreadable = 0;
  // The output seen, in order, for counting a cut stream: chunks parsed anyway, or the raw data of content
  // deltas left unparsed; their text is read only if the stream is cut. Once the model is known only the
  // head and the tail window reach onMessage, so this holds at most about a window's worth.
  const output: OutputEntry[] = [];
  return createSseObserver({
    // The model comes first; usage, the finish reason and errors come at the end (or only there): a stream
    // that ends finish, usage, [DONE] (as one asked for its usage does) needs nothing before its last events.
    headComplete: () => model !== undefined,
    // Every chunk names the model, so a stream's last events tell all: its head is then not read at all.
    tailComplete: () => sawDone && sawFinish && usage !== null && model !== undefined && error === undefined && unreadable === 0,
    onMessage(message) {
      if (message.data === "[DONE]") {
        sawDone = true;
        return;
      }
      if (message.event === "error") {
        error = message.data.slice(0, 200);
        return;
      }
      // Only a chunk that can carry usage, an error, a finish reason, or the first model needs parsing:
      // the rest are content deltas, and a stream has hundreds of them.
      if (model !== undefined && !mayMatter.test(message.data)) {
        output.push({ data: message.data });
        return;
      }
      const parsed = safeParseJson(message.data);
      if (!parsed.ok) {
        unreadable += 1;
        return;
      }
      const chunk = parsed.value;
      output.push({ parsed: chunk });
      const chunkError = readField(chunk, "error");
      if (chunkError != null) error = JSON.stringify(chunkError).slice(0, 200);
      model = readString(chunk, "model") ?? model;
      const reported = convertOpenAIChatUsage(readField(chunk, "usage"), dialect) ?? convertOpenAIChatUsage(readField(readField(chunk, "x_groq"), "usage"), dialect);
      if (reported) usage = reported;
      const choices = readField(chunk, "choices");
      if (Array.isArray(choices) && choices.some((choice) => readField(choice, "finish_reason") != null)) sawFinish = true;
    },
    result(how, seen): ObservationV1 {
      const problems: string[] = [];
      if (unreadable > 0) problems.push(`${unreadable} stream event(s) were not JSON`);
      if (error) problems.push(`the stream reported an error: ${error}`);
      const ended = how === "finished" && (sawDone || sawFinish || usage !== null);
      const partialOutput = !ended && usage === null ? { partialOutput: { text: outputText(output), ...seen } } : {};
      if (!ended) problems.push(how === "finished" ? "the stream ended before [DONE]" : `the stream was ${how}`);
      if (ended && !usage && !error) problems.push("the stream carried no usage (stream_options.include_usage was off)");
      return {
        usage,
        model: model ?? null,
        status: error ? "error" : ended ? "ok" : "aborted",
        accuracy: usage ? "reported" : "estimated",
        ...(problems.length > 0 ? { problem: problems.join("; ") } : {}),
        ...partialOutput,
      };
    },
  });
}

/** A chunk of output kept for a cut stream's estimate: parsed already, or its raw data. */
type OutputEntry = { parsed: unknown } | { data: string };

function outputText(output: readonly OutputEntry[]): string {
  let text = "";
  for (const entry of output) {
    if ("parsed" in entry) text += readOpenAIChatDeltaText(entry.parsed);
    else {
      const parsed = safeParseJson(entry.data);
      if (parsed.ok) text += readOpenAIChatDeltaText(parsed.value);
    }
  }
  return text;
}
