import { once } from "node:events";
import { Worker } from "node:worker_threads";

/** What a peer's exporter delivered for one LLM call, as read at the sink. */
export interface TelemetryCapture {
  /** Which exporter sent it. */
  source: "posthog" | "langfuse";
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** The user the call was attributed to (PostHog's `distinct_id`, Langfuse's `user.id`). */
  userId: string | null;
}

/** What the sink has received so far. */
export interface TelemetrySinkReport {
  /** Requests per `METHOD path`. */
  requests: Record<string, number>;
  /** Request body bytes received, after decompression. */
  bytes: number;
  /** LLM-call captures (PostHog `$ai_generation` events, Langfuse generation spans), counted by `captureKey`. */
  captures: Record<string, number>;
  /** Other events or spans received (e.g. PostHog `$ai_trace`), by name. */
  other: Record<string, number>;
  /** Bodies the sink could not read. */
  unreadable: number;
}

/** A running telemetry sink. */
export interface TelemetrySink {
  /** E.g. `http://127.0.0.1:41235`: the host both peers' exporters are pointed at. */
  url: string;
  /** What it has received so far. */
  report(): Promise<TelemetrySinkReport>;
  close(): Promise<void>;
}

/** The key a capture is counted under: every field, so a wrong one shows as its own row. */
export function captureKey(capture: TelemetryCapture): string {
  return [capture.source, capture.model ?? "null", capture.inputTokens ?? "null", capture.outputTokens ?? "null", capture.userId ?? "null"].join("|");
}

/** The capture a `captureKey` was made from. */
export function readCaptureKey(key: string): TelemetryCapture {
  const [source, model, inputTokens, outputTokens, userId] = key.split("|");
  const orNull = (value: string | undefined) => (value === undefined || value === "null" ? null : value);
  const count = (value: string | undefined) => (orNull(value) === null ? null : Number(value));
  return { source: source === "langfuse" ? "langfuse" : "posthog", model: orNull(model), inputTokens: count(inputTokens), outputTokens: count(outputTokens), userId: orNull(userId) };
}

/**
 * Starts the local sink the peers' exporters send to, on a worker thread so receiving and reading their
 * payloads never shares the event loop being measured: PostHog's `/batch/` (gzip or plain JSON) and
 * OTLP/HTTP JSON traces (Langfuse's `/api/public/otel/v1/traces`). Answers 200 `{}` to everything, so
 * nothing leaves the machine and no exporter retries.
 */
export async function startTelemetrySink(): Promise<TelemetrySink> {
  const worker = new Worker(new URL("./telemetry-sink.js", import.meta.url));
  const [message] = (await once(worker, "message")) as [{ port: number }];
  return {
    url: `http://127.0.0.1:${message.port}`,
    async report() {
      worker.postMessage("report");
      const [report] = (await once(worker, "message")) as [TelemetrySinkReport];
      return report;
    },
    async close() {
      worker.postMessage("close");
      await once(worker, "exit");
    },
  };
}
