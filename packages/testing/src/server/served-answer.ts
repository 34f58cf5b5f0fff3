import type { FakeLlmAnswer } from "../fake-llm-answer";

/** What the fake LLM server sent for one request, so tests can compare stored totals with what was served. */
export interface ServedAnswer {
  /** Path and query of the request, as in `RecordedRequest.path`. */
  path: string;
  /** The kind of answer that was sent (`default` answers show the kind they were synthesised as). */
  kind: FakeLlmAnswer["kind"];
  /** HTTP status sent. */
  status: number;
  /**
   * The last usage object that actually reached the wire (`usage`, `response.usage`,
   * `message.usage` or `usageMetadata`, exactly as sent), or null when the bytes written carried
   * none — e.g. a stream without `include_usage`, a cut stream, an error.
   */
  usage: Record<string, unknown> | null;
  /** True when the server dropped the connection mid-body on purpose (`cut`). */
  cut: boolean;
}
