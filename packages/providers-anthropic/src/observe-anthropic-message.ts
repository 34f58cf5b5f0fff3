import { createJsonObserver, type ObservationV1, readField, readString, type ResponseObserverV1 } from "@usagepilot/core";
import { anthropicServerToolUnits } from "./anthropic-server-tool-units";
import { convertAnthropicUsage } from "./convert-anthropic-usage";
import { readAnthropicUsage } from "./read-anthropic-usage";

/**
 * Reads a whole Messages answer: a `message` with its `usage`, or an error body
 * (`{ "type": "error", "error": { ... } }`), which carries no usage.
 */
export function observeAnthropicMessage(): ResponseObserverV1 {
  return createJsonObserver((body): ObservationV1 => {
    const model = readString(body, "model") ?? null;
    if (readField(body, "type") === "error" || readField(body, "error") != null) {
      const error = JSON.stringify(readField(body, "error") ?? body).slice(0, 200);
      return { usage: null, model, status: "error", accuracy: "reported", problem: `the answer is an error: ${error}` };
    }
    const read = readAnthropicUsage(readField(body, "usage"));
    if (read === undefined) return { usage: null, model, status: "ok", accuracy: "estimated", problem: "the answer carried no usage" };
    if (!read.ok) return { usage: null, model, status: "ok", accuracy: "estimated", problem: `the answer's usage was not trusted: ${read.problem}` };
    const usage = convertAnthropicUsage(read.usage);
    return {
      usage,
      model,
      units: anthropicServerToolUnits(read.usage),
      status: "ok",
      accuracy: usage ? "reported" : "estimated",
      ...(usage ? {} : { problem: "the answer's usage lacks input_tokens or output_tokens" }),
    };
  });
}
