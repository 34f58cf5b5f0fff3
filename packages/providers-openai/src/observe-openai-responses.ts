import { createJsonObserver, createSseObserver, type ObservationV1, type ProviderResponseV1, readField, readString, type ResponseObserverV1, safeParseJson } from "@usagepilot/core";
import { convertOpenAIResponsesUsage } from "./convert-openai-responses-usage";
import { countResponsesToolCalls } from "./count-responses-tool-calls";

/** What a whole `response` object (JSON body, or the one in a terminal stream event) tells. */
function readResponseObject(response: unknown): ObservationV1 {
  const usage = convertOpenAIResponsesUsage(readField(response, "usage"));
  const failed = readField(response, "status") === "failed" || readField(response, "error") != null;
  return {
    usage,
    model: readString(response, "model") ?? null,
    units: countResponsesToolCalls(readField(response, "output")),
    status: failed ? "error" : "ok",
    accuracy: usage || failed ? "reported" : "estimated",
    ...(usage || failed ? {} : { problem: "the response carried no usage" }),
  };
}

// Events whose `delta` is generated output: text, refusals, reasoning summaries and text, tool arguments.
const outputDeltaTypes = new Set([
  "response.output_text.delta",
  "response.refusal.delta",
  "response.reasoning_summary_text.delta",
  "response.reasoning_text.delta",
  "response.function_call_arguments.delta",
  "response.custom_tool_call_input.delta",
]);

/**
 * Reads a Responses API answer: a JSON `response`, or an SSE stream whose usage comes only with the
 * terminal `response.completed` / `response.incomplete` event (`response.failed` and `error` carry none).
 */
export function observeOpenAIResponses(response: ProviderResponseV1): ResponseObserverV1 {
  if (!(response.headers.get("content-type") ?? "").includes("text/event-stream")) return createJsonObserver(readResponseObject);
  let terminal: ObservationV1 | undefined;
  let model: string | undefined;
  let error: string | undefined;
  let unreadable = 0;
  // The output seen, for counting a cut stream: every event is parsed here anyway, and once the model is
  // known only the head and the tail window reach onMessage.
  let outputText = "";
  return createSseObserver({
    // response.created names the model; usage comes only with the terminal event, at the end.
    headComplete: () => model !== undefined,
    onMessage(message) {
      const parsed = safeParseJson(message.data);
      if (!parsed.ok) {
        unreadable += 1;
        return;
      }
      const type = readString(parsed.value, "type") ?? message.event;
      const body = readField(parsed.value, "response");
      model = readString(body, "model") ?? model;
      if (type !== undefined && outputDeltaTypes.has(type)) {
        const delta = readField(parsed.value, "delta");
        if (typeof delta === "string") outputText += delta;
      } else if (type === "error" || (type === undefined && readField(parsed.value, "error") != null)) error = JSON.stringify(readField(parsed.value, "error") ?? parsed.value).slice(0, 200);
      else if (type === "response.completed" || type === "response.incomplete" || type === "response.failed") terminal = readResponseObject(body);
    },
    result(how, seen): ObservationV1 {
      const problems: string[] = [];
      if (unreadable > 0) problems.push(`${unreadable} stream event(s) were not JSON`);
      if (error) problems.push(`the stream reported an error: ${error}`);
      if (terminal) {
        if (terminal.problem) problems.push(terminal.problem);
        const status = error ? "error" : terminal.status;
        return { ...terminal, status, ...(problems.length > 0 ? { problem: problems.join("; ") } : {}) };
      }
      problems.push(how === "finished" ? "the stream ended before its terminal event" : `the stream was ${how}`);
      return { usage: null, model: model ?? null, status: error ? "error" : "aborted", accuracy: "estimated", problem: problems.join("; "), partialOutput: { text: outputText, ...seen } };
    },
  });
}
