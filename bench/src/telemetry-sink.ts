// The local server the peers' telemetry exporters send to (see start-telemetry-sink.ts). It runs on its
// own worker thread so its work never shares the event loop with the calls being measured.
import { createServer, type IncomingMessage } from "node:http";
import { parentPort } from "node:worker_threads";
import { gunzipSync } from "node:zlib";
import { readField, readString, safeParseJson } from "@usagepilot/core";
import { captureKey, type TelemetryCapture, type TelemetrySinkReport } from "./start-telemetry-sink";

const report: TelemetrySinkReport = { requests: {}, bytes: 0, captures: {}, other: {}, unreadable: 0 };
const count = (table: Record<string, number>, key: string) => {
  table[key] = (table[key] ?? 0) + 1;
};
const readNumber = (value: unknown, key: string): number | null => {
  const field = readField(value, key);
  return typeof field === "number" ? field : null;
};
const readArray = (value: unknown, key: string): unknown[] => {
  const field = readField(value, key);
  return Array.isArray(field) ? field : [];
};

/** PostHog's batch: `{ api_key, batch: [{ event, distinct_id, properties }] }`. */
function readPostHog(body: unknown): void {
  for (const event of readArray(body, "batch")) {
    const name = readString(event, "event") ?? "(unnamed)";
    if (name !== "$ai_generation") {
      count(report.other, `posthog ${name}`);
      continue;
    }
    const properties = readField(event, "properties");
    const capture: TelemetryCapture = {
      source: "posthog",
      model: readString(properties, "$ai_model") ?? null,
      inputTokens: readNumber(properties, "$ai_input_tokens"),
      outputTokens: readNumber(properties, "$ai_output_tokens"),
      userId: readString(event, "distinct_id") ?? null,
    };
    count(report.captures, captureKey(capture));
  }
}

/** OTLP/HTTP JSON: `resourceSpans[].scopeSpans[].spans[]`, attributes as `{ key, value: { stringValue } }`. */
function readOtlp(body: unknown): void {
  for (const resourceSpans of readArray(body, "resourceSpans")) {
    for (const scopeSpans of readArray(resourceSpans, "scopeSpans")) {
      for (const span of readArray(scopeSpans, "spans")) {
        const attributes = new Map<string, string>();
        for (const attribute of readArray(span, "attributes")) {
          const key = readString(attribute, "key");
          const value = readString(readField(attribute, "value"), "stringValue");
          if (key !== undefined && value !== undefined) attributes.set(key, value);
        }
        if (attributes.get("langfuse.observation.type") !== "generation") {
          count(report.other, `otlp ${readString(span, "name") ?? "(unnamed)"}`);
          continue;
        }
        const usage = safeParseJson(attributes.get("langfuse.observation.usage_details") ?? "null");
        const usageDetails = usage.ok ? usage.value : null;
        const capture: TelemetryCapture = {
          source: "langfuse",
          model: attributes.get("langfuse.observation.model.name") ?? null,
          inputTokens: readNumber(usageDetails, "input"),
          outputTokens: readNumber(usageDetails, "output"),
          userId: attributes.get("user.id") ?? attributes.get("langfuse.user.id") ?? null,
        };
        count(report.captures, captureKey(capture));
      }
    }
  }
}

function receive(request: IncomingMessage, raw: Buffer): void {
  const path = (request.url ?? "/").split("?")[0] ?? "/";
  count(report.requests, `${request.method ?? "?"} ${path}`);
  let bytes = raw;
  try {
    if (request.headers["content-encoding"] === "gzip") bytes = gunzipSync(raw);
  } catch {
    report.unreadable += 1;
    return;
  }
  report.bytes += bytes.byteLength;
  const parsed = safeParseJson(bytes.toString("utf8"));
  if (!parsed.ok) {
    report.unreadable += 1;
    return;
  }
  if (path.includes("/otel/")) readOtlp(parsed.value);
  else if (path.startsWith("/batch") || path.startsWith("/i/v0/e")) readPostHog(parsed.value);
  else count(report.other, `unexpected ${path}`);
}

const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
  const parts: Buffer[] = [];
  request.on("data", (part: Buffer) => parts.push(part));
  request.on("end", () => {
    receive(request, Buffer.concat(parts));
    response.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the telemetry sink has no TCP address");
  parentPort?.postMessage({ port: address.port });
});

parentPort?.on("message", (message: unknown) => {
  if (message === "report") parentPort?.postMessage(report);
  if (message === "close") {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
