/** Options of `responseObject`. */
export interface ResponseObjectOptions {
  /** `resp_…` id. */
  id: string;
  /** Unix seconds. */
  createdAt: number;
  model: string;
  status: "in_progress" | "completed";
  output: unknown[];
  /** The `usage` object, or null while the response is in progress. */
  usage: Record<string, unknown> | null;
}

/**
 * A Responses API `response` object with the fields the recorded
 * `openai/responses-stream-usage-reasoning.sse` carries, in its order.
 */
export function responseObject(options: ResponseObjectOptions): Record<string, unknown> {
  return {
    id: options.id,
    object: "response",
    created_at: options.createdAt,
    status: options.status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    max_tool_calls: null,
    model: options.model,
    output: options.output,
    parallel_tool_calls: true,
    previous_response_id: null,
    prompt_cache_key: null,
    reasoning: { effort: null, summary: null },
    safety_identifier: null,
    service_tier: "default",
    store: true,
    temperature: 1.0,
    text: { format: { type: "text" }, verbosity: "medium" },
    tool_choice: "auto",
    tools: [],
    top_logprobs: 0,
    top_p: 1.0,
    truncation: "disabled",
    usage: options.usage,
    user: null,
    metadata: {},
  };
}

/** A completed assistant `message` output item holding `text`. */
export function messageOutputItem(options: { id: string; text: string; status: "in_progress" | "completed" }): Record<string, unknown> {
  return {
    id: options.id,
    type: "message",
    status: options.status,
    content: options.status === "completed" ? [outputTextPart(options.text)] : [],
    role: "assistant",
  };
}

/** An `output_text` content part. */
export function outputTextPart(text: string): Record<string, unknown> {
  return { type: "output_text", annotations: [], logprobs: [], text };
}
