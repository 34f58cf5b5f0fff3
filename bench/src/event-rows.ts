import type { UsageEvent } from "@usagepilot/core";

/** The columns of `usagepilot.events` a writer fills (`stored_at` keeps its default), in table order. */
export const eventColumns = [
  "id",
  "ts",
  "schema_version",
  "dimensions",
  "provider",
  "operation",
  "model",
  "input_tokens",
  "output_tokens",
  "cached_input_tokens",
  "cache_write_input_tokens",
  "reasoning_tokens",
  "usage_details",
  "units",
  "cost_usd",
  "price_source",
  "accuracy",
  "status",
  "streamed",
  "latency_ms",
  "provider_request_id",
] as const;

/** One value per column of `eventColumns`: text, numbers, booleans or null (JSON columns as JSON text). */
export type EventRow = (string | number | boolean | null)[];

const coreCounts = new Set(["inputTokens", "outputTokens", "cachedInputTokens", "cacheWriteInputTokens", "reasoningTokens"]);

/** An event as the row `writeEvents` in @usagepilot/postgres stores (same mapping, column by column). */
export function toEventRow(event: UsageEvent): EventRow {
  const usage = event.usage;
  const details = usage ? Object.fromEntries(Object.entries(usage).filter(([key, value]) => !coreCounts.has(key) && value !== undefined)) : {};
  return [
    event.id,
    event.timestamp,
    event.schemaVersion,
    JSON.stringify(event.dimensions),
    event.provider,
    event.operation,
    event.model,
    usage?.inputTokens ?? null,
    usage?.outputTokens ?? null,
    usage?.cachedInputTokens ?? null,
    usage?.cacheWriteInputTokens ?? null,
    usage?.reasoningTokens ?? null,
    Object.keys(details).length > 0 ? JSON.stringify(details) : null,
    JSON.stringify(event.units),
    event.cost?.amount ?? null,
    event.cost?.priceSource ?? null,
    event.accuracy,
    event.status,
    event.streamed,
    Math.round(event.latencyMs),
    event.providerRequestId,
  ];
}

// COPY's text format: backslash, tab, newline and carriage return are escaped; NULL is \N.
const special = /[\\\t\n\r]/g;
const escapes: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** The events as COPY text-format lines (tab-separated, in `eventColumns` order), one per event. */
export function toCopyText(events: readonly UsageEvent[]): string {
  let text = "";
  for (const event of events) {
    const row = toEventRow(event);
    let line = "";
    for (let index = 0; index < row.length; index += 1) {
      const value = row[index];
      if (index > 0) line += "\t";
      if (value === null || value === undefined) line += "\\N";
      else if (typeof value === "string") line += value.replace(special, (character) => escapes[character]!);
      else line += String(value);
    }
    text += `${line}\n`;
  }
  return text;
}
