/** One request the fake LLM server received, recorded before it was answered. */
export interface RecordedRequest {
  /** HTTP method, e.g. `POST`. */
  method: string;
  /** Path and query as sent, e.g. `/v1/chat/completions` or `/openai/deployments/d/chat/completions?api-version=2024-10-21`. */
  path: string;
  /** Headers with lowercase names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The body as UTF-8 text (empty when there was none). */
  body: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown | undefined;
}
